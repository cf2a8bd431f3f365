"""The one notebook of the app: imports and the catalog load happen while the kernel is preheated;
who the person is and which page they asked for is read only after the request arrives."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs

import ipywidgets as w
from IPython.display import display

from resurskurs.backend import Settings, backend_for, person_lookup
from resurskurs.backend.contract import Backend
from resurskurs.catalog.cache import cached_catalog
from resurskurs.catalog.key import CACHE_FOLDER
from resurskurs.district.roster import ROSTER_FILE, Role, Roster, is_for, read_roster
from resurskurs.learners.identity import Identity, identify
from resurskurs.learners.store import AnswerStore
from resurskurs.paths import content_root, var_root
from resurskurs.player.catalog_page import catalog_page, picker_page, unknown_person_page, who_bar
from resurskurs.player.closed import refusal_html
from resurskurs.player.course_page import course_page
from resurskurs.player.request import wait_for_request
from resurskurs.player.sections.feedback import new_feedback_notice
from resurskurs.player.sections.guides import PRINT, guides_section, not_printable, printable
from resurskurs.player.sections.routines import routines_for
from resurskurs.player.seen import SeenFeedback
from resurskurs.player.session import ModuleSession
from resurskurs.server.vendor import PLOTLY
from resurskurs.ui.html import block, page
from resurskurs.ui.markup import text


@cache
def demo_roster() -> Roster:
    """The whole roster, read only in demo mode (for the picker); a signed-in kernel never reads it."""
    file = var_root() / ROSTER_FILE
    return read_roster(file) if file.is_file() else Roster([], [])


CATALOG = cached_catalog(content_root(), var_root() / CACHE_FOLDER)


def page_for(query: str, environ: dict[str, str]) -> w.Widget:
    """The widget tree for one request: picker, catalog, course page, or a Swedish explanation."""
    settings = Settings.from_environ(environ)
    identity = identify(person_lookup(settings), lambda chosen: demo_roster().find(chosen), environ)
    arguments = parse_qs(query)
    if identity.needs_choice or (identity.demo_mode and "byt" in arguments):
        return picker_page(demo_roster(), identity)
    if identity.person is None:
        return unknown_person_page()
    backend = backend_for(identity.person, CATALOG, settings)
    view = (arguments.get("vy") or [""])[0]
    if view:
        return overview_page(identity, backend, view, arguments, environ.get("VOILA_BASE_URL", "/"))
    store = AnswerStore(var_root(), identity.person.id)
    reviews = backend.own_reviews()
    slug = (arguments.get("kurs") or [""])[0]
    releases = backend.releases().load()
    if not slug:
        return catalog_page(CATALOG, identity, store, reviews, releases)
    try:
        module = CATALOG.module(slug)
    except KeyError:
        return page(
            [
                who_bar(identity),
                block(
                    "<h1>Modulen finns inte</h1><p>Vi hittar ingen modul med den "
                    'adressen. <a href="?">Gå till alla moduler</a>.</p>'
                ),
            ]
        )
    if not releases.opens(identity.person, slug):
        return page([who_bar(identity), block(refusal_html(module.course, releases))])
    role = identity.person.role
    if PRINT in arguments:
        guide = printable(module.course, arguments[PRINT][0], role, routines_for(backend))
        return page([block(guide)]) if guide else refusal_page(identity, *not_printable(arguments[PRINT][0], role))
    review = reviews.get(slug)
    session = ModuleSession(module, store, environ.get("VOILA_BASE_URL", "/"), backend, review)
    notice = new_feedback_notice(SeenFeedback(store.folder), slug, review)
    guides = guides_section(module.course, role, routines_for(backend))
    return w.VBox([who_bar(identity), *notice, *guides, course_page(session)])


@dataclass(frozen=True)
class View:
    """An overview page: what a refusal calls it, and who may open it."""

    name: str
    readers: tuple[Role, ...]


VIEWS = {
    "enhet": View("Översikten för förskoleenheten", (Role.PRINCIPAL, Role.RESOURCE_TEAM)),
    "forvaltning": View("Översikten för hela förvaltningen", (Role.RESOURCE_TEAM,)),
    "granska": View("Granska", (Role.RESOURCE_TEAM,)),
}
HOME = {
    Role.STAFF: ("?", "Gå till dina moduler"),
    Role.PRINCIPAL: ("?vy=enhet", "Gå till översikten för din förskoleenhet"),
    Role.RESOURCE_TEAM: ("?vy=forvaltning", "Gå till översikten för hela förvaltningen"),
}
"""Where a refusal sends each role: the page that person does have."""


def refusal_page(identity: Identity, heading: str, words: str) -> w.Widget:
    """A page that is not for this person: whom it is for, and the way to their own page."""
    assert identity.person is not None
    address, label = HOME[identity.person.role]
    return page(
        [
            who_bar(identity),
            block(f'<h1>{text(heading)}</h1><p>{text(words)} <a href="{address}">{text(label)}</a>.</p>'),
        ]
    )


def overview_page(
    identity: Identity, backend: Backend, view: str, arguments: dict[str, list[str]], base_url: str
) -> w.Widget:
    """A principal's units or the whole district; the role on the roster decides who may see which."""
    from resurskurs.overview.district_page import district_view
    from resurskurs.overview.follow_up_section import follow_up_section
    from resurskurs.overview.release_section import release_section
    from resurskurs.overview.review_page import review_view
    from resurskurs.overview.routines_form import routines_form
    from resurskurs.overview.unit_page import unit_view

    person = identity.person
    assert person is not None
    if view not in VIEWS:
        return refusal_page(identity, "Sidan finns inte", "Vi hittar ingen sida med den adressen.")
    if person.role not in VIEWS[view].readers:
        return refusal_page(identity, "Sidan är inte till för dig", is_for(VIEWS[view].name, VIEWS[view].readers))
    library = f"{base_url.rstrip('/')}/resurskurs/{PLOTLY.name}"
    if view == "granska":
        return page([who_bar(identity), *review_view(CATALOG, backend.reviews(), person)])
    if view == "forvaltning":
        routines = routines_form(backend.routines(), person, [None])
        return page([who_bar(identity), *district_view(CATALOG, backend, library), *routines])
    units = list(person.units) if person.role is Role.PRINCIPAL else (arguments.get("enhet") or [])[:1]
    follow_ups = backend.follow_up_figures(units)
    released = [*release_section(CATALOG, person, units, backend.releases()), *follow_up_section(CATALOG, follow_ups)]
    routines = routines_form(backend.routines(), person, units)
    return page([who_bar(identity), *unit_view(CATALOG, backend, units, library, released), *routines])


def error_page() -> w.Widget:
    return page(
        [
            block(
                "<h1>Något gick fel</h1><p>Sidan kunde inte visas just nu. Det du redan har skrivit är "
                'sparat. Försök igen om en stund, eller <a href="?">gå till alla moduler</a>. Om felet '
                "finns kvar, kontakta resursteamet.</p>"
            )
        ]
    )


def main() -> None:
    """Render the page for this request; a failure shows a Swedish message, the details go to the log."""
    wait_for_request()
    try:
        shown = page_for(os.environ.get("QUERY_STRING", ""), dict(os.environ))
    except Exception:
        logging.getLogger("resurskurs").exception("the page for %r could not be built", os.environ.get("QUERY_STRING"))
        shown = error_page()
    display(shown)
