"""Who is using the app: the hub's user, a configured user, or (demo mode) a choice from the roster.

Demo mode is asked for explicitly (`resurskurs serve --demo` sets RESURSKURS_DEMO=1): without it, a
visitor nobody signed in is no one, never someone they pick.

A signed-in user is looked up on their own (`signed_in`), so their kernel holds no colleague's row;
only demo mode, whose roster is fictional and shown in the picker anyway, reads the whole roster.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from resurskurs.district.roster import Person, is_person_id

PERSON_COOKIE = "resurskurs_person"
PERSON_HEADER = "X-Resurskurs-Person"
"""The demo choice, as the server's page handler read it from PERSON_COOKIE: the kernel gets no cookies at all."""
PERSON_VARIABLE = "HTTP_" + PERSON_HEADER.upper().replace("-", "_")
SIGNED_IN = ("JUPYTERHUB_USER", "RESURSKURS_USER")
DEMO = "RESURSKURS_DEMO"

Lookup = Callable[[str], Person | None]


@dataclass(frozen=True)
class Identity:
    person: Person | None
    demo_mode: bool
    sign_out: str = ""
    """Where "Logga ut" leads: the hub's own log-out page when the hub signed the person in; else nothing to end."""

    @property
    def needs_choice(self) -> bool:
        return self.person is None and self.demo_mode


def identify(signed_in: Lookup, demo: Lookup, environ: dict[str, str] | None = None) -> Identity:
    """JUPYTERHUB_USER, then RESURSKURS_USER (found with `signed_in`), then, in demo mode only, the demo
    cookie (found with `demo`).

    Only well-formed ids are looked up. Must run after `voila.utils.wait_for_request()` in a preheated
    kernel: the choice arrives with the request (PERSON_VARIABLE), not when the kernel starts.
    """
    environ = dict(os.environ) if environ is None else environ
    user = next((environ[variable] for variable in SIGNED_IN if environ.get(variable)), None)
    if user is not None:
        hub = environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") if environ.get("JUPYTERHUB_USER") else None
        found = signed_in(user) if is_person_id(user) else None
        return Identity(found, demo_mode=False, sign_out="" if hub is None else f"{hub}/hub/logout")
    if environ.get(DEMO) != "1":
        return Identity(None, demo_mode=False)
    chosen = environ.get(PERSON_VARIABLE, "")
    person = demo(chosen) if chosen and is_person_id(chosen) else None
    return Identity(person, demo_mode=True)

