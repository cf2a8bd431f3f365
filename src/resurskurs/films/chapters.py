"""Chapter times from a film's subtitles: each chapter starts where its first script line is spoken.

The transcript has one section per chapter, so the opening words of each section are what the lecturer
says first in that chapter. The first subtitle cue (after the previous chapter's) that begins with those
words marks the chapter; the chapter starts in the pause before it, at most a second ahead of the cue and
never inside the cue before. A lecturer seldom reads the script word for word, so the words are compared
with a tolerance (of the first eight, two may be dropped or changed, and two more may be said among them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from resurskurs.catalog.load import Film, Module
from resurskurs.catalog.subtitles import Cue
from resurskurs.films.media import MediaError
from resurskurs.films.script import cue_texts
from resurskurs.schema import FilmChapter
from resurskurs.schema.timecode import format_timecode as tc

OPENING_WORDS = 8
"""How many of a chapter's first words are looked for: enough to be unlike any other sentence."""
MIN_LIKENESS = 0.75
"""Share of those words heard in order: of eight, two may be dropped or changed."""
SLACK_WORDS = 2
"""Words the lecturer may add before or among the opening ones ("Ja, och nu …")."""
LEAD_SECONDS = 1.0
"""How far ahead of its first cue a chapter starts, so a jump to the chapter does not clip the first word."""
LOOK_AHEAD_CUES = 3
"""A supplier may break the opening sentence over several cues; their words are read together."""


class ChapterError(MediaError):
    """Chapter times that cannot be taken from the subtitles, with what was looked for and what came closest."""


def words(text: str) -> list[str]:
    """Words as compared: case, punctuation and line breaks aside."""
    return re.findall(r"\w+", text.casefold())


def chapters_from_subtitles(film: Film, cues: Sequence[Cue], duration: float) -> list[FilmChapter]:
    """The manifest's chapters with times taken from `cues`; ChapterError names every chapter not found."""
    if film.transcript is None:
        raise ChapterError(
            f"{film.file}: chapter times come from the transcript's first line in each chapter, and the film has no "
            "`transcript:`; expected one, or set the chapter times by hand"
        )
    chapters = film.manifest.chapters
    openings = [cue_texts(section.paragraphs[0])[0] for section in film.transcript.sections]
    starts: list[float] = []
    problems: list[str] = []
    after = 0
    for number, (chapter, opening) in enumerate(zip(chapters, openings, strict=True), start=1):
        found, closest = _first_cue(opening, cues, after)
        if found is None:
            problems.append(_not_found(number, chapter, opening, cues, after, closest))
            starts.append(-1.0)
            continue
        cue = cues[found]
        before = cues[found - 1].end if found else 0.0
        starts.append(0.0 if number == 1 else round(max(before, cue.start - LEAD_SECONDS), 3))
        after = found + 1
    if not problems and starts[-1] >= duration:
        problems.append(
            f"chapter {len(chapters)} starts at {tc(starts[-1])}, at or after the film's end {tc(duration)}"
        )
    if problems:
        raise ChapterError(
            f"cannot set the chapter times of {film.file.name} from the subtitles: "
            + "; ".join(problems)
            + f". Expected each chapter's first line in {film.manifest.transcript} to be spoken at the start of the "
            "chapter: correct the subtitles or the transcript, or set the chapter times by hand"
        )
    ends = [*starts[1:], round(duration, 3)]
    return [
        chapter.model_copy(update={"start": start, "end": end})
        for chapter, start, end in zip(chapters, starts, ends, strict=True)
    ]


def stops_outside(module: Module, chapters: Sequence[FilmChapter]) -> list[str]:
    """Stops with their own time (`at:`) that the given chapter times would leave outside their chapter."""
    spans = {chapter.id: chapter for chapter in chapters}
    outside = []
    for course_chapter in module.course.preparation.chapters:
        span = spans[course_chapter.film_chapter]
        outside += [
            f"stop {stop.id!r} at {tc(stop.at)} would lie outside chapter {span.id!r} ({tc(span.start)}–{tc(span.end)})"
            for stop in course_chapter.stops
            if stop.at is not None and not span.start <= stop.at <= span.end
        ]
    return outside


def _first_cue(opening: str, cues: Sequence[Cue], after: int) -> tuple[int | None, tuple[float, int]]:
    """The first cue from `after` on that begins with the opening words, and the closest cue (likeness, index).

    A cue that ends the sentence before the opening also scores well, as the opening follows among the
    words read with it; the next cue then scores as well or better, so the match moves on while it does."""
    wanted = words(opening)[:OPENING_WORDS]

    def likeness(index: int) -> float:
        heard = words(" ".join(cue.text for cue in cues[index : index + LOOK_AHEAD_CUES]))
        matcher = SequenceMatcher(None, wanted, heard[: len(wanted) + SLACK_WORDS], autojunk=False)
        return sum(block.size for block in matcher.get_matching_blocks()) / len(wanted)

    closest = (0.0, after)
    for index in range(after, len(cues)):
        score = likeness(index)
        if score >= MIN_LIKENESS:
            while index + 1 < len(cues) and (better := likeness(index + 1)) >= score:
                index, score = index + 1, better
            return index, closest
        closest = max(closest, (score, index), key=lambda pair: pair[0])
    return None, closest


def _not_found(
    number: int, chapter: FilmChapter, opening: str, cues: Sequence[Cue], after: int, closest: tuple[float, int]
) -> str:
    first_line = " ".join(opening.split())
    since = f"after {tc(cues[after - 1].start)} " if after else ""
    message = (
        f"chapter {number} {chapter.id!r} ({chapter.title}): no cue {since}begins with its first line ”{first_line}”"
    )
    likeness, index = closest
    if index < len(cues) and likeness > 0:
        cue = cues[index]
        said = " ".join(cue.text.split())
        at = tc(round(cue.start, 3))
        message += f" (closest: cue {index + 1} at {at}, ”{said}”, {likeness:.0%} of those words)"
    return message
