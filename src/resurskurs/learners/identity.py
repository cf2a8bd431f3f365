"""Who is using the app: the hub's user, a configured user, or (demo mode) a choice from the roster."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie

from resurskurs.district.roster import PERSON_ID, Person, Roster

PERSON_COOKIE = "resurskurs_person"


@dataclass(frozen=True)
class Identity:
    person: Person | None
    demo_mode: bool

    @property
    def needs_choice(self) -> bool:
        return self.person is None and self.demo_mode


def identify(roster: Roster, environ: dict[str, str] | None = None) -> Identity:
    """JUPYTERHUB_USER, then RESURSKURS_USER, then the demo cookie (only ids on the roster count).

    Must run after `voila.utils.wait_for_request()` in a preheated kernel: the cookie arrives
    with the request as HTTP_COOKIE, not when the kernel starts.
    """
    environ = dict(os.environ) if environ is None else environ
    for variable in ("JUPYTERHUB_USER", "RESURSKURS_USER"):
        user = environ.get(variable)
        if user:
            return Identity(roster.find(user), demo_mode=False)
    chosen = _cookie(environ.get("HTTP_COOKIE", ""), PERSON_COOKIE)
    person = roster.find(chosen) if chosen and re.match(PERSON_ID, chosen) else None
    return Identity(person, demo_mode=True)


def _cookie(header: str, name: str) -> str | None:
    try:
        morsel = SimpleCookie(header).get(name)
    except CookieError:
        return None
    return morsel.value if morsel else None
