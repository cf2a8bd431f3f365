"""The figures the views, reports and workshop decks show: counts per status, scores, evaluations.

Everything here is computed from `ProgressRow`s and `EvaluationRow`s; nothing here reads a
database, so what is on screen, in a report and on a slide are the same numbers by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from resurskurs.player.progress import Status

MIN_ANSWERS = 5
"""An evaluation is shown for a group only when at least this many answered, so nobody can be singled out."""


@dataclass(frozen=True)
class ModuleFigures:
    """One module in one group (a unit, a work team or the whole district)."""

    slug: str
    title: str
    group: str
    counts: dict[Status, int]
    mean_score_share: float | None

    @property
    def people(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts.get(Status.SUBMITTED, 0) + self.counts.get(Status.REVIEWED, 0)

    @property
    def done_share(self) -> float:
        return self.done / self.people if self.people else 0.0


@dataclass(frozen=True)
class LikertFigures:
    """How many chose each step 1..5 of the agreement scale for one statement."""

    item_id: str
    statement: str
    counts: tuple[int, int, int, int, int]

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        return sum((i + 1) * n for i, n in enumerate(self.counts)) / self.answered if self.answered else None


@dataclass(frozen=True)
class EvaluationFigures:
    """The evaluation of one module in one group; only ever built when `answered >= MIN_ANSWERS`."""

    slug: str
    group: str
    answered: int
    likert: list[LikertFigures]
    open_answers: dict[str, list[str]]
