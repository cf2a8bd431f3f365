"""Calls from a user server or a learner's kernel to the grader service, with the user's own hub token.

It lives in tracking, below the hub package: the kernel's hand-in (tracking/hand_in.py) and the
user server (hub/user_server.py) both use it, and nothing here needs the hub's code.

The spawner gives every user server (and so its kernels) JUPYTERHUB_API_TOKEN, a token of that
user whose scopes (`c.Spawner.server_token_scopes`) include access to the service, and
RESURSKURS_GRADER_URL, where the service listens. Neither is a gradebook credential: the service
answers for the token's person only.
"""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from resurskurs.catalog.load import Module
from resurskurs.core.answers import SurveyAnswer
from resurskurs.core.figures import EvaluationFigures, LikertFigures
from resurskurs.district.releases import Release, ReleaseRefused, Releases
from resurskurs.district.roster import Person
from resurskurs.schema import Course
from resurskurs.tracking.grading import Waiting

URL_VARIABLE = "RESURSKURS_GRADER_URL"
TOKEN_VARIABLE = "JUPYTERHUB_API_TOKEN"
ACTIVITY_SECONDS = 30.0
"""At most one progress post per module in this long: principals see "Pågår – N %", not every keystroke."""
UNREACHABLE = "Det gick inte att spara just nu. Försök igen om en stund."
log = logging.getLogger("resurskurs.service_client")


