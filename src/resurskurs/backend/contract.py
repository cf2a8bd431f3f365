"""What the pages may ask of shared state, and nothing more: one contract, two implementations.

`local.LocalBackend` answers from this machine's gradebook and files and enforces every rule (roles, units,
releases, due dates, n ≥ 5, activity limits); the hub's grader service is a thin HTTP layer over it, and
`hub.HubBackend` asks that service with the person's own token. A page holds a `Backend` and never knows which.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from resurskurs.core.answers import HandIn, SurveyAnswer
from resurskurs.core.figures import DistrictFigures, EvaluationFigures, ModuleFigures, ProgressRow
from resurskurs.core.review import Review, Waiting
from resurskurs.district.releases import Releases
from resurskurs.district.roster import Person
from resurskurs.district.routines import Routine, Routines
from resurskurs.schema import Course
from resurskurs.tracking.hand_in import Outcome


class Refused(PermissionError):
    """The person may not do or see this; `str()` says so in Swedish, for the page."""


class ReleaseStore(Protocol):
    """Ledningen först: the releases the person may know, and a principal's release to units they lead."""

    def load(self) -> Releases: ...

    def release(self, slug: str, units: list[str], workshop: date, by: Person, now: datetime) -> Releases: ...


class FollowUpAnswers(Protocol):
    """One person's 3-month follow-up in one module; a value the module does not ask, or asked early, is ValueError."""

    def load(self, person_id: str) -> SurveyAnswer: ...

    def save(self, person_id: str, course: Course, kind: str, item_id: str, value: Any) -> SurveyAnswer: ...


class Reviews(Protocol):
    """Granska: what waits, a reflection's text and the review of it (the resource team only)."""

    def units(self) -> list[str]: ...

    def waiting(self, slugs: Collection[str], slug: str = "", unit: str = "") -> list[Waiting]: ...

    def text(self, person_id: str, slug: str) -> str: ...

    def save(self, reviewer: Person, module: Any, person_id: str, points: Sequence[int], comment: str) -> float: ...


class Backend(Protocol):
    """Shared state as one person's pages may see and change it."""

    person: Person

    def releases(self) -> ReleaseStore: ...

    def follow_up(self, slug: str) -> FollowUpAnswers: ...

    def baseline(self, slug: str) -> FollowUpAnswers:
        """The follow-up's rating items answered before the module: open until the person hands it in."""
        ...

    def follow_up_figures(self, units: Sequence[str]) -> list[EvaluationFigures]: ...

    def reviews(self) -> Reviews: ...

    def progress(self, units: Collection[str] | None = None) -> list[ProgressRow]: ...

    def evaluations(self) -> dict[tuple[str, str], EvaluationFigures]: ...

    def district_figures(self) -> DistrictFigures:
        """The district's progress counted per unit and module, never a person's row: the resource team only."""
        ...

    def unit_figures(self, slug: str, unit: str) -> tuple[ModuleFigures, EvaluationFigures | None]: ...

    def own_reviews(self) -> dict[str, Review]: ...

    def record_activity(self, slug: str, percent: int) -> None: ...

    def audit_trail(self, limit: int) -> list[str]:
        """The newest entries of the audit trail, in Swedish, for the resource team only (never a text read)."""
        ...

    def hand_in(self, slug: str, answers: HandIn, on_slow: Callable[[], None] | None = None) -> Outcome: ...

    def routines(self) -> RoutineStore: ...


class RoutineStore(Protocol):
    """Local routines: the district's and the person's units' sections, and saving one slot of one section.

    `save` puts one slot in one section (unit None: the district's); an empty routine takes the slot out.
    Who may save which section is Refused with the Swedish words naming who may; a routine that names a
    child, is too long or meets a file that cannot be read is RoutineRefused (district/routines.py).
    """

    def load(self) -> Routines: ...

    def save(self, unit: str | None, routine: Routine) -> Routines: ...
