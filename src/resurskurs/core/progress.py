"""How far a learner has come in a module: the one rule behind the learner's checklist, the percentage on
every page and report, and the principal's status.

A module has five steps, as its completion rule says: the film (watched up to `min_watched_share`, or
every chapter read where it cannot play), the knowledge check (right on at least `quiz_pass_share` of
the questions), the reflection (at least its minimum words), the practice task and the evaluation.
The percentage is the mean of the steps, so "every step ticked" and "100 %" are the same fact.

Handing in and being done are two facts: a module handed in with steps missing is "inlämnad, inte klar",
and only a module with every step done counts as done, on every page, report and slide (`Stage`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from resurskurs.catalog.load import Module
from resurskurs.core.answers import Answers, FilmProgress
from resurskurs.core.review import Review


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"


LABELS = {
    Status.NOT_STARTED: "Inte påbörjad",
    Status.IN_PROGRESS: "Pågår",
    Status.SUBMITTED: "Inlämnad",
    Status.REVIEWED: "Granskad",
}


HANDED_IN = frozenset({Status.SUBMITTED, Status.REVIEWED})
COMPLETE = 100
"""The percent of a module with every step of the rule done."""


class Stage(StrEnum):
    """Where a person is in a module as principals count it: handed in is not done unless every step is."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    INCOMPLETE = "incomplete"
    COMPLETE = "complete"


STAGE_LABELS = {
    Stage.NOT_STARTED: "Inte påbörjad",
    Stage.IN_PROGRESS: "Pågår",
    Stage.INCOMPLETE: "Inlämnad, inte klar",
    Stage.COMPLETE: "Klar",
}


def stage(status: Status, percent: int) -> Stage:
    return stage_of(status, percent >= COMPLETE)


def stage_of(status: Status, complete: bool) -> Stage:
    """`stage` from whether every step is done (percent ≥ COMPLETE): what the district's counts group by."""
    if status is Status.NOT_STARTED:
        return Stage.NOT_STARTED
    if status is Status.IN_PROGRESS:
        return Stage.IN_PROGRESS
    return Stage.COMPLETE if complete else Stage.INCOMPLETE


def status_label(status: Status, percent: int) -> str:
    """The one wording of a person's state in a module, for the learner, the principal and the report."""
    if status is Status.NOT_STARTED:
        return LABELS[status]
    if status is Status.IN_PROGRESS:
        return f"{LABELS[status]} – {percent} %"
    if percent >= COMPLETE:
        return f"Klar, {LABELS[status].lower()}"
    return f"{LABELS[status]}, inte klar – {percent} %"


@dataclass(frozen=True)
class Progress:
    status: Status
    percent: int
    watched_share: float

    @property
    def label(self) -> str:
        return status_label(self.status, self.percent)

    @property
    def stage(self) -> Stage:
        return stage(self.status, self.percent)


@dataclass(frozen=True)
class Step:
    """One line of the learner's checklist: how much of the step is done (0–1) and what it says."""

    share: float
    label: str

    @property
    def done(self) -> bool:
        return self.share >= 1.0



def watched_share(module: Module, film: FilmProgress) -> float:
    """Share of the film seen in the player; chapters read as text are not watched (see `chapters_read`)."""
    seen = sum(max(0.0, end - start) for start, end in film.watched)
    return min(1.0, seen / module.film.manifest.duration)


def chapters_read(module: Module, film: FilmProgress) -> int:
    """Chapters marked as read in fallback mode (no playable film), counting only the film's own chapters."""
    return len({chapter.id for chapter in module.film.manifest.chapters} & set(film.chapters_read))


def film_step(module: Module, film: FilmProgress) -> float:
    """The film step, 0–1: watched up to the course's share, or every chapter read where the film cannot play."""
    watched = min(1.0, watched_share(module, film) / module.course.completion.min_watched_share)
    return max(watched, chapters_read(module, film) / len(module.film.manifest.chapters))


def word_count(text: str) -> int:
    return len(text.split())


def questions_to_pass(module: Module) -> int:
    """Right answers the knowledge check needs: the course's pass share of its questions, rounded up."""
    items = module.course.preparation.knowledge_check.items
    return max(1, math.ceil(module.course.completion.quiz_pass_share * len(items) - 1e-9))


def steps(module: Module, answers: Answers) -> list[Step]:
    """The five steps of the completion rule, in the order the page shows them."""
    course = module.course
    film = answers.film
    if film.chapters_read or not module.film.has_media:
        total = len(module.film.manifest.chapters)
        film_label = f"Filmen: du har läst {chapters_read(module, film)} av {total} kapitel"
    else:
        film_label = f"Filmen: du har sett {round(100 * watched_share(module, film))} %"
    items = course.preparation.knowledge_check.items
    right = sum(1 for item in items if item.id in answers.quiz and answers.quiz[item.id].correct)
    needed = questions_to_pass(module)
    words = word_count(answers.reflection)
    minimum = course.preparation.reflection.min_words
    statements = course.survey.likert
    rated = sum(1 for item in statements if item.id in answers.survey.likert)
    return [
        Step(film_step(module, film), film_label),
        Step(min(1.0, right / needed), f"Kunskapsfrågor: {right} av {len(items)} rätt (minst {needed} behövs)"),
        Step(1.0 if words >= minimum else 0.0, f"Reflektionsuppgiften: {words} av minst {minimum} ord"),
        Step(1.0 if answers.practice.done else 0.0, "Pröva i praktiken"),
        Step(rated / len(statements) if statements else 1.0, f"Utvärderingen: {rated} av {len(statements)} påståenden"),
    ]


def missing(module: Module, answers: Answers) -> list[Step]:
    """The steps not done yet, in the order the page shows them: what "Lämna in" names before asking."""
    return [step for step in steps(module, answers) if not step.done]


def progress(module: Module, answers: Answers, review: Review | None = None) -> Progress:
    """The mean of the five steps; reviewed or submitted when the gradebook says so, which never makes it 100."""
    share = watched_share(module, answers.film)
    done = [step.share for step in steps(module, answers)]
    percent = math.floor(100 * sum(done) / len(done))
    if review is not None:
        return Progress(Status.REVIEWED if review.reviewed else Status.SUBMITTED, percent, share)
    if answers.empty:
        return Progress(Status.NOT_STARTED, 0, 0.0)
    return Progress(Status.IN_PROGRESS, percent, share)
