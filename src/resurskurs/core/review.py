"""What the gradebook says about hand-ins: one person's hand-in of one module (`Review`: the learner's page, the
progress rule and the overviews all read this one type, whichever store it came from), and a reflection waiting
in Granska (`Waiting`, from the gradebook or through the service alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Review:
    submitted_at: datetime
    quiz_score: float
    quiz_max: float
    reviewed: bool
    comment: str
    reviewed_at: datetime | None = None
    """When the reflection was last reviewed in Granska (naive UTC); None before, or when graded in formgrader."""
    has_feedback: bool = False
    """The resource team has given feedback: on this submission when `reviewed`, else on an earlier one."""
    reflection_score: float | None = None
    """The resource team's points on the reflection (nbgrader's manual score); None before any review."""
    points: tuple[int, ...] | None = None
    """The point per rubric criterion, in the rubric's order, as given in Granska; None when unknown (graded in
    formgrader, or before Granska kept them) or when they no longer add up to `reflection_score`."""


@dataclass(frozen=True)
class Waiting:
    """A submitted reflection nobody has reviewed yet."""

    person_id: str
    first_name: str
    last_name: str
    unit: str
    slug: str
    submitted_at: datetime
    """As nbgrader stores it: naive UTC."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"
