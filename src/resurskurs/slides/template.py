"""The deck's template: the project's own, generated here, or a city's .pptx; layouts found by placeholder type.

The project's template starts from python-pptx's default presentation and is made 16:9, set in
DejaVu Sans (the font the text is measured with) and given a colour scheme whose text colours
meet WCAG AA contrast on their backgrounds. A city's template is used as it is; only its layouts
are read, picked by the placeholders they carry, since names and order differ from file to file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import SlideLayout
from pptx.util import Emu

from resurskurs.slides.fitting import FONT_NAME

WIDE = (12192000, 6858000)
"""16:9 in EMU (13.33 × 7.5 in)."""
THEME_FILE = "ppt/theme/theme1.xml"
COLOURS = {
    "dk1": "1F2933",  # body text: 14.9:1 on white
    "lt1": "FFFFFF",
    "dk2": "0B4F6C",  # titles, and the title slide's background: 8.9:1 against white
    "lt2": "E8F1F5",
    "accent1": "0B4F6C",
    "accent2": "B3541E",
    "accent3": "2E6B30",
    "accent4": "6B3FA0",
    "accent5": "1D6A96",
    "accent6": "8A5A00",
    "hlink": "0B5CAD",
    "folHlink": "6B3FA0",
}
"""The theme's colour scheme; every text colour here keeps at least 4.5:1 against the background it is set on."""
TEXT_SIZES = {"title": 4000, "body": (2800, 2400, 2000)}
"""Master text sizes in hundredths of a point; never below 20 pt, so nothing defaults under 18 pt."""
_IGNORED = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}
_TEXT_BODIES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}


class TemplateError(ValueError):
    """A template that cannot be opened, or that lacks a layout the deck needs."""


@dataclass(frozen=True)
class Layouts:
    """The three kinds of layout every deck uses."""

    title: SlideLayout
    content: SlideLayout
    title_only: SlideLayout


def _types(layout: SlideLayout) -> list[PP_PLACEHOLDER]:
    """The layout's content placeholder types; none at all if one runs vertically, as vertical text is not
    measured here."""
    formats = [
        shape.placeholder_format
        for shape in layout.shapes
        if shape.is_placeholder and shape.placeholder_format.type not in _IGNORED
    ]
    if any(form.element.orient != "horz" for form in formats):
        return []
    return [form.type for form in formats]


def _is_title(layout: SlideLayout) -> bool:
    return sorted(_types(layout)) == sorted([PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE])


def _is_content(layout: SlideLayout) -> bool:
    types = _types(layout)
    return len(types) == 2 and PP_PLACEHOLDER.TITLE in types and any(t in _TEXT_BODIES for t in types)


def _is_title_only(layout: SlideLayout) -> bool:
    return _types(layout) == [PP_PLACEHOLDER.TITLE]


def _body_area(layout: SlideLayout) -> int:
    return max(
        shape.width * shape.height
        for shape in layout.shapes
        if shape.is_placeholder and shape.placeholder_format.type in _TEXT_BODIES
    )


NEEDS: dict[str, tuple[str, Callable[[SlideLayout], bool]]] = {
    "title": ("a title slide: a centred title (CENTER_TITLE) and a subtitle (SUBTITLE)", _is_title),
    "content": ("title and text: a title (TITLE) and one text placeholder (BODY or OBJECT)", _is_content),
    "title_only": ("title only: a title (TITLE) and no other content placeholder", _is_title_only),
}
"""What each kind of layout must carry; date, footer and slide-number placeholders are ignored."""


def pick_layouts(presentation: PresentationType, source: str) -> Layouts:
    """The first layout of each kind, in the template's own order; the largest text area wins for text slides."""
    found: dict[str, SlideLayout] = {}
    missing: list[str] = []
    for kind, (description, matches) in NEEDS.items():
        candidates = [layout for layout in presentation.slide_layouts if matches(layout)]
        if not candidates:
            missing.append(description)
        elif kind == "content":
            found[kind] = max(candidates, key=_body_area)
        else:
            found[kind] = candidates[0]
    if missing:
        raise TemplateError(f"{source}: no slide layout for " + "; nor for ".join(missing))
    notes = presentation.notes_master
    if not any(shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.BODY for shape in notes.shapes):
        raise TemplateError(f"{source}: the notes master has no text placeholder (BODY) for speaker notes")
    return Layouts(**found)


