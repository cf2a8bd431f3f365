"""Workshop decks: what the slides say, that text fits, templates by placeholder type, LibreOffice's view."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Inches, Pt
from pypdf import PageObject, PdfReader
from typer.testing import CliRunner

from resurskurs.catalog.load import Catalog, Module, load_catalog
from resurskurs.cli import app
from resurskurs.core.figures import EvaluationFigures, LikertFigures, ModuleFigures
from resurskurs.core.progress import STAGE_LABELS, Stage
from resurskurs.overview.district_page import qr_notice
from resurskurs.slides.deck import build_deck, deck_bytes, write_deck
from resurskurs.slides.fitting import WIDTH_SAFETY, Frame, Para, Sizes, paginate, text_width, wrap
from resurskurs.slides.qr import course_url, only_this_computer, qr_png
from resurskurs.slides.template import COLOURS, THEME_FILE, TemplateError, default_template, open_template
from tests.conftest import REPO

runner = CliRunner()
MAX_DECK_BYTES = 2 * 1024 * 1024
LONG = (
    "När ett barn har svårt att komma in i leken kan vi vuxna vara nära, sätta ord på det som händer och "
    "hjälpa barnet att hitta en roll, utan att ta över leken eller bestämma vad de andra barnen ska göra."
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO)


def deck(module: Module, **figures: object) -> PresentationType:
    """A built deck as someone opening the file sees it: saved, then read back with python-pptx."""
    return Presentation(io.BytesIO(deck_bytes(module, **figures)))  # type: ignore[arg-type]


def titles(presentation: PresentationType) -> list[str]:
    return [slide.shapes.title.text if slide.shapes.title else "" for slide in presentation.slides]


def body_text(slide: Slide) -> str:
    return "\n".join(
        shape.text_frame.text
        for shape in slide.placeholders
        if shape.placeholder_format.type in {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}
    )


def notes(slide: Slide) -> str:
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None
    return frame.text


def unit_figures(module: Module) -> tuple[ModuleFigures, EvaluationFigures]:
    course = module.course
    progress = ModuleFigures(
        course.slug,
        course.title,
        "Förskolan Exempel",
        {Stage.NOT_STARTED: 3, Stage.IN_PROGRESS: 5, Stage.INCOMPLETE: 2, Stage.COMPLETE: 4},
        0.78,
        2,
    )
    evaluation = EvaluationFigures(
        course.slug,
        "Förskolan Exempel",
        7,
        [LikertFigures(item.id, item.statement, (0, 1, 2, 3, 1)) for item in course.survey.likert],
        {
            item.id: ["Att förbereda mig tillsammans med en kollega.", "Mer tid till övningen."]
            for item in course.survey.open
        },
    )
    return progress, evaluation


def stretched(module: Module) -> Module:
    """The module with text far longer than authors write: a title, key points and a question that cannot fit."""
    course = module.course
    chapters = list(course.preparation.chapters)
    chapters[0] = chapters[0].model_copy(update={"key_points": [LONG] * 6})
    question = " ".join([LONG] * 8)
    return Module(
        course.model_copy(
            update={
                "title": f"{course.title}: {LONG} {LONG}",
                "preparation": course.preparation.model_copy(update={"chapters": chapters}),
                "workshop": course.workshop.model_copy(update={"questions": [*course.workshop.questions, question]}),
            }
        ),
        module.film,
        module.file,
    )


class DescribeTheDeck:
    def it_has_the_workshop_slides_in_order(self, catalog: Catalog) -> None:
        module = catalog.module("trygga-relationer")
        course, film = module.course, module.film.manifest
        chapter_titles = {chapter.id: chapter.title for chapter in film.chapters}
        questions = len(course.workshop.questions)
        assert titles(deck(module)) == [
            course.title,
            "Mål med modulen",
            f"Dagens gruppträff – {course.workshop.minutes} minuter",
            f"Filmen i {len(film.chapters)} kapitel",
            *[
                f"Kapitel {n}: {chapter_titles[c.film_chapter]}"
                for n, c in enumerate(course.preparation.chapters, start=1)
            ],
            *[f"Diskussionsfråga {n} av {questions}" for n in range(1, questions + 1)],
            f"Övning: {course.workshop.exercise.title}",
            "Pröva i praktiken",
            "Fördjupning",
            "Tack för i dag!",
        ]

    def it_gives_every_slide_speaker_notes_that_guide_the_leader(self, catalog: Catalog) -> None:
        for module in catalog.modules:
            for slide in deck(module).slides:
                text = notes(slide)
                title = slide.shapes.title.text if slide.shapes.title else ""
                assert len(text) > 80, (module.course.slug, title)
                assert text.strip() != title.strip()

    def it_gives_each_discussion_question_its_own_slide(self, catalog: Catalog) -> None:
        module = catalog.module("lek-och-samspel")
        slides = [s for s in deck(module).slides if s.shapes.title.text.startswith("Diskussionsfråga")]
        assert [body_text(slide) for slide in slides] == module.course.workshop.questions

    def it_shows_the_agenda_with_its_timings(self, catalog: Catalog) -> None:
        module = catalog.module("barnen-i-gruppen")
        agenda = next(s for s in deck(module).slides if s.shapes.title.text.startswith("Dagens gruppträff"))
        assert body_text(agenda).split("\n") == [
            f"{item.minutes} min – {item.activity}" for item in module.course.workshop.agenda
        ]

    def it_lists_chapter_times_as_m_ss_beside_a_qr_code_to_the_course_page(self, catalog: Catalog) -> None:
        module = catalog.module("takk")
        film = next(s for s in deck(module).slides if s.shapes.title.text.startswith("Filmen i"))
        first = module.film.manifest.chapters[0]
        minutes, seconds = divmod(int(first.end), 60)  # the first chapter's end, as m:ss
        assert body_text(film).split("\n")[0] == f"0:00–{minutes}:{seconds:02d}  {first.title}"
        pictures = [shape for shape in film.shapes if shape.shape_type == 13]
        assert [picture.image.blob for picture in pictures] == [qr_png(course_url("takk"))]
        assert course_url("takk") == "http://127.0.0.1:8866/?kurs=takk"

    def it_takes_the_course_address_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("RESURSKURS_PUBLIC_URL", "https://kurs.example.se/")
        assert course_url("takk") == "https://kurs.example.se/?kurs=takk"

    def it_has_signs_of_the_week_for_takk_from_its_vocabulary(self, catalog: Catalog) -> None:
        module = catalog.module("takk")
        slides = [s for s in deck(module).slides if s.shapes.title.text.startswith("Veckans tecken")]
        categories = list(dict.fromkeys(word.category for word in module.course.vocabulary))
        assert [s.shapes.title.text for s in slides] == [f"Veckans tecken: {c}" for c in categories]
        lines = [line for slide in slides for line in body_text(slide).split("\n")]
        assert lines == [f"{word.word} – ”{word.example}”" for word in module.course.vocabulary]

    def it_asks_for_a_sign_film_only_where_the_sign_has_one(self, tmp_path: Path) -> None:
        """No clip added on a fresh install: no slide tells the facilitator to show a film. With the clips of one
        category and one word of the next, those slides name the films there are, and only those."""
        shutil.copytree(REPO / "courses", tmp_path / "courses")
        shutil.copytree(REPO / "films", tmp_path / "films", ignore=shutil.ignore_patterns("media"))
        module = load_catalog(tmp_path).module("takk")
        words = module.course.vocabulary
        feelings, food = ([w for w in words if w.category == category] for category in ("Känslor", "Mat och måltid"))

        def sign_notes() -> list[str]:
            return [notes(s) for s in deck(module).slides if s.shapes.title.text.startswith("Veckans tecken")]

        fresh = sign_notes()
        for word in [*feelings, food[0]]:
            assert word.clip is not None
            (tmp_path / "films" / word.clip).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "films" / word.clip).write_bytes(b"clip")
        added = sign_notes()
        assert [("visa filmen" in text, "inga filmer" in text, "talpedagogen" in text) for text in fresh] == [
            (False, True, True)
        ] * len(fresh)
        assert "visa filmen till varje ord" in added[0] and "talpedagogen" not in added[0]
        rest = ", ".join(word.word for word in food[1:-1]) + f" och {food[-1].word}"
        assert f"visa filmen till {food[0].word} och teckna tillsammans. Till {rest} finns ingen film än" in added[1]
        assert added[2:] == fresh[2:]

    def it_has_no_sign_slides_for_modules_without_vocabulary(self, catalog: Catalog) -> None:
        module = catalog.module("svara-samtal")
        assert not [t for t in titles(deck(module)) if t.startswith("Veckans tecken")]

    def it_builds_every_module_within_2_mb(self, catalog: Catalog, tmp_path: Path) -> None:
        assert sorted(m.course.slug for m in catalog.modules) == sorted(
            p.parent.name for p in catalog.root.glob("courses/*/course.yaml")
        )
        for module in catalog.modules:
            file = write_deck(tmp_path / f"{module.course.slug}.pptx", module)
            assert file.stat().st_size <= MAX_DECK_BYTES
            assert len(Presentation(str(file)).slides) >= 15

    def it_sets_all_text_in_the_measured_font_at_18_pt_or_more(self, catalog: Catalog) -> None:
        for module in catalog.modules:
            for slide in deck(module).slides:
                for shape in slide.shapes:
                    if not shape.has_text_frame:
                        continue
                    for paragraph in shape.text_frame.paragraphs:
                        for run in paragraph.runs:
                            assert run.font.name == "DejaVu Sans"
                            assert run.font.size is not None and run.font.size.pt >= 18, run.text


class DescribeTextThatFits:
    def it_wraps_lines_within_the_width(self) -> None:
        text = " ".join([LONG] * 3) + " https://www.skolverket.se/undervisning/forskolan/laroplan-for-forskolan"
        for size in (18, 28):
            lines = wrap(text, 400, size)
            assert len(lines) > 3
            assert all(text_width(text[start:end], size) <= 400 * WIDTH_SAFETY for start, end in lines)
            assert " ".join(text[start:end] for start, end in lines).replace(" ", "") == text.replace(" ", "")

    def it_shrinks_before_it_continues(self) -> None:
        frame = Frame(600, 200)
        paragraphs = [Para(LONG), Para(LONG)]
        pages = paginate(paragraphs, frame, Sizes(28, 18))
        assert len(pages) == 1
        assert 18 <= pages[0].size < 28
        assert frame.holds(pages[0].paragraphs, pages[0].size)

    def it_continues_on_further_pages_at_the_smallest_size_without_losing_words(self) -> None:
        frame = Frame(600, 200)
        paragraphs = [Para(LONG), Para(" ".join([LONG] * 4)), Para(LONG)]
        pages = paginate(paragraphs, frame, Sizes(28, 18))
        assert len(pages) > 2
        assert all(page.size == 18 and frame.holds(page.paragraphs, 18) for page in pages)
        words = " ".join(p.text for page in pages for p in page.paragraphs).split()
        assert words == " ".join(p.text for p in paragraphs).split()
        assert any(p.continued and not p.bullet for page in pages for p in page.paragraphs)

    def it_continues_a_long_slide_with_forts_and_keeps_the_notes(self, catalog: Catalog) -> None:
        module = stretched(catalog.module("lek-och-samspel"))
        presentation = deck(module)
        question = module.course.workshop.questions[-1]
        total = len(module.course.workshop.questions)
        slides = [s for s in presentation.slides if s.shapes.title.text.startswith(f"Diskussionsfråga {total} av")]
        assert len(slides) > 1
        assert [s.shapes.title.text.endswith("(forts.)") for s in slides] == [False] + [True] * (len(slides) - 1)
        assert " ".join(body_text(s) for s in slides).split() == question.split()
        assert all(notes(s).endswith(notes(slides[0])) for s in slides)
        cover = presentation.slides[0].shapes.title.text
        assert cover.endswith("…") and len(cover) < len(module.course.title)


class DescribeGroupFigures:
    def it_charts_the_units_progress_natively_with_the_counts(self, catalog: Catalog) -> None:
        module = catalog.module("svara-samtal")
        progress, _ = unit_figures(module)
        slide = next(s for s in deck(module, progress=progress).slides if s.shapes.title.text.startswith("Så långt"))
        charts = [shape.chart for shape in slide.shapes if shape.has_chart]
        assert len(charts) == 1
        plot = charts[0].plots[0]
        assert list(plot.categories) == [STAGE_LABELS[stage] for stage in Stage]
        assert list(plot.series[0].values) == [progress.counts[stage] for stage in Stage]
        assert "4 av 14 är klara med modulen" in charts[0].chart_title.text_frame.text, "handed in is not done"
        assert "6 har lämnat in, och 4 av dem har gjort alla delar" in notes(slide)
        assert "Förskolan Exempel" in slide.shapes.title.text

    def it_summarises_the_evaluation_when_there_is_one(self, catalog: Catalog) -> None:
        module = catalog.module("svara-samtal")
        progress, evaluation = unit_figures(module)
        slides = deck(module, progress=progress, evaluation=evaluation).slides
        summary = next(s for s in slides if s.shapes.title.text.startswith("Utvärdering: så tyckte ni"))
        first = module.course.survey.likert[0].statement
        assert f"3,6 av 5 – {first} (svar från 1 till 5: 0, 1, 2, 3, 1)" in body_text(summary)
        voices = next(s for s in slides if s.shapes.title.text.startswith("Utvärdering: med egna ord"))
        assert "”Mer tid till övningen.”" in body_text(voices)

    def it_leaves_the_evaluation_out_without_one(self, catalog: Catalog) -> None:
        module = catalog.module("svara-samtal")
        progress, _ = unit_figures(module)
        assert not [t for t in titles(deck(module, progress=progress)) if t.startswith("Utvärdering")]
        assert not [t for t in titles(deck(module)) if t.startswith(("Utvärdering", "Så långt"))]


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


CITY_NAMES = {"Title Slide": "Stadens rubrikbild", "Title and Content": "Stadens text", "Title Only": "Stadens rubrik"}


def city_template(file: Path, *, without: str | None = None) -> Path:
    """A template as a city might have one: python-pptx's 4:3 default, layouts reordered and renamed,
    an example slide left in, and optionally one layout taken out."""
    presentation = Presentation()
    ids = presentation.slide_master.element.find(qn("p:sldLayoutIdLst"))
    children = list(ids)
    for child in children:
        ids.remove(child)
    for child in reversed(children):
        ids.append(child)
    for number, layout in enumerate(presentation.slide_layouts):
        layout.name = CITY_NAMES.get(layout.name, f"Stadens layout {number}")
    example = presentation.slides.add_slide(presentation.slide_layouts[0])
    example.shapes.add_textbox(0, 0, Inches(4), Inches(1)).text_frame.text = "Exempelbild"
    if without:
        presentation.slide_layouts.remove(next(lo for lo in presentation.slide_layouts if lo.name == without))
    presentation.save(str(file))
    return file


class DescribeTemplates:
    def it_makes_its_own_template_wide_in_dejavu_sans_with_aa_contrast(self) -> None:
        presentation, layouts = open_template()
        assert (presentation.slide_width, presentation.slide_height) == (12192000, 6858000)
        theme = etree.fromstring(zipfile.ZipFile(io.BytesIO(default_template())).read(THEME_FILE))
        assert {latin.get("typeface") for latin in theme.iter(qn("a:latin"))} == {"DejaVu Sans"}
        scheme = {
            etree.QName(slot).localname: slot[0].get("val")
            for slot in theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
        }
        assert scheme == COLOURS
        for text, background in (("dk1", "lt1"), ("dk2", "lt1"), ("lt1", "dk2")):
            assert contrast(scheme[text], scheme[background]) >= 4.5, (text, background)
        sizes = [int(s) for s in presentation.slide_master.element.find(qn("p:txStyles")).xpath(".//@sz")]
        assert min(sizes) >= 1800
        assert [layouts.title.name, layouts.content.name, layouts.title_only.name] == [
            "Title Slide",
            "Title and Content",
            "Title Only",
        ]

    def it_uses_a_city_template_by_placeholder_type_not_by_position(self, catalog: Catalog, tmp_path: Path) -> None:
        template = city_template(tmp_path / "stad.pptx")
        module = catalog.module("takk")
        progress, _ = unit_figures(module)
        presentation = build_deck(module, template=template, progress=progress)
        used = [slide.slide_layout.name for slide in presentation.slides]
        assert used[0] == used[-1] == "Stadens rubrikbild"
        assert used[1:3] == ["Stadens text", "Stadens text"]
        assert used[3] == "Stadens rubrik"
        assert set(used) == set(CITY_NAMES.values())
        texts = [shape.text_frame.text for s in presentation.slides for shape in s.shapes if shape.has_text_frame]
        assert "Exempelbild" not in texts
        assert presentation.slide_width == Inches(10)

    def it_names_the_missing_layout_and_the_template_file(self, tmp_path: Path) -> None:
        template = city_template(tmp_path / "stad.pptx", without="Stadens rubrik")
        with pytest.raises(TemplateError) as raised:
            open_template(template)
        message = str(raised.value)
        assert message.startswith(f"{template}: no slide layout for title only")
        assert "a title (TITLE) and no other content placeholder" in message

    def it_needs_a_notes_placeholder_for_the_speaker_notes(self, tmp_path: Path) -> None:
        presentation = Presentation(str(city_template(tmp_path / "stad.pptx")))
        for shape in presentation.notes_master.shapes:
            if shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.BODY:
                shape.element.getparent().remove(shape.element)
        presentation.save(str(tmp_path / "utan-anteckningar.pptx"))
        with pytest.raises(TemplateError, match=r"utan-anteckningar\.pptx: the notes master has no text placeholder"):
            open_template(tmp_path / "utan-anteckningar.pptx")

    def it_exits_with_that_message_from_the_command_line(self, tmp_path: Path) -> None:
        template = city_template(tmp_path / "stad.pptx", without="Stadens rubrikbild")
        out = tmp_path / "deck.pptx"
        result = runner.invoke(app, ["slides", "takk", "--template", str(template), "-o", str(out)])
        assert result.exit_code == 1
        assert "stad.pptx: no slide layout for a title slide" in result.output
        assert "(CENTER_TITLE) and a subtitle (SUBTITLE)" in result.output
        assert "Traceback" not in result.output
        assert not out.exists()

    def it_says_when_a_template_is_no_pptx(self, tmp_path: Path) -> None:
        template = tmp_path / "stad.pptx"
        template.write_text("not a presentation", encoding="utf-8")
        result = runner.invoke(app, ["slides", "takk", "--template", str(template), "-o", str(tmp_path / "d.pptx")])
        assert result.exit_code == 1
        assert "cannot be opened as a PowerPoint file (.pptx)" in result.output

    def it_writes_the_deck_from_the_command_line(self, tmp_path: Path) -> None:
        out = tmp_path / "takk.pptx"
        result = runner.invoke(app, ["slides", "takk", "-o", str(out)], env={"RESURSKURS_PUBLIC_URL": "https://x.se/"})
        assert result.exit_code == 0, result.output
        film = next(s for s in Presentation(str(out)).slides if s.shapes.title.text.startswith("Filmen"))
        assert "https://x.se/?kurs=takk" in notes(film)
        assert "no phone can open" not in result.output


class DescribeWhereTheQrCodeLeads:
    @pytest.mark.parametrize(
        ("address", "local"),
        [
            ("http://127.0.0.1:8866/", True),
            ("http://127.0.0.1:8000", True),
            ("http://localhost:8000/", True),
            ("http://[::1]:8000/", True),
            ("https://kurs.skola.example.se/", False),
            ("http://10.0.3.7:8000/", False),
        ],
    )
    def it_knows_an_address_of_this_computer_alone(self, address: str, local: bool) -> None:
        assert only_this_computer(address) is local

    def it_writes_the_deck_and_warns_its_author_when_no_phone_could_open_the_code(self, tmp_path: Path) -> None:
        out = tmp_path / "takk.pptx"
        env = {"RESURSKURS_PUBLIC_URL": "http://127.0.0.1:8000/"}
        result = runner.invoke(app, ["slides", "takk", "-o", str(out)], env=env)
        assert result.exit_code == 0, result.output
        assert out.is_file()
        assert "http://127.0.0.1:8000/, this computer's own address, which no phone can open" in result.output

    @pytest.mark.parametrize("address", ["http://127.0.0.1:8866/", "http://127.0.0.1:8000/"])
    def it_tells_the_resource_team_on_the_district_page_for_any_such_address(
        self, address: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """127.0.0.1:8000 is what a hub puts there when RESURSKURS_PUBLIC_URL is not set."""
        monkeypatch.setenv("RESURSKURS_PUBLIC_URL", address)
        assert 'class="rk-notice"' in qr_notice() and "fungerar inte från en telefon" in qr_notice()
        monkeypatch.setenv("RESURSKURS_PUBLIC_URL", "https://kurs.skola.example.se/")
        assert "rk-notice" not in qr_notice() and "https://kurs.skola.example.se/" in qr_notice()


@dataclass(frozen=True)
class Fragment:
    """A run of text LibreOffice drew, with its baseline origin and size in PDF points."""

    text: str
    x: float
    y: float
    size: float


def fragments(page: PageObject) -> Iterator[Fragment]:
    found: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Fragment(text.strip(), x, y, size * abs(tm[3]) * abs(cm[3])))

    page.extract_text(visitor_text=visit)
    return iter(found)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def overflowing(presentation: PresentationType, pdf: PdfReader, tolerance: float = 1.5) -> dict[int, list[str]]:
    """Per slide number, the text LibreOffice drew outside the shape that holds it.

    Each drawn line is matched to the text shapes containing its words; it must lie inside one of them,
    glyph tops and bottoms included (DejaVu Sans: ascent 0.93, descent 0.24 of the size). Text in no
    shape is allowed only inside a chart, which draws its own labels."""
    height = (presentation.slide_height or 0) / 12700
    found: dict[int, list[str]] = {}
    for number, (slide, page) in enumerate(zip(presentation.slides, pdf.pages, strict=True), start=1):
        shapes, charts = [], []
        for shape in slide.shapes:
            left, top = shape.left / 12700, height - shape.top / 12700
            box = (left, top, left + shape.width / 12700, top - shape.height / 12700)
            if shape.has_chart:
                charts.append(box)
            elif shape.has_text_frame and shape.text_frame.text.strip():
                shapes.append((squeeze(shape.text_frame.text), box))
        for fragment in fragments(page):
            if fragment.text == "•":
                continue
            left, right = fragment.x, fragment.x + text_width(fragment.text, fragment.size)
            top, bottom = fragment.y + 0.93 * fragment.size, fragment.y - 0.24 * fragment.size
            owners = [box for text, box in shapes if squeeze(fragment.text) in text]
            inside = [
                box
                for box in owners or charts
                if box[0] - tolerance <= left
                and right <= box[2] + tolerance
                and top <= box[1] + tolerance
                and bottom >= box[3] - tolerance
            ]
            if not inside:
                found.setdefault(number, []).append(fragment.text)
    return found


def add_overflowing_controls(presentation: PresentationType) -> None:
    """Two slides that overflow on purpose, written without the fitting: too many lines, and a line too wide."""
    layout = presentation.slide_layouts.get_by_name("Title Only")
    assert layout is not None
    tall = presentation.slides.add_slide(layout).shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(2))
    tall.text_frame.word_wrap = True
    tall.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    tall.text_frame.text = " ".join([LONG] * 3)
    wide = presentation.slides.add_slide(layout).shapes.add_textbox(Inches(1), Inches(3), Inches(4), Inches(1))
    wide.text_frame.word_wrap = False
    wide.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    wide.text_frame.text = "Tydliggörande pedagogik i förskolans vardag"
    for box in (tall, wide):
        for paragraph in box.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.name = Pt(28), "DejaVu Sans"


@pytest.fixture(scope="module")
def converted(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> tuple[PresentationType, PdfReader]:
    """The fullest deck – TAKK's signs, a unit's chart and evaluation, text stretched past every limit –
    plus the two overflowing controls, converted to PDF once by LibreOffice."""
    folder = tmp_path_factory.mktemp("libreoffice")
    module = stretched(catalog.module("takk"))
    progress, evaluation = unit_figures(module)
    presentation = build_deck(module, progress=progress, evaluation=evaluation)
    add_overflowing_controls(presentation)
    source = folder / "takk.pptx"
    presentation.save(str(source))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return Presentation(str(source)), PdfReader(folder / "takk.pdf")


class DescribeLibreOffice:
    def it_converts_the_deck_to_one_page_per_slide(self, converted: tuple[PresentationType, PdfReader]) -> None:
        presentation, pdf = converted
        assert len(presentation.slides) > 30
        assert len(pdf.pages) == len(presentation.slides)

    def it_draws_no_text_past_its_shape_and_would_see_it_if_it_did(
        self, converted: tuple[PresentationType, PdfReader]
    ) -> None:
        presentation, pdf = converted
        total = len(presentation.slides)
        found = overflowing(presentation, pdf)
        assert sorted(found) == [total - 1, total], found
        assert any("Tydliggörande" in text for text in found[total])
        assert any(fragment.text.endswith("(forts.)") for page in pdf.pages for fragment in fragments(page))


class DescribeTheFilmsSpeakerNote:
    def it_says_the_lecturers_are_invented_until_a_real_film_is_added(self, catalog: Catalog) -> None:
        from resurskurs.slides import notes

        module = catalog.modules[0]
        said = notes.film(module, "https://kurs.example.se/")
        assert "exempelfilm" in said
        assert "påhittade" in said and "syntetisk" in said
        assert module.film.manifest.speakers[0].name in said
