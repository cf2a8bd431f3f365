"""Ledningen först on the principal's overview (?vy=enhet): what is released to which unit and when, and the form."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import ipywidgets as w

from resurskurs.backend.contract import ReleaseStore
from resurskurs.catalog.load import Catalog
from resurskurs.district.days_off import day_off
from resurskurs.district.releases import PAST, UNREADABLE, ReleaseRefused, Releases, is_past, may_release
from resurskurs.district.roster import Person, Role
from resurskurs.ui.formats import long_day
from resurskurs.ui.html import block
from resurskurs.ui.markup import alert, text
from resurskurs.ui.widgets import DateField

HINT = "Skriv året först: år-månad-dag, till exempel 2026-12-10."
NOT_A_DAY = "Datumet kunde inte läsas. Skriv året först: år-månad-dag, till exempel 2026-12-10."
TYPED_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
NOT_STARTED = (
    "Ledningen först är inte påslaget i förvaltningen än, så all personal ser alla moduler. "
    "Resursteamet slår på det när ni vill att rektorerna öppnar modulerna först."
)


def status_table(catalog: Catalog, releases: Releases, units: Sequence[str]) -> str:
    """Each module against each unit: released with the gruppträff date, or not yet."""
    head = "".join(f'<th scope="col">{text(unit)}</th>' for unit in units)
    rows = []
    for module in catalog.modules:
        course = module.course
        cells = []
        for unit in units:
            found = releases.to_unit(unit, course.slug)
            cells.append(
                f"<td>Öppnad · gruppträff {found.workshop.isoformat()}</td>" if found else "<td>Inte öppnad</td>"
            )
        rows.append(f'<tr><th scope="row">{text(course.title)}</th>{"".join(cells)}</tr>')
    return (
        '<table class="rk-table rk-releases"><caption>Vilka moduler som är öppnade för personalen, och när '
        f'gruppträffen är</caption><thead><tr><th scope="col">Modul</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def read_day(typed: str) -> date | None:
    """A date typed year first (2026-12-10); None for anything else, so no other order is ever guessed."""
    typed = typed.strip()
    if not TYPED_DAY.fullmatch(typed):
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        return None


def about_day(day: date, today: date) -> tuple[str, bool]:
    """What the form says of a typed date: the day in words, or (a warning) that it is past or a day off."""
    if day < today:
        return PAST, True
    off = day_off(day)
    if off:
        return f"{long_day(day).capitalize()} är {off}. Stämmer datumet för gruppträffen?", True
    return f"{long_day(day).capitalize()}.", False


def release_section(
    catalog: Catalog,
    person: Person,
    units: Sequence[str],
    store: ReleaseStore,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[w.Widget]:
    """The release overview for `units`, and for a principal the form that releases a module to them.

    The gruppträff's date is typed year first in every browser; a past date is refused (by the store's
    rule) and a holiday or weekend is asked about once before the module is released."""
    releases = store.load()
    intro = (
        "<h2>Öppna moduler för personalen</h2><p>Du ser varje modul först. När du har sett den öppnar du den "
        "för din förskoleenhet och skriver in datumet för gruppträffen. Då ser personalen modulen.</p>"
    )
    if not releases.started:
        return [block(f"{intro}<p>{text(NOT_STARTED)}</p>")]
    table = block(intro + (alert(UNREADABLE) if releases.problem else "") + status_table(catalog, releases, units))
    own = [unit for unit in units if may_release(person, unit)]
    if releases.problem or not own or person.role is not Role.PRINCIPAL:
        return [table]
    module = w.Dropdown(
        options=[(m.course.title, m.course.slug) for m in catalog.modules], description="Modul att öppna", value=None
    )
    checks = [w.Checkbox(value=True, description=unit, indent=False) for unit in own]
    day = DateField(label="Gruppträffens datum", hint=HINT)
    button = w.Button(description="Öppna modulen")
    button.add_class("rk-button")
    button.add_class("rk-primary")
    status = block("")
    asked: list[tuple[str, date]] = []
    """The module and day off the principal was asked about: pressing again with the same ones releases."""

    def typed(_: object) -> None:
        found = read_day(day.value)
        day.said, day.warn = about_day(found, clock().astimezone().date()) if found else ("", False)

    def released(_: object) -> None:
        chosen = [check.description for check in checks if check.value]
        found = read_day(day.value)
        if module.value is None or not day.value.strip():
            status.value = alert("Välj en modul och skriv datumet för gruppträffen.")
            return
        if found is None:
            status.value = alert(NOT_A_DAY)
            return
        if is_past(found, clock()):  # said before the day-off question: that day cannot be kept anyway
            status.value = alert(PAST)
            return
        off = day_off(found)
        if off and (str(module.value), found) not in asked:
            asked.append((str(module.value), found))
            status.value = alert(
                f"{found.isoformat()} är {off}. Vill du ändå ha gruppträffen den dagen? Tryck på Öppna modulen "
                "igen, eller skriv ett annat datum."
            )
            return
        try:
            now = store.release(str(module.value), chosen, found, person, clock())
        except ReleaseRefused as refused:
            status.value = alert(str(refused))
            return
        table.value = intro + status_table(catalog, now, units)
        title = next(m.course.title for m in catalog.modules if m.course.slug == module.value)
        status.value = (
            f'<p role="status" class="rk-ok">{text(title)} är öppnad för {text(", ".join(chosen))} · '
            f"gruppträff {found.isoformat()}.</p>"
        )

    day.observe(typed, names="value")
    button.on_click(released)
    form = [block("<h3>Öppna en modul</h3>"), module]
    form += [block("<p>För enheterna:</p>"), *checks] if len(own) > 1 else []
    return [table, *form, day, button, status]
