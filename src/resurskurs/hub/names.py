"""Hub user names and roster ids: the hub's name for a person is their roster id.

Entra ID signs people in with a user principal name (`anna.berg@skola.example.se`), which the
roster's id pattern refuses ('@'). The hub keeps only the local part, lower-cased, and only for
the district's own domains (RESURSKURS_HUB_DOMAINS, comma-separated): two domains could share a
local part, so a name from any other domain is refused rather than guessed at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from resurskurs.district.roster import is_person_id

SERVICE_NAME = "resurskurs-grader"
"""The hub-managed grader service; its access scope is `access:services!service=resurskurs-grader`."""
SERVICE_SCOPE = f"access:services!service={SERVICE_NAME}"
DOMAINS_VARIABLE = "RESURSKURS_HUB_DOMAINS"
TEMPLATES = Path(__file__).with_name("templates")
"""The hub's own pages the app replaces (JupyterHub.template_paths): its error pages, in Swedish."""


def district_domains() -> tuple[str, ...]:
    return tuple(d.strip().lower() for d in os.environ.get(DOMAINS_VARIABLE, "").split(",") if d.strip())


def roster_id(hub_name: str, domains: tuple[str, ...] | None = None) -> str | None:
    """The roster id for a name the authenticator gives, or None when it cannot be one."""
    name = hub_name.strip().lower()
    if "@" in name:
        local, _, domain = name.rpartition("@")
        if domain not in (district_domains() if domains is None else domains):
            return None
        name = local
    return name if is_person_id(name) else None


def to_roster_id(authenticator: Any, handler: Any, authentication: dict[str, Any] | None) -> dict[str, Any] | None:
    """`Authenticator.post_auth_hook`: the hub user is named by roster id; a name that maps to none is refused."""
    if authentication is None:
        return None
    name = roster_id(str(authentication.get("name", "")))
    if name is None:
        authenticator.log.warning("log-in refused: %r is not a roster id of this district", authentication.get("name"))
        return None
    return {**authentication, "name": name}
