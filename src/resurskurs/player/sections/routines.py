"""The local routines where the module relies on them: the learner's unit's own before the district's, slot by
slot; an empty slot says so and points to the principal, because the product never makes up a local fact."""

from __future__ import annotations

import logging

import ipywidgets as w

from resurskurs.backend.contract import Backend
from resurskurs.district.routines import EMPTY_TEXT, Routines, empty_routines
from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import ROUTINE_SLOTS
from resurskurs.ui.html import block
from resurskurs.ui.markup import text

UNREADABLE = "Förvaltningens rutiner kunde inte läsas just nu. Fråga din rektor hur ni gör på er förskoleenhet."
log = logging.getLogger("resurskurs")


Loaded = tuple[Routines, str | None]
"""The routines as the reader's page read them, and the reader's unit (whose own routines come first)."""
NOTHING_FILLED: Loaded = (Routines(empty_routines()), None)


def routines_for(backend: Backend) -> Loaded:
    """The routines the person may know, read per page (through the backend) so an edit shows at once."""
    routines = backend.routines().load()
    if routines.problem:
        log.error("the local routines could not be read: %s", routines.problem)
    return routines, backend.person.unit


def routine_html(slot: str, loaded: Loaded) -> str:
    """One slot with the unit's or the district's own words, or the plain note that it is not filled in yet."""
    routines, unit = loaded
    shown = routines.shown(slot, unit)
    found = shown.routine
    title = f'<h4 class="rk-routine-title">{text(ROUTINE_SLOTS.get(slot, slot))}</h4>'
    if not found.filled:
        return f'{title}<p class="rk-routine-empty">{text(UNREADABLE if routines.problem else EMPTY_TEXT)}</p>'
    whose = "förskoleenhetens" if shown.by_unit else "förvaltningens"
    parts = [f"<p>{text(found.text)}</p>" if found.text else ""]
    parts.append(f"<p>Kontakt: {text(found.contact)}</p>" if found.contact else "")
    parts.append(f'<p><a href="{text(str(found.url))}">Läs {whose} rutin</a></p>' if found.url else "")
    parts.append(f'<p class="rk-small">Rutinen är {whose} egen.</p>' if shown.by_unit else "")
    return title + "".join(parts)


def where_used(session: ModuleSession) -> dict[str, list[str]]:
    """Each slot the module refers to, with the parts of the module that name it."""
    course = session.course
    places: dict[str, list[str]] = {slot: [] for slot in course.local_routines}
    for number, chapter in enumerate(course.preparation.chapters, start=1):
        for slot in chapter.local_routines:
            places[slot].append(f"kapitel {number}")
    for slot in course.workshop.local_routines:
        places[slot].append("gruppträffen")
    for slot in course.practice.local_routines:
        places[slot].append("pröva i praktiken")
    return places


def routines_section(session: ModuleSession) -> list[w.Widget]:
    places = where_used(session)
    if not places:
        return []
    loaded = routines_for(session.backend)
    items = "".join(
        f'<div class="rk-routine">{routine_html(slot, loaded)}'
        + (f'<p class="rk-small">Tas upp i: {text(", ".join(used))}.</p>' if used else "")
        + "</div>"
        for slot, used in places.items()
    )
    return [
        block(
            '<h2 id="rk-rutiner">Era lokala rutiner</h2><p>Modulen tar upp rutiner som varje förvaltning har '
            f"bestämt själv. Så här gör ni hos er.</p>{items}"
        )
    ]
