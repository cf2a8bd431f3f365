"""Shared state on this machine: the gradebook, the files under var/, the signed hand-in queue.

Every rule lives here, so it holds twice over: for a page on one machine, and for the hub's grader service,
which answers each request with a `LocalBackend` of the token's person (hub/service.py). A person may see
and change exactly what their own pages show them, nothing more.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from resurskurs.backend.contract import FollowUpAnswers, Refused, Reviews
from resurskurs.catalog.load import Catalog, Module
from resurskurs.core.answers import HandIn, SurveyAnswer
from resurskurs.core.figures import DISTRICT, DistrictFigures, EvaluationFigures, ModuleFigures, ProgressRow
from resurskurs.core.review import Review, Waiting
from resurskurs.district.releases import FileReleases, ReleaseRefused, Releases, may_release
from resurskurs.district.roster import Person, Role, is_for
from resurskurs.district.routines import (
    Routine,
    RoutineRefused,
    Routines,
    may_change_routines,
    read_routines,
    save_routine,
    too_long,
    who_may_change,
)
from resurskurs.gradebook.progress import (
    district_figures,
    evaluations,
    progress_rows,
    unit_figures,
    units_of_staff,
)
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.learners.follow_up import BASELINE_FOLDER, FollowUpStore, is_due
from resurskurs.learners.follow_up_figures import visible_follow_ups
from resurskurs.privacy.audit import Action, entries, record_now
from resurskurs.schema import Course
from resurskurs.tracking import hand_in
from resurskurs.tracking.activity import write_activity
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.grading import (
    reflection_text,
    save_review,
    staff_units,
    waiting_reviews,
)
from resurskurs.tracking.privacy import Finding, check_text, refuse_private

if TYPE_CHECKING:
    from resurskurs.privacy.locate import Stores

NOT_YOURS = "Framstegen är för rektorer (för sina egna enheter) och resursteamet."
ONLY_RESOURCE_TEAM = is_for("Granska", (Role.RESOURCE_TEAM,))
PERSONAL_DATA_TEAM = "Registerutdrag och radering är till för resursteamet."
NOT_RELEASED = "Modulen är inte öppnad för din enhet än."
NOT_DUE = "Uppföljningen är inte öppen än."
ONLY_RESOURCE_TEAM_TRAIL = "Loggen över personuppgifter är för resursteamet."
ONLY_RESOURCE_TEAM_DISTRICT = "Siffrorna för hela förvaltningen är för resursteamet."
TRAIL_LIMIT = 100
"""The most entries a page asks for at once; the whole trail is `resurskurs privacy log`."""
BASELINE_CLOSED = "Frågorna före modulen går bara att svara på innan du har lämnat in."
TOO_OFTEN = "För många framstegsrapporter på kort tid."
ACTIVITY_SECONDS = 30.0
"""At most one progress report per person and module in this long: what a page sends, and no flood."""

log = logging.getLogger("resurskurs")

_reported: dict[tuple[str, str], float] = {}
_reported_lock = threading.Lock()


@dataclass(frozen=True)
class LocalReleases:
    """The district's releases file, as `person` may know it; a release only by a principal to units they lead."""

    folder: Path
    person: Person
    db_url: str

    def load(self) -> Releases:
        return FileReleases(self.folder).load().seen_by(self.person)

    def release(self, slug: str, units: list[str], workshop: date, by: Person, now: datetime) -> Releases:
        """A principal's release, recorded in the audit trail (who opened which module for which units, when)."""
        if self.person.role is not Role.PRINCIPAL or not all(may_release(self.person, unit) for unit in units):
            raise ReleaseRefused("Du kan bara öppna moduler för de enheter du är rektor för.")
        made = FileReleases(self.folder).release(slug, units, workshop, self.person, now)
        detail = f"{', '.join(units)}, gruppträff {workshop.isoformat()}"
        record_now(self.db_url, Action.CHANGED_RELEASE, None, self.person.id, slug=slug, detail=detail)
        return made.seen_by(self.person)


@dataclass(frozen=True)
class LocalFollowUp:
    """The person's own follow-up answers, written only once the follow-up is due (after_days past the hand-in),
    an open answer only without a name or an identity number in it (PrivateText)."""

    store: FollowUpStore
    person: Person
    course: Course
    db_url: str

    def load(self, person_id: str) -> SurveyAnswer:
        return self.store.load(self.person.id)

    def save(self, person_id: str, course: Course, kind: str, item_id: str, value: Any) -> SurveyAnswer:
        review = reviews_for(self.db_url, self.person.id).get(self.course.slug)
        if not is_due(self.course, review, datetime.now(UTC)):
            raise ValueError(NOT_DUE)
        if kind == "open" and isinstance(value, str):
            refuse_private(value)
        return self.store.save(self.person.id, self.course, kind, item_id, value)


