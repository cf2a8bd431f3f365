"""How far a learner has come in a module, computed from their saved answers and the course's rule."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from resurskurs.catalog.load import Module
from resurskurs.core.answers import Answers, FilmProgress
from resurskurs.tracking.reviews import Review


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


@dataclass(frozen=True)
class Progress:
    status: Status
    percent: int
    watched_share: float

    @property
    def label(self) -> str:
        if self.status is Status.IN_PROGRESS:
            return f"{LABELS[self.status]} – {self.percent} %"
        return LABELS[self.status]


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


def progress(module: Module, answers: Answers, review: Review | None = None) -> Progress:
    """Reviewed or submitted when the gradebook says so; otherwise five equal steps: film, knowledge check,
    reflection, practice task, evaluation."""
    share = watched_share(module, answers.film)
    if review is not None:
        return Progress(Status.REVIEWED if review.reviewed else Status.SUBMITTED, 100, share)
    if answers.empty:
        return Progress(Status.NOT_STARTED, 0, 0.0)
    course = module.course
    items = course.preparation.knowledge_check.items
    steps = [
        film_step(module, answers.film),
        sum(1 for item in items if item.id in answers.quiz and answers.quiz[item.id].attempts) / len(items),
        1.0 if word_count(answers.reflection) >= course.preparation.reflection.min_words else 0.0,
        1.0 if answers.practice.done else 0.0,
        sum(1 for item in course.survey.likert if item.id in answers.survey.likert) / len(course.survey.likert),
    ]
    return Progress(Status.IN_PROGRESS, round(100 * sum(steps) / len(steps)), share)
