"""What the deck says, slide by slide, as plain data: the module's text in workshop order, with notes.

Nothing here knows about PowerPoint; `deck` lays these out, continuing a slide that runs long.
"""

from __future__ import annotations

from dataclasses import dataclass

from resurskurs.catalog.load import Module
from resurskurs.core.figures import EvaluationFigures, ModuleFigures
from resurskurs.core.progress import STAGE_LABELS, Stage
from resurskurs.schema import VocabularyWord
from resurskurs.schema.timecode import clock
from resurskurs.slides import notes
from resurskurs.slides.fitting import Para, Sizes
from resurskurs.ui.formats import number, percent

TITLE = Sizes(40, 24)
COVER_TITLE = Sizes(44, 28)
SUBTITLE = Sizes(28, 18)
BODY = Sizes(28, 18)
QUESTION = Sizes(36, 20)
OPEN_ANSWERS_SHOWN = 2
"""Open answers quoted per question; the rest stay in the resource team's view."""


@dataclass(frozen=True)
class TitleSlide:
    title: str
    subtitle: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class TextSlide:
    title: str
    paragraphs: tuple[Para, ...]
    notes: str
    sizes: Sizes = BODY
    qr_url: str | None = None


@dataclass(frozen=True)
class ChartSlide:
    title: str
    categories: tuple[str, ...]
    values: tuple[int, ...]
    caption: str
    notes: str


Slide = TitleSlide | TextSlide | ChartSlide


def _bullets(texts: list[str]) -> tuple[Para, ...]:
    return tuple(Para(text) for text in texts)


def outline(
    module: Module,
    *,
    course_url: str,
    progress: ModuleFigures | None = None,
    evaluation: EvaluationFigures | None = None,
) -> list[Slide]:
    """The workshop in order: opening, goals, agenda, [the group's progress], film and chapters, questions,
    exercise, [signs of the week], practice, [evaluation], reading, closing."""
    course, film = module.course, module.film.manifest
    group = progress.group if progress else (evaluation.group if evaluation else None)
    chapters = {chapter.id: chapter for chapter in film.chapters}
    workshop = course.workshop
    slides: list[Slide] = [
        TitleSlide(
            course.title,
            (f"Gruppträff · {workshop.minutes} minuter", *([group] if group else [])),
            notes.opening(module, group),
        ),
        TextSlide("Mål med modulen", _bullets(course.learning_goals), notes.goals(course)),
        TextSlide(
            f"Dagens gruppträff – {workshop.minutes} minuter",
            _bullets([f"{item.minutes} min – {item.activity}" for item in workshop.agenda]),
            notes.agenda(course),
        ),
    ]
    if progress is not None:
        slides.append(
            ChartSlide(
                f"Så långt har {progress.group} kommit",
                tuple(STAGE_LABELS[stage] for stage in Stage),
                tuple(progress.counts.get(stage, 0) for stage in Stage),
                f"{progress.done} av {progress.people} är klara med modulen ({percent(100 * progress.done_share)})",
                notes.progress(progress),
            )
        )
    slides.append(
        TextSlide(
            f"Filmen i {len(film.chapters)} kapitel",
            _bullets([f"{clock(c.start)}–{clock(c.end)}  {c.title}" for c in film.chapters]),
            notes.film(module, course_url),
            qr_url=course_url,
        )
    )
    for position, chapter in enumerate(course.preparation.chapters, start=1):
        film_chapter = chapters[chapter.film_chapter]
        slides.append(
            TextSlide(
                f"Kapitel {position}: {film_chapter.title}",
                _bullets(chapter.key_points),
                notes.chapter(position, chapter, film_chapter),
            )
        )
    total = len(workshop.questions)
    slides += [
        TextSlide(
            f"Diskussionsfråga {number} av {total}",
            (Para(question, bullet=False),),
            notes.question(number, total),
            sizes=QUESTION,
        )
        for number, question in enumerate(workshop.questions, start=1)
    ]
    slides.append(
        TextSlide(
            f"Övning: {workshop.exercise.title}",
            _bullets(workshop.exercise.instructions),
            notes.exercise(workshop.exercise),
        )
    )
    categories: dict[str, list[VocabularyWord]] = {}
    for word in course.vocabulary:
        categories.setdefault(word.category, []).append(word)
    without_film = {word.word for word in module.film.signs_without_clip(course.vocabulary)}
    slides += [
        TextSlide(
            f"Veckans tecken: {category}",
            _bullets([f"{word.word} – ”{word.example}”" for word in words]),
            notes.signs(
                category, [word.word for word in words], [word.word for word in words if word.word in without_film]
            ),
        )
        for category, words in categories.items()
    ]
    slides.append(
        TextSlide(
            "Pröva i praktiken",
            (Para(course.practice.task, bullet=False), *_bullets(course.practice.steps)),
            notes.practice(course.practice),
        )
    )
    if evaluation is not None:
        slides += _evaluation(evaluation, {item.id: item.question for item in course.survey.open})
    slides += [
        TextSlide(
            "Fördjupning",
            _bullets(
                [
                    f"{item.author} ({item.year}): {item.title}" + (f". {item.publisher}" if item.publisher else "")
                    for item in course.reading
                ]
            ),
            notes.reading(course.reading),
        ),
        TitleSlide(
            "Tack för i dag!",
            ("Nästa steg: pröva i praktiken", f"Sedan uppföljning tillsammans, {course.follow_up.minutes} minuter"),
            notes.closing(course),
        ),
    ]
    return slides


def _evaluation(figures: EvaluationFigures, questions: dict[str, str]) -> list[Slide]:
    likert = TextSlide(
        f"Utvärdering: så tyckte ni ({figures.answered} svar)",
        _bullets(
            [
                f"{number(item.mean, 1)} av 5 – {item.statement} "
                f"(svar från 1 till 5: {', '.join(str(count) for count in item.counts)})"
                for item in figures.likert
                if item.mean is not None
            ]
        ),
        notes.evaluation(figures),
    )
    quoted: list[Para] = []
    for item_id, answers in figures.open_answers.items():
        shown = [answer.strip() for answer in answers if answer.strip()][:OPEN_ANSWERS_SHOWN]
        if shown:
            quoted.append(Para(questions.get(item_id, item_id), bullet=False))
            quoted += [Para(f"”{answer}”") for answer in shown]
    if not quoted:
        return [likert]
    return [likert, TextSlide("Utvärdering: med egna ord", tuple(quoted), notes.open_answers())]