@dataclass(frozen=True)
class LocalBaseline(LocalFollowUp):
    """The person's own answers before the module (the follow-up's rating items), written only in a module open to
    them and only until they hand it in: a baseline given after the module would measure nothing."""

    var: Path

    def save(self, person_id: str, course: Course, kind: str, item_id: str, value: Any) -> SurveyAnswer:
        if not FileReleases(self.var).load().opens(self.person, self.course.slug):
            raise ValueError(NOT_RELEASED)
        if self.course.slug in reviews_for(self.db_url, self.person.id):
            raise ValueError(BASELINE_CLOSED)
        return self.store.save(self.person.id, self.course, kind, item_id, value)


@dataclass(frozen=True)
class GradebookReviews:
    """Granska's reads and writes, on the gradebook itself, by `reader` (the resource team)."""

    course_dir: CourseDir
    reader: Person

    def units(self) -> list[str]:
        return staff_units(self.course_dir.db_url)

    def waiting(self, slugs: Collection[str], slug: str = "", unit: str = "") -> list[Waiting]:
        return waiting_reviews(self.course_dir.db_url, slugs, slug, unit)

    def text(self, person_id: str, slug: str) -> str:
        """The reflection as written; that the reader read it goes into the audit trail (never the text)."""
        words = reflection_text(self.course_dir, person_id, slug)
        record_now(self.course_dir.db_url, Action.READ_REFLECTION, person_id, self.reader.id, slug=slug)
        return words

    def save(self, reviewer: Person, module: Module, person_id: str, points: Sequence[int], comment: str) -> float:
        return save_review(self.course_dir, reviewer, module, person_id, points, comment)


@dataclass(frozen=True)
class LocalPersonalData:
    """One person's register extract and erasure (privacy/), as `resurskurs privacy export` and `erase` make them
    on one machine, with the resource team member asking as the actor in the audit trail. privacy/ is imported
    only when asked: a learner's kernel never needs it."""

    stores: Stores
    actor: Person

    def export(self, person_id: str) -> bytes:
        """The extract as a zip; NothingHeld for someone nothing is held about. The export is audited."""
        from resurskurs.privacy.audit import Action, record_now
        from resurskurs.privacy.export import archive

        data, _ = archive(self.stores, person_id)
        record_now(self.stores.db_url, Action.EXPORTED, person_id, self.actor.id)
        return data

    def plan(self, person_id: str) -> str:
        """What an erasure would remove, in Swedish (the dry run); NothingHeld as above."""
        from resurskurs.privacy.erase import plan

        return plan(self.stores, person_id).describe()

    def erase(self, person_id: str) -> str:
        """Erase the person, all or nothing (EraseFailed), and say what went."""
        from resurskurs.privacy.erase import erase, plan

        planned = plan(self.stores, person_id)
        erase(self.stores, planned, self.actor.id)
        return planned.describe()


