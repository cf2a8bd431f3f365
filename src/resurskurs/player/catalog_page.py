"""The catalog: a card per module with this person's status, and who they are (demo mode says so)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import ipywidgets as w

from resurskurs.catalog.load import Catalog
from resurskurs.core.answers import Answers
from resurskurs.core.progress import Stage, progress
from resurskurs.core.review import Review
from resurskurs.district.releases import Releases
from resurskurs.district.roster import Person, Role, Roster
from resurskurs.learners.identity import PERSON_COOKIE, Identity
from resurskurs.learners.store import AnswerStore
from resurskurs.player.closed import closed_card, problem_html
from resurskurs.player.seen import SeenFeedback
from resurskurs.ui.html import block, page
from resurskurs.ui.markup import duration, text
from resurskurs.ui.widgets import PersonPicker


def overview_link(person: Person) -> str:
    """The way to a principal's or the resource team's overview; nothing for staff."""
    if person.role is Role.PRINCIPAL:
        return f'<a href="?vy=enhet">Översikt för {"dina enheter" if person.more_units else "din enhet"}</a>'
    if person.role is Role.RESOURCE_TEAM:
        return '<a href="?vy=forvaltning">Översikt för hela förvaltningen</a> · <a href="?vy=granska">Granska</a>'
    return ""


ROLE_WORDS = {Role.STAFF: "personal", Role.PRINCIPAL: "rektor", Role.RESOURCE_TEAM: "resursteamet"}


def who_bar(identity: Identity) -> w.HTML:
    """Who is using the app, the way to sign out or switch person, and for principals and the resource team the
    way to their overview."""
    person = identity.person
    name = text(person.name) if person else ""
    overview = overview_link(person) if person else ""
    links = f' · <a href="?">Moduler</a> · {overview}' if overview else ""
    if identity.demo_mode:
        return block(
            f'<p class="rk-who rk-demo"><strong>Demoläge</strong> – påhittade personer och enheter. '
            f'Du är {name}. <a href="?byt=1">Byt person</a>{links}</p>'
        )
    out = f' · <a href="{text(identity.sign_out)}">Logga ut</a>' if identity.sign_out else ""
    return block(f'<p class="rk-who">Inloggad som {name}{links}{out}</p>')


def picker_labels(people: Sequence[Person]) -> list[str]:
    """Name, role, units and work team; two people alike in all of that are told apart by their address."""
    labels = [f"{p.name} ({ROLE_WORDS[p.role]}) – {', '.join(p.units)}, {p.work_team}" for p in people]
    counted = Counter(labels)
    return [f"{label}, {p.email}" if counted[label] > 1 else label for label, p in zip(labels, people, strict=True)]


def picker_page(roster: Roster, identity: Identity) -> w.Widget:
    labels = picker_labels(roster.people)
    people = [{"id": p.id, "label": label} for p, label in zip(roster.people, labels, strict=True)]
    current = identity.person.id if identity.person else ""
    return page(
        [
            block(
                "<h1>Resurskurs</h1><p>Kurser för förskolans personal från resursteamet.</p>"
                '<p class="rk-who rk-demo"><strong>Demoläge</strong> – här finns bara påhittade personer och '
                "enheter. Välj vem du vill vara.</p>"
            ),
            PersonPicker(people=people, cookie=PERSON_COOKIE, current=current),
        ]
    )


def unknown_person_page() -> w.Widget:
    return page(
        [
            block(
                "<h1>Resurskurs</h1><p>Vi hittar dig inte i listan över personal. "
                "Kontakta resursteamet eller din rektor, så hjälper de dig att komma in.</p>"
            )
        ]
    )


def catalog_page(
    catalog: Catalog, identity: Identity, store: AnswerStore, reviews: dict[str, Review], releases: Releases
) -> w.Widget:
    """Staff see modules not yet released to their unit as "Inte öppnad än", so they know what is coming."""
    saved = store.load_all()
    seen = SeenFeedback(store.folder)
    cards = []
    for module in catalog.modules:
        course = module.course
        if identity.person and not releases.opens(identity.person, course.slug):
            cards.append(closed_card(course))
            continue
        state = progress(module, saved.get(course.slug, Answers()), reviews.get(course.slug))
        news = (
            '<span class="rk-card-new"><strong>Ny återkoppling från resursteamet</strong></span>'
            if seen.is_new(course.slug, reviews.get(course.slug))
            else ""
        )
        css = {Stage.NOT_STARTED: "rk-not-started", Stage.COMPLETE: "rk-done"}.get(state.stage, "rk-in-progress")
        cards.append(
            f'<li class="rk-card-item"><a class="rk-course-card" href="?kurs={text(course.slug)}">'
            f'<span class="rk-card-title">{text(course.title)}</span>'
            f'<span class="rk-card-meta">Ca {duration(course.minutes)} · '
            f"{len(course.preparation.chapters)} kapitel</span>"
            f'{news}<span class="rk-badge {css}">{text(state.label)}</span></a></li>'
        )
    return page(
        [
            who_bar(identity),
            block(
                "<h1>Resurskurs</h1><p>Moduler från resursteamet. Titta på filmen, stanna upp och reflektera, "
                "och pröva i praktiken tillsammans med ditt arbetslag.</p>"
                f"{problem_html(releases)}"
                f'<h2>Moduler</h2><ul class="rk-cards">{"".join(cards)}</ul>'
            ),
        ]
    )
