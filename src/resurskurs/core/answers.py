"""A learner's answers in one module: the typed shape of every draft and every hand-in.

Values arrive from the browser through widget messages, so nothing in here is trusted: each
field has a type, a bound and (with `check_against`) must name something the course has. A
draft is validated on every save and every load; a hand-in carries only what the resource
team may read (never the private logbook, the film position or the flashcard boxes).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from resurskurs.schema import Course

MAX_TEXT = 20_000
"""Characters in one free-text answer: a long reflection is about 3,000 words."""
MAX_ITEMS = 500
"""Entries in one collection (quiz items, stops, words, watched segments)."""
MAX_SECONDS = 24 * 3600.0
LIKERT_STEPS = 5

Key = Annotated[str, StringConstraints(min_length=1, max_length=128)]
FreeText = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Seconds = Annotated[float, Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False)]
Segment = Annotated[list[Seconds], Field(min_length=2, max_length=2)]


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class FilmProgress(_Answer):
    """Where the film was left and which stretches were seen (or, without media, which chapters were read)."""

    position: Seconds = 0.0
    watched: Annotated[list[Segment], Field(max_length=MAX_ITEMS)] = []
    completed_once: bool = False
    chapters_read: Annotated[list[Key], Field(max_length=MAX_ITEMS)] = []

    @field_validator("watched")
    @classmethod
    def _ordered(cls, segments: list[list[float]]) -> list[list[float]]:
        if any(start > end for start, end in segments):
            raise ValueError("a watched segment must start before it ends")
        return segments

    def merged(self, other: FilmProgress) -> FilmProgress:
        """Two tabs' progress together: everything either has seen, the newer position."""
        return FilmProgress(
            position=other.position,
            watched=_union([*self.watched, *other.watched]),
            completed_once=self.completed_once or other.completed_once,
            chapters_read=sorted({*self.chapters_read, *other.chapters_read}),
        )


class QuizAnswer(_Answer):
    selected: Annotated[list[Annotated[int, Field(ge=0, le=100)]], Field(max_length=100)] = []
    attempts: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    correct: bool = False


class PracticeAnswer(_Answer):
    done: bool = False
    note: FreeText = ""


class SurveyAnswer(_Answer):
    likert: Annotated[dict[Key, Annotated[int, Field(ge=1, le=LIKERT_STEPS)]], Field(max_length=MAX_ITEMS)] = {}
    open: Annotated[dict[Key, FreeText], Field(max_length=MAX_ITEMS)] = {}


class CardBox(_Answer):
    """A flashcard's Leitner box and when it was last answered (ISO time)."""

    box: Annotated[int, Field(ge=1, le=5)] = 1
    reviewed: Annotated[str, StringConstraints(max_length=40)] | None = None


class Answers(_Answer):
    """Everything one person has saved in one module."""

    film: FilmProgress = FilmProgress()
    quiz: Annotated[dict[Key, QuizAnswer], Field(max_length=MAX_ITEMS)] = {}
    reflection: FreeText = ""
    practice: PracticeAnswer = PracticeAnswer()
    survey: SurveyAnswer = SurveyAnswer()
    logbook: Annotated[dict[Key, FreeText], Field(max_length=MAX_ITEMS)] = {}
    flashcards: Annotated[dict[Key, CardBox], Field(max_length=MAX_ITEMS)] = {}

    @property
    def empty(self) -> bool:
        return self == Answers()

    def hand_in(self) -> HandIn:
        """What leaves the person's own store when they hand in: never the logbook."""
        return HandIn(quiz=self.quiz, reflection=self.reflection, practice=self.practice, survey=self.survey)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=True)


class HandIn(_Answer):
    """A submission as the grader receives it: the knowledge check, the reflection, practice and evaluation."""

    quiz: Annotated[dict[Key, QuizAnswer], Field(max_length=MAX_ITEMS)] = {}
    reflection: FreeText = ""
    practice: PracticeAnswer = PracticeAnswer()
    survey: SurveyAnswer = SurveyAnswer()


def check_against(answers: Answers | HandIn, course: Course) -> list[str]:
    """What in `answers` names something the course does not have; empty when every key and index fits."""
    items = {item.id: len(item.options) for item in course.preparation.knowledge_check.items}
    problems = [f"quiz: no item {key!r}" for key in answers.quiz if key not in items]
    problems += [
        f"quiz.{key}.selected: option {index} of {items[key]}"
        for key, answer in answers.quiz.items()
        if key in items
        for index in answer.selected
        if index >= items[key]
    ]
    likert = {item.id for item in course.survey.likert}
    problems += [f"survey.likert: no statement {key!r}" for key in answers.survey.likert if key not in likert]
    questions = {question.id for question in course.survey.open}
    problems += [f"survey.open: no question {key!r}" for key in answers.survey.open if key not in questions]
    if isinstance(answers, Answers):
        stops = {stop.id for stop in course.stops}
        problems += [f"logbook: no stop {key!r}" for key in answers.logbook if key not in stops]
        words = {word.word for word in course.vocabulary}
        problems += [f"flashcards: no word {key!r}" for key in answers.flashcards if key not in words]
    return problems


def salvage(data: object) -> tuple[Answers, bool]:
    """The valid parts of a stored draft, and whether anything had to be left out.

    One damaged field (an old bug, a crafted message) must not lock a person out of their module,
    so each top-level field is kept if it is valid on its own.
    """
    if not isinstance(data, dict):
        return Answers(), True
    try:
        return Answers.model_validate(data), False
    except ValidationError:
        kept: dict[str, Any] = {}
        for key, value in data.items():
            if key in Answers.model_fields:
                try:
                    Answers.model_validate({key: value})
                except ValidationError:
                    continue
                kept[key] = value
        return Answers.model_validate(kept), True


def _union(segments: list[list[float]]) -> list[list[float]]:
    merged: list[list[float]] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