class LocalBackend:
    """One person's view of this machine's shared state, every rule checked here."""

    def __init__(self, person: Person, catalog: Catalog, course_dir: CourseDir, var: Path) -> None:
        self.person = person
        self.catalog = catalog
        self.course_dir = course_dir
        self.var = var

    def _module(self, slug: str) -> Module:
        try:
            return self.catalog.module(slug)
        except KeyError:
            raise ValueError(f"no module {slug!r}") from None

    def _units_allowed(self, units: Collection[str] | None) -> list[str] | None:
        """The units asked for, if the person may see them (None: every unit, the resource team only)."""
        if self.person.role is Role.RESOURCE_TEAM:
            return None if units is None else list(units)
        if self.person.role is Role.PRINCIPAL:
            asked = list(self.person.units) if units is None else list(units)
            if set(asked) <= set(self.person.units):
                return asked
        raise Refused(NOT_YOURS)

    def releases(self) -> LocalReleases:
        return LocalReleases(self.var, self.person, self.course_dir.db_url)

    def follow_up(self, slug: str) -> FollowUpAnswers:
        module = self._module(slug)
        return LocalFollowUp(FollowUpStore(self.var, slug), self.person, module.course, self.course_dir.db_url)

    def baseline(self, slug: str) -> FollowUpAnswers:
        module = self._module(slug)
        store = FollowUpStore(self.var, slug, BASELINE_FOLDER)
        return LocalBaseline(store, self.person, module.course, self.course_dir.db_url, self.var)

    def follow_up_figures(self, units: Sequence[str]) -> list[EvaluationFigures]:
        allowed = self._units_allowed(units) or []
        db_url = self.course_dir.db_url
        return visible_follow_ups(self.var, self.catalog, units_of_staff(db_url), allowed, db_url)

    def reviews(self) -> Reviews:
        if self.person.role is not Role.RESOURCE_TEAM:
            raise Refused(ONLY_RESOURCE_TEAM)
        return GradebookReviews(self.course_dir, self.person)

    def personal_data(self) -> LocalPersonalData:
        """Register extracts and erasure of anyone: the resource team only (else Refused)."""
        if self.person.role is not Role.RESOURCE_TEAM:
            raise Refused(PERSONAL_DATA_TEAM)
        from resurskurs.privacy.locate import Stores

        return LocalPersonalData(Stores(self.course_dir.db_url, self.var, self.course_dir.root), self.person)

    def progress(self, units: Collection[str] | None = None) -> list[ProgressRow]:
        slugs = [module.course.slug for module in self.catalog.modules]
        return progress_rows(self.course_dir.db_url, slugs, self._units_allowed(units))

    def evaluations(self) -> dict[tuple[str, str], EvaluationFigures]:
        """The disclosed evaluation: the resource team every group, a principal their units and the district."""
        allowed = self._units_allowed(None)
        shown = evaluations(self.course_dir.db_url, self.catalog)
        if allowed is None:
            return shown
        return {key: found for key, found in shown.items() if key[0] in allowed or key[0] == DISTRICT}

    def district_figures(self) -> DistrictFigures:
        """What the district page shows of progress, counted in the gradebook (the resource team only)."""
        if self.person.role is not Role.RESOURCE_TEAM:
            raise Refused(ONLY_RESOURCE_TEAM_DISTRICT)
        titles = {module.course.slug: module.course.title for module in self.catalog.modules}
        return district_figures(self.course_dir.db_url, titles)

    def unit_figures(self, slug: str, unit: str) -> tuple[ModuleFigures, EvaluationFigures | None]:
        self._units_allowed([unit])
        self._module(slug)
        return unit_figures(self.course_dir.db_url, self.catalog, slug, unit)

    def audit_trail(self, limit: int) -> list[str]:
        if self.person.role is not Role.RESOURCE_TEAM:
            raise Refused(ONLY_RESOURCE_TEAM_TRAIL)
        return [entry.describe() for entry in entries(self.course_dir.db_url, limit=max(1, min(limit, TRAIL_LIMIT)))]

    def record_activity(self, slug: str, percent: int) -> None:
        """How far the person has come in a released module, at most once per ACTIVITY_SECONDS (else Refused)."""
        self._module(slug)
        if not FileReleases(self.var).load().opens(self.person, slug):
            raise Refused(NOT_RELEASED)
        now = time.monotonic()
        with _reported_lock:
            last = _reported.get((self.person.id, slug))
            if last is not None and now - last < ACTIVITY_SECONDS:
                raise Refused(TOO_OFTEN)
            _reported[self.person.id, slug] = now
        row = {
            "person_id": self.person.id,
            "slug": slug,
            "updated_at": datetime.now(UTC).replace(tzinfo=None),
            "percent": percent,
        }
        engine = sa.create_engine(self.course_dir.db_url)
        try:
            with self.course_dir.writing():
                write_activity(engine, [row])
        finally:
            engine.dispose()

    def own_reviews(self) -> dict[str, Review]:
        return reviews_for(self.course_dir.db_url, self.person.id)

    def hand_in(self, slug: str, answers: HandIn, on_slow: Callable[[], None] | None = None) -> hand_in.Outcome:
        """Through the signed queue to this machine's grader, which checks everything again (tracking/grader.py)."""
        return hand_in.send(self.course_dir, slug, self.person.id, answers, on_slow)

    def routines(self) -> LocalRoutines:
        return LocalRoutines(self.var, self.person, self.course_dir.db_url)


@dataclass(frozen=True)
class LocalRoutines:
    """The routines file as `person` may know it; a save only to a section they may change, and never with a
    child's name or an identity number in it (the hand-in's privacy guard, tracking/privacy.py)."""

    folder: Path
    person: Person
    db_url: str

    def load(self) -> Routines:
        return read_routines(self.folder).seen_by(self.person)

    def save(self, unit: str | None, routine: Routine) -> Routines:
        if not may_change_routines(self.person, unit):
            raise Refused(who_may_change(unit))
        if unit is not None and unit not in self.person.units and unit not in staff_units(self.db_url):
            raise RoutineRefused(f"Det finns ingen personal på {unit} i personallistan.")
        too_long({"text": routine.text or "", "contact": routine.contact or "", "url": str(routine.url or "")})
        findings = [finding for words in (routine.text, routine.contact) for finding in check_text(words or "")]
        if findings:
            raise RoutineRefused(" ".join(routine_finding(finding) for finding in findings))
        saved = save_routine(self.folder, unit, routine)
        log.info("%s saved the routine %s for %s", self.person.id, routine.id, unit or "the district")
        return saved.seen_by(self.person)


def routine_finding(finding: Finding) -> str:
    """What the guard found, said for a routine: it is read by every learner of the unit, so it names no one."""
    if finding.kind == "identity":
        return f"Rutinen verkar innehålla ett person- eller samordningsnummer (”{finding.text}”). Ta bort det."
    return (
        f"Rutinen verkar nämna ett barns namn (”{finding.text}”). En rutin gäller alla barn: skriv till exempel "
        "”barnet” i stället."
    )
