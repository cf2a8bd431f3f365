"""Ledningen först on the principal's overview (?vy=enhet): what is released to which unit and when, and the form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import ipywidgets as w

from resurskurs.backend.contract import ReleaseStore
from resurskurs.catalog.load import Catalog
from resurskurs.district.releases import UNREADABLE, ReleaseRefused, Releases, may_release
from resurskurs.district.roster import Person, Role
from resurskurs.ui.html import alert, block, text

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


def release_section(
    catalog: Catalog,
    person: Person,
    units: Sequence[str],
    store: ReleaseStore,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[w.Widget]:
    """The release overview for `units`, and for a principal the form that releases a module to them."""
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
    day = w.DatePicker(description="Gruppträffens datum")
    button = w.Button(description="Öppna modulen")
    button.add_class("rk-button")
    button.add_class("rk-primary")
    status = block("")

    def released(_: object) -> None:
        chosen = [check.description for check in checks if check.value]
        if module.value is None or day.value is None:
            status.value = '<p role="alert" class="rk-problem">Välj en modul och datumet för gruppträffen.</p>'
            return
        try:
            now = store.release(str(module.value), chosen, day.value, person, clock())
        except ReleaseRefused as refused:
            status.value = f'<p role="alert" class="rk-problem">{text(str(refused))}</p>'
            return
        table.value = intro + status_table(catalog, now, units)
        title = next(m.course.title for m in catalog.modules if m.course.slug == module.value)
        status.value = (
            f'<p role="status" class="rk-ok">{text(title)} är öppnad för {text(", ".join(chosen))} · '
            f"gruppträff {day.value.isoformat()}.</p>"
        )

    button.on_click(released)
    form = [block("<h3>Öppna en modul</h3>"), module]
    form += [block("<p>För enheterna:</p>"), *checks] if len(own) > 1 else []
    return [table, *form, day, button, status]
