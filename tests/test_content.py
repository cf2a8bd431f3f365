"""The eight modules of the repository: complete, substantial, accessible, and using the whole schema."""

from __future__ import annotations

import re
from functools import cache

import pytest
from pydantic import BaseModel

from resurskurs.catalog.load import Catalog, Module, load_catalog
from resurskurs.films.script import LINE_WIDTH
from resurskurs.schema import Course, FilmManifest
from tests.conftest import REPO

MODULES = {
    "trygga-relationer": "Trygga relationer, lek och lärande i förskolan utifrån anknytningsteorin",
    "lek-och-samspel": "Lek och samspel",
    "tydliggorande-pedagogik": "Tydliggörande pedagogik",
    "svara-samtal": "Svåra samtal i förskolan",
    "barnen-i-gruppen": "Barnen i gruppen",
    "takk": "TAKK – tecken som alternativ och kompletterande kommunikation",
    "sprakutveckling": "Barns språkutveckling",
    "traumamedveten-omsorg": "Traumamedveten omsorg i förskolan",
}
MIN_CHAPTER_SECONDS = 180
SIGN_FORMATION = re.compile(
    r"\b(handform\w*|handflat\w*|pekfing\w*|tumm(e|en|ar)|fingrar\w*|handled(en|er|erna)?)\b", re.IGNORECASE
)


@cache
def catalog() -> Catalog:
    return load_catalog(REPO)


def modules() -> list[Module]:
    return catalog().modules


@pytest.fixture(params=list(MODULES), ids=list(MODULES))
def module(request: pytest.FixtureRequest) -> Module:
    return catalog().module(request.param)


class DescribeTheCatalog:
    def it_has_no_problems(self) -> None:
        assert [str(problem) for problem in catalog().problems] == []

    def it_holds_the_eight_modules_of_the_design(self) -> None:
        assert {m.course.slug: m.course.title for m in modules()} == MODULES

    def it_uses_every_field_of_the_schema_somewhere(self) -> None:
        used: set[tuple[str, str]] = set()
        for item in [m.course for m in modules()] + [f.manifest for f in catalog().films.values()]:
            _collect_used_fields(item, used)
        declared = _declared_fields(Course) | _declared_fields(FilmManifest)
        assert sorted(declared - used) == []


class DescribeEachModule:
    def it_has_at_least_four_chapters_each_ending_in_a_stop(self, module: Module) -> None:
        chapters = module.course.preparation.chapters
        assert len(chapters) >= 4
        spans = {chapter.id: chapter for chapter in module.film.manifest.chapters}
        for chapter in chapters:
            ending = [stop for stop in chapter.stops if stop.at is None or stop.at == spans[chapter.film_chapter].end]
            assert ending, f"{chapter.film_chapter} has no stop at its end"

    def it_has_a_full_knowledge_check(self, module: Module) -> None:
        items = module.course.preparation.knowledge_check.items
        assert len(items) >= 5
        assert {item.kind for item in items} == {"single", "multiple"}

    def it_has_an_assignment_a_task_a_workshop_reading_and_a_survey(self, module: Module) -> None:
        course = module.course
        assert len(course.preparation.reflection.rubric) >= 2
        assert course.practice.steps and course.practice.note_prompt
        assert len(course.workshop.questions) >= 4
        assert course.workshop.exercise.instructions
        assert course.reading
        assert course.survey.likert and course.survey.open

    def it_speaks_for_several_minutes_in_every_chapter(self, module: Module) -> None:
        cues = module.film.subtitles["sv"]
        for chapter in module.film.manifest.chapters:
            spoken = [cue for cue in cues if chapter.start <= cue.start < chapter.end]
            assert chapter.end - chapter.start >= MIN_CHAPTER_SECONDS, chapter.id
            assert sum(len(cue.text) for cue in spoken) >= 2400, chapter.id

    def it_has_a_transcript_with_the_same_words_as_the_subtitles(self, module: Module) -> None:
        transcript = module.film.transcript
        assert transcript is not None
        subtitle_words = " ".join(cue.text for cue in module.film.subtitles["sv"]).split()
        assert subtitle_words == transcript.text.split()

    def it_follows_the_subtitle_guide(self, module: Module) -> None:
        for cue in module.film.subtitles["sv"]:
            lines = cue.text.split("\n")
            assert len(lines) <= 2 and all(len(line) <= LINE_WIDTH for line in lines), cue
            assert len(cue.text) / (cue.end - cue.start) <= 15.5, cue

    def it_names_fictional_speakers_with_a_profession(self, module: Module) -> None:
        for speaker in module.film.manifest.speakers:
            assert speaker.profession in {"specialpedagog", "psykolog", "logoped"}


class DescribeTheTakkVocabulary:
    def it_has_at_least_forty_everyday_words_with_a_clip_slot(self) -> None:
        words = catalog().module("takk").course.vocabulary
        assert len(words) >= 40
        assert all(word.clip and word.clip.startswith("media/takk/") for word in words)
        assert len({word.category for word in words}) >= 4

    def it_never_describes_how_a_sign_is_formed(self) -> None:
        takk = catalog().module("takk")
        texts = [takk.course.model_dump_json(), takk.film.transcript.text if takk.film.transcript else ""]
        assert [match.group(0) for text in texts for match in SIGN_FORMATION.finditer(text)] == []


def _collect_used_fields(model: BaseModel, used: set[tuple[str, str]]) -> None:
    for name in model.model_fields_set:
        value = getattr(model, name)
        if value in (None, [], {}):
            continue
        used.add((type(model).__name__, name))
        children = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        for child in children:
            if isinstance(child, BaseModel):
                _collect_used_fields(child, used)


def _declared_fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[tuple[str, str]]:
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    declared = set()
    for name, field in model.model_fields.items():
        declared.add((model.__name__, name))
        for nested in _models_in(field.annotation):
            declared |= _declared_fields(nested, seen)
    return declared


def _models_in(annotation: object) -> list[type[BaseModel]]:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]