def open_template(path: Path | None = None) -> tuple[PresentationType, Layouts]:
    """A presentation with the template's layouts and no slides, and the layouts the deck will use."""
    if path is None:
        presentation = Presentation(io.BytesIO(default_template()))
        return presentation, pick_layouts(presentation, "the built-in template")
    try:
        presentation = Presentation(str(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError, etree.XMLSyntaxError) as error:
        raise TemplateError(f"{path}: cannot be opened as a PowerPoint file (.pptx): {error}") from None
    _drop_slides(presentation)
    return presentation, pick_layouts(presentation, str(path))


def _drop_slides(presentation: PresentationType) -> None:
    """A city's template often carries example slides; the deck starts empty. python-pptx has no public call."""
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


@lru_cache(maxsize=1)
def default_template() -> bytes:
    """The project's template as .pptx bytes, built once per process from python-pptx's default."""
    presentation = Presentation()
    scale = WIDE[0] / presentation.slide_width
    presentation.slide_width, presentation.slide_height = Emu(WIDE[0]), Emu(WIDE[1])
    master = presentation.slide_master
    for part in (master, *master.slide_layouts):
        for offset in part.element.iter(qn("a:off")):
            offset.set("x", str(round(int(offset.get("x", "0")) * scale)))
        for extent in part.element.iter(qn("a:ext")):
            if extent.get("cx") is not None:
                extent.set("cx", str(round(int(extent.get("cx", "0")) * scale)))
    _master_text(master.element)
    title = next(layout for layout in master.slide_layouts if _is_title(layout))
    title.background.fill.solid()
    title.background.fill.fore_color.theme_color = MSO_THEME_COLOR.TEXT_2
    for shape in title.shapes:
        _light_text(shape.element)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return _with_theme(buffer.getvalue())


def _master_text(master: etree._Element) -> None:
    """Titles in the dark blue, left-aligned; body sizes from TEXT_SIZES; bullets in the deck's font."""
    styles = master.find(qn("p:txStyles"))
    assert styles is not None
    title = styles.find(f"{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    assert title is not None
    title.set("algn", "l")
    title_run = title.find(qn("a:defRPr"))
    assert title_run is not None
    title_run.set("sz", str(TEXT_SIZES["title"]))
    title_run.find(f"{qn('a:solidFill')}/{qn('a:schemeClr')}").set("val", "tx2")
    body_sizes = TEXT_SIZES["body"]
    assert isinstance(body_sizes, tuple)
    body = styles.find(qn("p:bodyStyle"))
    assert body is not None
    for level in range(1, 10):
        paragraph = body.find(qn(f"a:lvl{level}pPr"))
        assert paragraph is not None
        paragraph.find(qn("a:defRPr")).set("sz", str(body_sizes[min(level, len(body_sizes)) - 1]))
        bullet_font = paragraph.find(qn("a:buFont"))
        if bullet_font is not None:
            bullet_font.set("typeface", FONT_NAME)


def _light_text(shape: etree._Element) -> None:
    """Text in the light scheme colour, for placeholders on the dark title slide."""
    styles = shape.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}")
    assert styles is not None
    level = styles.find(qn("a:lvl1pPr"))
    if level is None:
        level = etree.SubElement(styles, qn("a:lvl1pPr"))
    run = level.find(qn("a:defRPr"))
    if run is None:
        run = etree.SubElement(level, qn("a:defRPr"))
    for old in run.findall(qn("a:solidFill")):
        run.remove(old)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr"), val="bg1")
    run.insert(0, fill)


def _with_theme(package: bytes) -> bytes:
    """Rewrite the theme: python-pptx reads themes as opaque parts, so the zip entry is edited instead."""
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == THEME_FILE:
                data = _theme(data)
            target.writestr(item, data)
    return output.getvalue()


def _theme(xml: bytes) -> bytes:
    theme = etree.fromstring(xml)
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    assert scheme is not None
    scheme.set("name", "resurskurs")
    for name, colour in COLOURS.items():
        slot = scheme.find(qn(f"a:{name}"))
        assert slot is not None
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=colour)
    fonts = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    assert fonts is not None
    fonts.set("name", "resurskurs")
    for latin in fonts.iter(qn("a:latin")):
        latin.set("typeface", FONT_NAME)
    return bytes(etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True))
