"""The figures views, reports and workshop decks show, as types: one row per person and module, and the
counts, scores and evaluations computed from rows. Every consumer shares these, so the numbers on
screen, in a report and on a slide are the same by construction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from resurskurs.core.progress import Stage, Status, stage

DISTRICT = "Hela förvaltningen"
"""The group of every unit together, beside each unit's own."""


@dataclass(frozen=True)
class ProgressRow:
    person_id: str
    name: str
    unit: str
    work_team: str
    slug: str
    status: Status
    percent: int
    score: float | None
    score_max: float | None
    started_at: datetime | None
    updated_at: datetime | None
    submitted_at: datetime | None

    @property
    def score_share(self) -> float | None:
        return self.score / self.score_max if self.score is not None and self.score_max else None

    @property
    def stage(self) -> Stage:
        return stage(self.status, self.percent)

    @property
    def complete(self) -> bool:
        """Handed in with every step done: the only way a module counts as done."""
        return self.stage is Stage.COMPLETE


@dataclass(frozen=True)
class ModuleFigures:
    """One module in one group (a unit, a work team or the whole district): how many are at each stage,
    and how many of the hand-ins the resource team has reviewed."""

    slug: str
    title: str
    group: str
    counts: dict[Stage, int]
    mean_score_share: float | None
    reviewed: int = 0

    @property
    def people(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        """Only complete modules: a hand-in with steps missing is not done."""
        return self.counts.get(Stage.COMPLETE, 0)

    @property
    def handed_in(self) -> int:
        return self.counts.get(Stage.COMPLETE, 0) + self.counts.get(Stage.INCOMPLETE, 0)

    @property
    def done_share(self) -> float:
        return self.done / self.people if self.people else 0.0


@dataclass(frozen=True)
class ModuleWaiting:
    """Hand-ins of one module not reviewed yet: how many, and when the oldest came."""

    slug: str
    waiting: int
    oldest: datetime | None


@dataclass(frozen=True)
class DistrictFigures:
    """What the resource team's page shows about progress, counted in the gradebook rather than from 180,000
    person-by-module rows: the same numbers `tally` gives from the rows (tests/test_district_figures.py)."""

    modules: list[ModuleFigures]
    """The district first, then each unit in `staff`'s order; modules in the catalog's order."""
    staff: dict[str, int]
    """Unit → staff on the roster (not those who have left), units in the progress rows' order."""
    handed_in: dict[date, int]
    """Day → modules handed in that day, for the chart over time."""
    waiting: list[ModuleWaiting]
    """Per module with a hand-in not reviewed, in the catalog's order."""
    reflections_waiting: int
    """Reflections Granska lists as waiting (`len(Reviews.waiting(…))`), counted without being read."""


@dataclass(frozen=True)
class LikertFigures:
    """How many chose each step 1..5 of the agreement scale for one statement."""

    item_id: str
    statement: str
    counts: tuple[int, ...]
    before: tuple[int, ...] = ()
    """Follow-up only: the same people's ratings before the module, for those who rated the item both times
    (left empty under five of them: `learners/follow_up_figures.py` applies the n ≥ 5 rule)."""
    paired: tuple[int, ...] = ()
    """Follow-up only: the ratings now of the people counted in `before`, so the two means compare like with like."""

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        return _mean(self.counts)

    @property
    def before_mean(self) -> float | None:
        return _mean(self.before)

    @property
    def paired_mean(self) -> float | None:
        return _mean(self.paired)

    @property
    def change(self) -> float | None:
        """How far the same people's mean moved since before the module; None when no pairs were counted."""
        before, now = self.before_mean, self.paired_mean
        return None if before is None or now is None else now - before


def _mean(counts: tuple[int, ...]) -> float | None:
    answered = sum(counts)
    return sum((i + 1) * n for i, n in enumerate(counts)) / answered if answered else None


@dataclass(frozen=True)
class EvaluationFigures:
    """The evaluation of one module in one group; `disclosure.disclosed` decides whether it may be shown."""

    slug: str
    group: str
    answered: int
    likert: list[LikertFigures]
    open_answers: dict[str, list[str]]
    """Open question id → the answers, sorted alphabetically and never with a name."""
