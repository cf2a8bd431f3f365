"""Checks that span files: the course against its film, the film against its subtitles and transcript."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

from resurskurs.catalog.problems import Loc, Problem, format_loc
from resurskurs.catalog.subtitles import Cue
from resurskurs.catalog.transcript import Transcript
from resurskurs.catalog.yaml_source import YamlDocument
from resurskurs.schema import Course, FilmManifest
from resurskurs.schema.timecode import format_timecode as tc
from resurskurs.schema.vocabulary import ROUTINE_SLOTS


def check_film(film: FilmManifest, doc: YamlDocument) -> list[Problem]:
    """Chapters lie inside the film, in order, without overlap."""
    problems = []
    previous_end = 0.0
    for index, chapter in enumerate(film.chapters):
        loc: Loc = ("chapters", index)
        if chapter.end > film.duration:
            problems.append(
                _at(
                    doc,
                    (*loc, "end"),
                    f"chapter ends at {tc(chapter.end)}, after the film's duration {tc(film.duration)}",
                )
            )
        if index and chapter.start < previous_end:
            earlier = film.chapters[index - 1].id
            problems.append(
                _at(
                    doc,
                    (*loc, "start"),
                    f"chapter starts at {tc(chapter.start)}, before {earlier!r} ends at {tc(previous_end)}; "
                    "expected chapters in order without overlap",
                )
            )
        previous_end = max(previous_end, chapter.end)
    problems += _duplicates(
        doc, (("chapters", i, "id") for i in range(len(film.chapters))), [c.id for c in film.chapters], "chapter id"
    )
    if not film.subtitles and film.transcript is None:
        problems.append(_at(doc, ("subtitles",), "every film needs subtitles or a transcript; expected at least one"))
    return problems


def check_subtitles(film: FilmManifest, doc: YamlDocument, language: str, cues: list[Cue]) -> list[Problem]:
    if not cues:
        return [_at(doc, ("subtitles", language), "the subtitle file has no cues")]
    last = max(cue.end for cue in cues)
    if last > film.duration:
        return [
            _at(
                doc,
                ("subtitles", language),
                f"subtitles run to {tc(last)}, past the film's duration {tc(film.duration)}",
            )
        ]
    return []


def check_transcript(film: FilmManifest, doc: YamlDocument, transcript: Transcript) -> list[Problem]:
    headings = [section.heading for section in transcript.sections]
    titles = [chapter.title for chapter in film.chapters]
    if headings == titles:
        return []
    return [
        _at(
            doc,
            ("transcript",),
            f"the transcript's headings {headings} should be the chapter titles {titles}, in order",
        )
    ]


def check_course(course: Course, doc: YamlDocument, film: FilmManifest, folder_name: str) -> list[Problem]:
    """The course uses its film's chapters in order, stops lie inside their chapter, ids are unique."""
    problems = []
    if course.slug != folder_name:
        problems.append(_at(doc, ("slug",), f"slug {course.slug!r} should equal its folder name {folder_name!r}"))
    spans = {chapter.id: chapter for chapter in film.chapters}
    used = []
    for index, chapter in enumerate(course.preparation.chapters):
        loc: Loc = ("preparation", "chapters", index)
        span = spans.get(chapter.film_chapter)
        if span is None:
            problems.append(
                _at(
                    doc,
                    (*loc, "film_chapter"),
                    f"the film {course.film!r} has no chapter {chapter.film_chapter!r}; "
                    + _hint(chapter.film_chapter, list(spans)),
                )
            )
            continue
        used.append(chapter.film_chapter)
        for stop_index, stop in enumerate(chapter.stops):
            if stop.at is not None and not span.start <= stop.at <= span.end:
                problems.append(
                    _at(
                        doc,
                        (*loc, "stops", stop_index, "at"),
                        f"stop at {tc(stop.at)} lies outside its chapter {span.id!r} ({tc(span.start)}–{tc(span.end)})",
                    )
                )
    film_order = [c.id for c in film.chapters]
    if used and sorted(used, key=film_order.index) != used:
        problems.append(
            _at(doc, ("preparation", "chapters"), f"chapters should follow the film's order: {', '.join(film_order)}")
        )
    missing = [cid for cid in film_order if cid not in used]
    if missing and len(used) == len(course.preparation.chapters):
        problems.append(
            _at(
                doc,
                ("preparation", "chapters"),
                f"film chapters without a course chapter: {', '.join(missing)}; "
                "expected every chapter to have its summary and stop",
            )
        )
    problems += _duplicates(
        doc,
        (("preparation", "chapters", i, "film_chapter") for i in range(len(course.preparation.chapters))),
        [c.film_chapter for c in course.preparation.chapters],
        "film chapter",
    )
    stop_locs = [
        ("preparation", "chapters", i, "stops", j, "id")
        for i, c in enumerate(course.preparation.chapters)
        for j in range(len(c.stops))
    ]
    problems += _duplicates(doc, stop_locs, [s.id for s in course.stops], "stop id")
    items = course.preparation.knowledge_check.items
    problems += _duplicates(
        doc,
        (("preparation", "knowledge_check", "items", i, "id") for i in range(len(items))),
        [i.id for i in items],
        "knowledge-check id",
    )
    surveys = [("survey", course.survey)]
    if course.follow_up_survey is not None:
        surveys.append(("follow_up_survey", course.follow_up_survey))
    survey_locs = [(name, "likert", i, "id") for name, survey in surveys for i in range(len(survey.likert))]
    survey_locs += [(name, "open", i, "id") for name, survey in surveys for i in range(len(survey.open))]
    survey_ids = [item.id for _, survey in surveys for item in survey.likert]
    survey_ids += [question.id for _, survey in surveys for question in survey.open]
    problems += _duplicates(doc, survey_locs, survey_ids, "survey id")
    problems += _duplicates(
        doc,
        (("vocabulary", i, "word") for i in range(len(course.vocabulary))),
        [w.word.lower() for w in course.vocabulary],
        "vocabulary word",
    )
    problems += check_guides(course, doc)
    problems += check_local_routines(course, doc)
    problems += check_easy_read(course, doc)
    return problems


