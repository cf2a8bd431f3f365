"""The guides on a module's page: the leadership guide for principals and the resource team, the
facilitator's guide for the resource team and for a rektor who leads the session (staff never see either),
and the material for guardians, which everyone may open and print. Each has a printable view."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from resurskurs.district.roster import Role, is_for
from resurskurs.player.sections.routines import NOTHING_FILLED, Loaded, routine_html
from resurskurs.schema import Course
from resurskurs.ui.html import block
from resurskurs.ui.markup import bullets, duration, text

PRINT = "utskrift"
"""The query key of the printable view: ?kurs=<slug>&utskrift=ledning (or samtalsledare)."""
LEADERSHIP, FACILITATOR, GUARDIANS = "ledning", "samtalsledare", "vardnadshavare"
READERS: dict[str, tuple[Role, ...]] = {
    LEADERSHIP: (Role.PRINCIPAL, Role.RESOURCE_TEAM),
    FACILITATOR: (Role.PRINCIPAL, Role.RESOURCE_TEAM),
    GUARDIANS: (Role.STAFF, Role.PRINCIPAL, Role.RESOURCE_TEAM),
}
"""Who may read which guide; the router asks this before it shows a printable view."""
NAMES = {
    LEADERSHIP: "Ledningens guide",
    FACILITATOR: "Samtalsledarens guide",
    GUARDIANS: "Materialet till vårdnadshavarna",
}


def leadership_html(course: Course) -> str:
    guide = course.leadership
    if guide is None:
        return ""
    times = "".join(f"<li>{text(item.activity)}: {duration(item.minutes)}</li>" for item in guide.planning_time)
    total = sum(item.minutes for item in guide.planning_time)
    return (
        f'<h2 id="rk-ledning">Ledningens guide – {text(course.title)}</h2>'
        f"<h3>Varför den här modulen</h3><p>{text(guide.why)}</p>"
        f"<h3>Så startar du modulen</h3>{bullets(guide.launch, ordered=True)}"
        f"<h3>Tid i planeringstiden (totalt {duration(total)})</h3><ul>{times}</ul>"
        f"<h3>Det här följer du upp</h3>{bullets(guide.follow_up)}"
        + (
            '<h3>Checklista för biträdande rektor</h3><ul class="rk-checklist">'
            + "".join(f"<li>☐ {text(item)}</li>" for item in guide.checklist)
            + "</ul>"
            if guide.checklist
            else ""
        )
    )


def facilitator_html(course: Course, loaded: Loaded = NOTHING_FILLED) -> str:
    """The guide with the reader's local routines (`loaded`, from their page); without them every slot is empty."""
    guide = course.facilitator
    if guide is None:
        return ""
    routines = "".join(routine_html(slot, loaded) for slot in guide.local_routines)
    return (
        f'<h2 id="rk-samtalsledare">Samtalsledarens guide – {text(course.title)}</h2>'
        f"<p>För den som leder gruppträffen (del B).</p>"
        f"<h3>Före gruppträffen</h3>{bullets(guide.before)}"
        f"<h3>Sekretess i gruppen</h3><p>{text(guide.confidentiality)}</p>"
        f"<h3>Om någon berättar om oro för ett barn</h3><p>{text(guide.disclosure)}</p>"
        + (f"<h3>Fallkort att dela ut</h3>{bullets(guide.case_cards, ordered=True)}" if guide.case_cards else "")
        + (f"<h3>Frågor efter övningen</h3>{bullets(guide.debrief)}" if guide.debrief else "")
        + f"<h3>Omsorg om personalen efteråt</h3><p>{text(guide.aftercare)}</p>"
        + (f"<h3>Era lokala rutiner</h3>{routines}" if routines else "")
    )


def guardians_html(course: Course) -> str:
    material = course.guardians
    if material is None:
        return ""
    paragraphs = "".join(f"<p>{text(paragraph)}</p>" for paragraph in material.text)
    questions = (
        "<h3>Vi vill gärna veta vad ni tycker</h3><p>Svara på papper, utan namn, och lämna till förskolan.</p>"
        + bullets(material.questions, ordered=True)
        if material.questions
        else ""
    )
    return f'<h2 id="rk-vardnadshavare">Till vårdnadshavarna – {text(course.title)}</h2>{paragraphs}{questions}'


GUIDES: dict[str, Callable[[Course, Loaded], str]] = {
    LEADERSHIP: lambda course, _: leadership_html(course),
    FACILITATOR: facilitator_html,
    GUARDIANS: lambda course, _: guardians_html(course),
}
TITLES = {
    LEADERSHIP: "Ledningens guide (visas inte för personalen)",
    FACILITATOR: "Samtalsledarens guide (visas inte för personalen)",
    GUARDIANS: "Till vårdnadshavarna – att dela ut",
}


def guides_section(course: Course, role: Role, loaded: Loaded = NOTHING_FILLED) -> list[w.Widget]:
    """The guides this reader may see, each in a closed <details> with a link to its printable view."""
    shown = []
    for name, html in GUIDES.items():
        body = html(course, loaded)
        if role in READERS[name] and body:
            title = TITLES[name]
            link = f'<p class="rk-no-print"><a href="?kurs={text(course.slug)}&amp;{PRINT}={name}" target="_blank">'
            link += "Utskriftsvänlig version</a></p>"
            shown.append(block(f'<details class="rk-guide"><summary>{text(title)}</summary>{link}{body}</details>'))
    return shown


def printable(course: Course, name: str, role: Role, loaded: Loaded = NOTHING_FILLED) -> str | None:
    """The guide alone, for printing; None when this reader may not see it (or the module has none)."""
    if role not in READERS.get(name, ()):
        return None
    body = GUIDES[name](course, loaded)
    back = f'<p class="rk-no-print"><a href="?kurs={text(course.slug)}">← Till modulen</a> · Skriv ut med Ctrl+P.</p>'
    return f'<article class="rk-printable">{back}{body}</article>' if body else None


def not_printable(name: str, role: Role) -> tuple[str, str]:
    """Why there is no printable view for this reader: the heading and the words, naming whom the guide is for."""
    if name in READERS and role not in READERS[name]:
        return "Sidan är inte till för dig", is_for(NAMES[name], READERS[name])
    return "Guiden finns inte", "Modulen har ingen sådan guide att skriva ut."
