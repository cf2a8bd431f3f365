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
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from resurskurs.catalog.load import Module
from resurskurs.district.roster import Person
from resurskurs.tracking.grading import Waiting

URL_VARIABLE = "RESURSKURS_GRADER_URL"
TOKEN_VARIABLE = "JUPYTERHUB_API_TOKEN"


class ServiceError(Exception):
    """The service refused or could not be reached; `status` is the HTTP status (0: no answer)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"grader service: {status} {detail}")
        self.status = status


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
        raise ServiceError(error.code, error.reason) from None
    except (OSError, ValueError) as error:
        raise ServiceError(0, str(error)) from None


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
