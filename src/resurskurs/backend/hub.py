"""Shared state under JupyterHub: the grader service, asked with the person's own hub token.

`HubBackend` answers the contract (backend/contract.py) from the service, which is a thin HTTP layer over
`LocalBackend` and so enforces the same rules; this side only carries requests and validates answers
(backend/wire.py); each request goes through `service_call.call`.

The spawner gives every user server (and so its kernels) JUPYTERHUB_API_TOKEN, a token of that
user whose scopes (`c.Spawner.server_token_scopes`) include access to the service, and
RESURSKURS_GRADER_URL, where the service listens. Neither is a gradebook credential: the service
answers for the token's person only.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from resurskurs.backend.contract import FollowUpAnswers, Refused, Reviews
from resurskurs.backend.service_call import ServiceError, call
from resurskurs.backend.settings import Settings
from resurskurs.backend.wire import (
    DISTRICT_FIGURES,
    FIGURES,
    MODULE_FIGURES,
    PERSON,
    REVIEWS,
    ROWS,
    RoutineChange,
    evaluations_from_json,
    releases_from_json,
    routines_from_json,
)
from resurskurs.catalog.load import Module
from resurskurs.core.answers import HandIn, SurveyAnswer
from resurskurs.core.figures import DistrictFigures, EvaluationFigures, ModuleFigures, ProgressRow
from resurskurs.core.review import Review, Waiting
from resurskurs.district.releases import ReleaseRefused, Releases
from resurskurs.district.roster import Person
from resurskurs.district.routines import Routine, RoutineRefused, Routines, empty_routines
from resurskurs.schema import Course
from resurskurs.tracking.hand_in import NO_SERVICE, RESULT_SECONDS, STILL_HANDLED, Outcome
from resurskurs.tracking.privacy import PrivateText, privacy_findings

UNREACHABLE = "Det gick inte att spara just nu. Försök igen om en stund."
log = logging.getLogger("resurskurs.service_client")


@dataclass(frozen=True)
class Service:
    """The grader service as one person's server reaches it (the address and that person's token)."""

    settings: Settings

    def __call__(self, path: str, body: dict[str, Any] | None = None, timeout: float = 30.0) -> dict[str, Any]:
        return call(path, body, timeout, self.settings)

    def asked(self, path: str) -> dict[str, Any]:
        """A read the service may refuse (403 becomes Refused, with the service's words)."""
        try:
            return self(path)
        except ServiceError as error:
            if error.status == 403:
                raise Refused(error.detail) from None
            raise


@dataclass(frozen=True)
class ServicePeople:
    """Who a signed-in id is, as the service has them on the roster now. The service answers for the token's person
    only, so any other id is nobody here; so is a person the service refuses (not on the roster, or left)."""

    call: Service

    def find(self, person_id: str) -> Person | None:
        try:
            person = PERSON.validate_python(self.call("api/me"))
        except ServiceError as error:
            if error.status != 403:
                raise
            log.warning("the service knows no person for this server's token: %s", error.detail)
            return None
        return person if person.id == person_id else None


@dataclass(frozen=True)
class ServiceReviews:
    """Granska's reads and writes through the service, for a resource-team member's server under the hub.

    The same four calls the review page makes on one machine (tracking/grading.py), answered by the
    service, which checks the role itself and takes the reviewer from the token.
    """

    call: Service

    def units(self) -> list[str]:
        return [str(unit) for unit in self.call.asked("api/reviews")["units"]]

    def waiting(self, slugs: Collection[str], slug: str = "", unit: str = "") -> list[Waiting]:
        answer = self.call.asked("api/reviews?" + urllib.parse.urlencode({"slug": slug, "unit": unit}))
        return [
            Waiting(**{**item, "submitted_at": datetime.fromisoformat(item["submitted_at"])})
            for item in answer["waiting"]
            if item["slug"] in slugs
        ]

    def text(self, person_id: str, slug: str) -> str:
        try:
            return str(self.call(_review_path(person_id, slug))["text"])
        except ServiceError as error:
            raise OSError(str(error)) from None

    def save(self, reviewer: Person, module: Module, person_id: str, points: Sequence[int], comment: str) -> float:
        """Refused for points that do not fit the rubric or a comment too long, as on one machine (ValueError)."""
        try:
            answer = self.call(
                _review_path(person_id, module.course.slug), {"points": list(points), "comment": comment}
            )
        except ServiceError as error:
            raise (ValueError if error.status == 400 else OSError)(str(error)) from None
        return float(answer["score"])


def _review_path(person_id: str, slug: str) -> str:
    return f"api/reviews/{urllib.parse.quote(person_id, safe='')}/{urllib.parse.quote(slug, safe='')}"


@dataclass(frozen=True)
class ServiceReleases:
    """Ledningen först through the service: it answers with the releases the token's person may know, and
    makes a release only to units that person leads (district/releases.py's rules, checked there)."""

    call: Service

    def load(self) -> Releases:
        """The releases; a service that cannot be asked closes the modules to staff and says so (fail closed)."""
        try:
            return releases_from_json(self.call("api/releases"))
        except ServiceError as error:
            return Releases(started=True, problem=f"the grader service could not be asked: {error}")

    def release(self, slug: str, units: list[str], workshop: date, by: Person, now: datetime) -> Releases:
        """`by` and `now` are the service's own (the token's person, its clock); a refusal is ReleaseRefused."""
        try:
            body = {"slug": slug, "units": list(units), "workshop": workshop.isoformat()}
            answer = self.call("api/releases", body)
        except ServiceError as error:
            raise ReleaseRefused(error.detail if error.status in (403, 409) else UNREACHABLE) from None
        return releases_from_json(answer)


class ServiceFollowUp:
    """One person's 3-month follow-up through the service, in FollowUpStore's shape; the person is the token's."""

    def __init__(self, call: Service, slug: str, baseline: bool = False) -> None:
        self.call = call
        self.path = f"api/follow-up/{urllib.parse.quote(slug, safe='')}{'/baseline' if baseline else ''}"

    def load(self, person_id: str) -> SurveyAnswer:
        return SurveyAnswer.model_validate(self.call(self.path)["answers"])

    def save(self, person_id: str, course: Course, kind: str, item_id: str, value: Any) -> SurveyAnswer:
        """A value or item the module does not ask is refused by the service (ValueError), and an open answer
        naming someone (PrivateText, in the guard's Swedish words), as on one machine."""
        try:
            answer = self.call(self.path, {"kind": kind, "item": item_id, "value": value})
        except ServiceError as error:
            if error.status == 422:
                raise PrivateText(error.detail) from None
            raise (ValueError if error.status == 400 else OSError)(str(error)) from None
        return SurveyAnswer.model_validate(answer["answers"])


class HubBackend:
    """One person's shared state through the grader service; the service takes the person from the token."""

    def __init__(self, person: Person, settings: Settings) -> None:
        self.person = person
        self.call = Service(settings)

    def releases(self) -> ServiceReleases:
        return ServiceReleases(self.call)

    def follow_up(self, slug: str) -> FollowUpAnswers:
        return ServiceFollowUp(self.call, slug)

    def baseline(self, slug: str) -> FollowUpAnswers:
        return ServiceFollowUp(self.call, slug, baseline=True)

    def follow_up_figures(self, units: Sequence[str]) -> list[EvaluationFigures]:
        """The disclosed follow-up figures (n ≥ 5) of `units` and the district; the service sends no others."""
        answer = self.call.asked("api/follow-up?" + urllib.parse.urlencode({"unit": list(units)}, doseq=True))
        return FIGURES.validate_python(answer["figures"])

    def reviews(self) -> Reviews:
        return ServiceReviews(self.call)

    def progress(self, units: Collection[str] | None = None) -> list[ProgressRow]:
        query = "" if units is None else "?" + urllib.parse.urlencode({"unit": sorted(units)}, doseq=True)
        return ROWS.validate_python(self.call.asked("api/progress" + query)["rows"])

    def audit_trail(self, limit: int) -> list[str]:
        return [str(line) for line in self.call.asked(f"api/audit?limit={int(limit)}")["entries"]]

    def evaluations(self) -> dict[tuple[str, str], EvaluationFigures]:
        return evaluations_from_json(self.call.asked("api/evaluations")["figures"])

    def district_figures(self) -> DistrictFigures:
        return DISTRICT_FIGURES.validate_python(self.call.asked("api/district")["figures"])

    def unit_figures(self, slug: str, unit: str) -> tuple[ModuleFigures, EvaluationFigures | None]:
        path = f"api/figures/{urllib.parse.quote(slug, safe='')}?" + urllib.parse.urlencode({"unit": unit})
        answer = self.call.asked(path)
        evaluation = answer["evaluation"]
        return (
            MODULE_FIGURES.validate_python(answer["progress"]),
            None if evaluation is None else FIGURES.validate_python([evaluation])[0],
        )

    def own_reviews(self) -> dict[str, Review]:
        return REVIEWS.validate_python(self.call("api/own-reviews")["reviews"])

    def record_activity(self, slug: str, percent: int) -> None:
        """The service refuses a module not released to the person and more than one report per interval."""
        try:
            self.call("api/activity", {"slug": slug, "percent": percent}, timeout=5.0)
        except ServiceError as error:
            raise (Refused if error.status in (403, 429) else OSError)(error.detail) from None

    def hand_in(self, slug: str, answers: HandIn, on_slow: Callable[[], None] | None = None) -> Outcome:
        """POST to the service; no answer within RESULT_SECONDS or a refusal leaves the drafts as they are."""
        findings = privacy_findings(answers.model_dump())
        if findings:
            return Outcome(False, findings)
        try:
            result = self.call(
                "api/hand-in", {"slug": slug, "answers": answers.model_dump(mode="json")}, timeout=RESULT_SECONDS
            )
        except ServiceError as error:
            timed_out = error.status == 0 and "timed out" in str(error)
            return Outcome(False, [STILL_HANDLED if timed_out else NO_SERVICE], pending=timed_out)
        return Outcome(bool(result.get("accepted")), [str(m) for m in result.get("messages", [])])

    def routines(self) -> ServiceRoutines:
        return ServiceRoutines(self.call)


@dataclass(frozen=True)
class ServiceRoutines:
    """Local routines through the service, which answers with the sections the token's person may know and
    saves only to a section that person may change (backend/local.py's rules, checked there)."""

    call: Service

    def load(self) -> Routines:
        """The routines; a service that cannot be asked leaves every slot empty and says why (the page says so)."""
        try:
            return routines_from_json(self.call("api/routines"))
        except ServiceError as error:
            return Routines(empty_routines(), f"the grader service could not be asked: {error}")

    def save(self, unit: str | None, routine: Routine) -> Routines:
        """A section the person may not change is Refused, a routine the service will not take RoutineRefused,
        both with the service's Swedish words."""
        body = RoutineChange(unit=unit, routine=routine).model_dump(mode="json")
        try:
            return routines_from_json(self.call("api/routines", body))
        except ServiceError as error:
            if error.status == 403:
                raise Refused(error.detail) from None
            raise RoutineRefused(error.detail if error.status in (400, 409) else UNREACHABLE) from None
