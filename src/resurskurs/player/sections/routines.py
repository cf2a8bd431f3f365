"""The district's local routines where the module relies on them; an empty slot says so and points to the
principal, because the product never makes up a local fact."""

from __future__ import annotations

import logging

import ipywidgets as w

from resurskurs.catalog.problems import ContentError
from resurskurs.district.routines import EMPTY_TEXT, DistrictRoutines, Routine, empty_routines, load_routines
from resurskurs.paths import var_root
from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import ROUTINE_SLOTS
from resurskurs.ui.html import block, text

UNREADABLE = "Förvaltningens rutiner kunde inte läsas just nu. Fråga din rektor hur ni gör på er förskoleenhet."
log = logging.getLogger("resurskurs")


Loaded = tuple[DistrictRoutines, bool]


def district_routines() -> Loaded:
    """The district's routines file, read per page so an edit shows at once, and whether it could be read."""
    try:
        return load_routines(var_root()), True
    except ContentError as error:
        log.error("the district's routines could not be read: %s", "; ".join(p.message for p in error.problems))
        return empty_routines(), False


def routine_html(slot: str, loaded: Loaded) -> str:
    """One slot with the district's own words, or the plain note that it is not filled in yet."""
    routines, readable = loaded
    found = next((routine for routine in routines.routines if routine.id == slot), Routine(id=slot))
    title = f'<h4 class="rk-routine-title">{text(ROUTINE_SLOTS.get(slot, slot))}</h4>'
    if not (found.text or found.contact or found.url):
        return f'{title}<p class="rk-routine-empty">{text(EMPTY_TEXT if readable else UNREADABLE)}</p>'
    parts = [f"<p>{text(found.text)}</p>" if found.text else ""]
    parts.append(f"<p>Kontakt: {text(found.contact)}</p>" if found.contact else "")
    parts.append(f'<p><a href="{text(str(found.url))}">Läs förvaltningens rutin</a></p>' if found.url else "")
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
    loaded = district_routines()
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