GUIDES = {
    "leadership": "a leadership guide for principals (why, launch, planning_time, follow_up)",
    "facilitator": "a facilitator's guide for part B (before, confidentiality, disclosure, aftercare)",
}


def check_guides(course: Course, doc: YamlDocument) -> list[Problem]:
    """Every module carries both guides: principals launch it, and someone leads its gruppträff."""
    return [
        _at(doc, (name,), f"the module has no {name!r}; expected {what}")
        for name, what in GUIDES.items()
        if getattr(course, name) is None
    ]


def check_local_routines(course: Course, doc: YamlDocument) -> list[Problem]:
    """Each local-routine reference names a slot of the district routines (district/routines.py)."""
    places: list[tuple[Loc, list[str]]] = [
        (("preparation", "chapters", i, "local_routines"), chapter.local_routines)
        for i, chapter in enumerate(course.preparation.chapters)
    ]
    places += [(("workshop", "local_routines"), course.workshop.local_routines)]
    places += [(("practice", "local_routines"), course.practice.local_routines)]
    if course.facilitator is not None:
        places.append((("facilitator", "local_routines"), course.facilitator.local_routines))
    problems = []
    for loc, refs in places:
        for index, ref in enumerate(refs):
            if ref not in ROUTINE_SLOTS:
                problems.append(
                    _at(doc, (*loc, index), f"no local-routine slot {ref!r}; {_hint(ref, list(ROUTINE_SLOTS))}")
                )
    return problems


def check_easy_read(course: Course, doc: YamlDocument) -> list[Problem]:
    """Lättläst: one summary for each of the module's chapters, and none for a chapter it does not have."""
    if course.easy_read is None:
        return []
    chapters = [chapter.film_chapter for chapter in course.preparation.chapters]
    summaries = course.easy_read.chapters
    problems = []
    for index, summary in enumerate(summaries):
        if summary.film_chapter not in chapters:
            problems.append(
                _at(
                    doc,
                    ("easy_read", "chapters", index, "film_chapter"),
                    f"the module has no chapter {summary.film_chapter!r}; {_hint(summary.film_chapter, chapters)}",
                )
            )
    summarised = {summary.film_chapter for summary in summaries}
    missing = [chapter for chapter in chapters if chapter not in summarised]
    if missing:
        problems.append(
            _at(
                doc,
                ("easy_read", "chapters"),
                f"chapters without a lättläst summary: {', '.join(missing)}; expected one summary per chapter",
            )
        )
    problems += _duplicates(
        doc,
        (("easy_read", "chapters", i, "film_chapter") for i in range(len(summaries))),
        [summary.film_chapter for summary in summaries],
        "lättläst chapter",
    )
    words = course.easy_read.words
    problems += _duplicates(
        doc,
        (("easy_read", "words", i, "word") for i in range(len(words))),
        [word.word.lower() for word in words],
        "lättläst word",
    )
    return problems


def _hint(value: str, choices: list[str]) -> str:
    """What the author probably meant, or else every valid choice."""
    close = difflib.get_close_matches(value, choices, n=1)
    return f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(choices)}"


def _duplicates(doc: YamlDocument, locs: Iterable[Loc], values: list[str], what: str) -> list[Problem]:
    counts = Counter(values)
    seen: set[str] = set()
    problems = []
    for loc, value in zip(locs, values, strict=True):
        if counts[value] > 1 and value in seen:
            problems.append(_at(doc, loc, f"duplicate {what} {value!r}; expected each to be unique"))
        seen.add(value)
    return problems


def _at(doc: YamlDocument, loc: Loc, message: str) -> Problem:
    return doc.problem(loc, message, format_loc(loc))