class ServiceError(Exception):
    """The service refused or could not be reached; `status` is the HTTP status (0: no answer)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"grader service: {status} {detail}")
        self.status = status
        self.detail = detail


def configured(environ: dict[str, str] | None = None) -> bool:
    """Whether this process runs under the hub with the grader service to talk to."""
    environ = dict(os.environ) if environ is None else environ
    return bool(environ.get(URL_VARIABLE) and environ.get(TOKEN_VARIABLE))


def call(path: str, body: dict[str, Any] | None = None, timeout: float = 30.0) -> dict[str, Any]:
    """GET (no body) or POST a JSON body to the service's `path`; its JSON answer."""
    url = os.environ[URL_VARIABLE].rstrip("/") + "/" + path.lstrip("/")
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    request.add_header("Authorization", f"token {os.environ[TOKEN_VARIABLE]}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer: dict[str, Any] = json.loads(response.read().decode("utf-8"))
            return answer
    except urllib.error.HTTPError as error:
        raise ServiceError(error.code, _message(error)) from None
    except (OSError, ValueError) as error:
        raise ServiceError(0, str(error)) from None


def _message(error: urllib.error.HTTPError) -> str:
    """The service's own words for a refusal (`message` of its JSON body), else the HTTP reason."""
    try:
        return str(json.loads(error.read().decode("utf-8"))["message"])
    except (OSError, ValueError, KeyError, TypeError):
        return str(error.reason)


class ServiceReviews:
    """Granska's reads and writes through the service, for a resource-team member's server under the hub.

    The same four calls the review page makes on one machine (tracking/grading.py), answered by the
    service, which checks the role itself and takes the reviewer from the token.
    """

    def units(self) -> list[str]:
        return [str(unit) for unit in call("api/reviews")["units"]]

    def waiting(self, slugs: Collection[str], slug: str = "", unit: str = "") -> list[Waiting]:
        answer = call("api/reviews?" + urllib.parse.urlencode({"slug": slug, "unit": unit}))
        return [
            Waiting(**{**item, "submitted_at": datetime.fromisoformat(item["submitted_at"])})
            for item in answer["waiting"]
            if item["slug"] in slugs
        ]

    def text(self, person_id: str, slug: str) -> str:
        try:
            return str(call(_review_path(person_id, slug))["text"])
        except ServiceError as error:
            raise OSError(str(error)) from None

    def save(self, reviewer: Person, module: Module, person_id: str, points: Sequence[int], comment: str) -> float:
        """Refused for points that do not fit the rubric or a comment too long, as on one machine (ValueError)."""
        try:
            answer = call(_review_path(person_id, module.course.slug), {"points": list(points), "comment": comment})
        except ServiceError as error:
            raise (ValueError if error.status == 400 else OSError)(str(error)) from None
        return float(answer["score"])


def _review_path(person_id: str, slug: str) -> str:
    return f"api/reviews/{urllib.parse.quote(person_id, safe='')}/{urllib.parse.quote(slug, safe='')}"


class ServiceReleases:
    """Ledningen först through the service: it answers with the releases the token's person may know, and
    makes a release only to units that person leads (district/releases.py's rules, checked there)."""

    def load(self) -> Releases:
        """The releases; a service that cannot be asked closes the modules to staff and says so (fail closed)."""
        try:
            return releases_from_json(call("api/releases"))
        except ServiceError as error:
            return Releases(started=True, problem=f"the grader service could not be asked: {error}")

    def release(self, slug: str, units: list[str], workshop: date, by: Person, now: datetime) -> Releases:
        """`by` and `now` are the service's own (the token's person, its clock); a refusal is ReleaseRefused."""
        try:
            answer = call("api/releases", {"slug": slug, "units": list(units), "workshop": workshop.isoformat()})
        except ServiceError as error:
            raise ReleaseRefused(error.detail if error.status in (403, 409) else UNREACHABLE) from None
        return releases_from_json(answer)


def releases_from_json(answer: dict[str, Any]) -> Releases:
    return Releases(
        started=bool(answer["started"]),
        releases=tuple(Release.model_validate(item) for item in answer["releases"]),
        problem=answer.get("problem"),
    )


def releases_json(releases: Releases) -> dict[str, Any]:
    return {
        "started": releases.started,
        "releases": [release.model_dump(mode="json") for release in releases.releases],
        "problem": releases.problem,
    }


class ServiceFollowUp:
    """One person's 3-month follow-up through the service, in FollowUpStore's shape; the person is the token's."""

    def __init__(self, slug: str) -> None:
        self.path = f"api/follow-up/{urllib.parse.quote(slug, safe='')}"

    def load(self, person_id: str) -> SurveyAnswer:
        return SurveyAnswer.model_validate(call(self.path)["answers"])

    def save(self, person_id: str, course: Course, kind: str, item_id: str, value: Any) -> SurveyAnswer:
        """A value or item the module does not ask is refused by the service (ValueError), as on one machine."""
        try:
            answer = call(self.path, {"kind": kind, "item": item_id, "value": value})
        except ServiceError as error:
            raise (ValueError if error.status == 400 else OSError)(str(error)) from None
        return SurveyAnswer.model_validate(answer["answers"])


def follow_up_figures(units: Sequence[str]) -> list[EvaluationFigures]:
    """The disclosed follow-up figures (n ≥ 5) of `units` and the district; the service sends no others."""
    answer = call("api/follow-up?" + urllib.parse.urlencode({"unit": list(units)}, doseq=True))
    return [figures_from_json(item) for item in answer["figures"]]


def figures_json(found: EvaluationFigures) -> dict[str, Any]:
    return asdict(found)


def figures_from_json(item: dict[str, Any]) -> EvaluationFigures:
    likert = [LikertFigures(row["item_id"], row["statement"], tuple(row["counts"])) for row in item["likert"]]
    return EvaluationFigures(item["slug"], item["group"], item["answered"], likert, item["open_answers"])


class ActivityPoster:
    """Tells the service how far this person has come in a module, at most once per `seconds` per module.

    Under the hub the drafts stay on the user server, so the service cannot sync them (tracking/activity.py);
    the percent is computed here (core/progress.py) and the person is the token's.
    """

    def __init__(self, seconds: float = ACTIVITY_SECONDS, post: Callable[[str, dict[str, Any]], Any] = call) -> None:
        self.seconds = seconds
        self.post = post
        self.sent_at: dict[str, float] = {}

    def due(self, slug: str, now: float) -> bool:
        sent = self.sent_at.get(slug)
        return sent is None or now - sent >= self.seconds

    def __call__(self, slug: str, percent: int, now: float | None = None) -> bool:
        """Post when due; True when posted. A service that cannot be asked is logged, never the learner's problem."""
        now = time.monotonic() if now is None else now
        if not self.due(slug, now):
            return False
        self.sent_at[slug] = now
        try:
            self.post("api/activity", {"slug": slug, "percent": percent})
        except ServiceError as error:
            log.warning("the progress in %s could not be sent: %s", slug, error)
            return False
        return True
