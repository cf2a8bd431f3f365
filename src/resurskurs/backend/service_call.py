"""One request to the hub's grader service with the person's own hub token, and nothing else.

`HubBackend` and `ServicePeople` (backend/hub.py) send every request of a person's pages through it, who the person
is included.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from resurskurs.backend.settings import Settings


class ServiceError(Exception):
    """The service refused or could not be reached; `status` is the HTTP status (0: no answer)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"grader service: {status} {detail}")
        self.status = status
        self.detail = detail


def call(
    path: str, body: dict[str, Any] | None = None, timeout: float = 30.0, settings: Settings | None = None
) -> dict[str, Any]:
    """GET (no body) or POST a JSON body to the service's `path` as `settings` say (else this process's
    environment); its JSON answer."""
    settings = Settings.from_environ() if settings is None else settings
    if not settings.under_hub or settings.grader_url is None or settings.hub_token is None:
        raise ServiceError(0, "not under a hub: no grader service address or token")
    url = settings.grader_url.rstrip("/") + "/" + path.lstrip("/")
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    request.add_header("Authorization", f"token {settings.hub_token}")
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
