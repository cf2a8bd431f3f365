"""The principal's view: their units' staff by work team, module by module. Progress only, never texts."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from urllib.parse import urlencode

import ipywidgets as w

from resurskurs.backend.contract import Backend
from resurskurs.catalog.load import Catalog
from resurskurs.core.figures import ProgressRow
from resurskurs.core.tally import done_by_week, module_figures, not_started
from resurskurs.overview import charts
from resurskurs.overview.downloads import report_downloads
from resurskurs.overview.markup import legend, matrix_html, table_html
from resurskurs.overview.report import Table, module_table, people_table
from resurskurs.ui.formats import number
from resurskurs.ui.html import block
from resurskurs.ui.markup import text
from resurskurs.ui.widgets import Chart

OVER_TIME = "<h2>Inlämnade moduler, sammanlagt över tid</h2>"


def unit_tables(rows: Sequence[ProgressRow], titles: dict[str, str]) -> list[Table]:
    """What the page shows and the report holds, from one set of rows; the unit is named once, not per row."""
    several = len({row.unit for row in rows}) > 1
    figures = module_figures(rows, titles, lambda row: row.unit)
    return [module_table(figures, "Enhet" if several else None), people_table(rows, titles)]


def unit_link(unit: str) -> str:
    """The way from the district's view to one unit's page."""
    return f'<a href="?{urlencode({"vy": "enhet", "enhet": unit})}">{text(unit)}</a>'


def unit_choice(backend: Backend) -> list[w.Widget]:
    """`?vy=enhet` without a unit, for the resource team: every unit to choose from, never an empty page."""
    rows = backend.progress()
    staff: dict[str, set[str]] = {}
    for row in rows:
        staff.setdefault(row.unit, set()).add(row.person_id)
    items = "".join(
        f"<li>{unit_link(unit)} – {number(len(people))} i personalen</li>" for unit, people in staff.items()
    )
    listed = f'<ul class="rk-units">{items}</ul>' if items else "<p>Det finns ingen personal i listan ännu.</p>"
    return [block(f"<h1>Välj en enhet</h1><p>Välj den enhet du vill se.</p>{listed}")]


def unit_view(
    catalog: Catalog, backend: Backend, units: Sequence[str], library: str, releases: Sequence[w.Widget] = ()
) -> list[w.Widget]:
    """The widgets of the view for `units` (the release section under the heading); other units are never queried."""
    titles = {module.course.slug: module.course.title for module in catalog.modules}
    if not units:
        return unit_choice(backend)
    rows = backend.progress(units)
    names = ", ".join(units)
    if not rows:
        return [block(f"<h1>{text(names)}</h1><p>Det finns ingen personal på enheten i listan ännu.</p>"), *releases]
    tables = unit_tables(rows, titles)
    people = len({row.person_id for row in rows})
    figure, description = charts.over_time(done_by_week(rows), people * len(titles))
    widgets: list[w.Widget] = [
        block(
            f"<h1>{text(names)}</h1><p>Så här går det för personalen i modulerna. Du ser hur långt var och en "
            "har kommit, men inte vad någon har skrivit.</p>"
            f"<h2>Modulerna</h2>{table_html(tables[0], f'Hur långt {people} i personalen har kommit, per modul')}"
        ),
        *releases,
        block(OVER_TIME),
        Chart(figure=figure, description=description, library=library),
        block("<h2>Arbetslagen</h2>" + legend()),
    ]
    for team, members in groupby(rows, key=lambda row: (row.unit, row.work_team)):
        team_rows = list(members)
        done = sum(1 for row in team_rows if row.complete)
        heading = f"{team[1]} ({team[0]})" if len(units) > 1 else team[1]
        widgets.append(
            block(
                f"<h3>{text(heading)}</h3><p>{done} av {len(team_rows)} moduler klara.</p>"
                + matrix_html(team_rows, titles, f"Status per person och modul i {heading}")
            )
        )
    waiting = not_started(rows)
    listed = "".join(f"<li>{text(name)} – {text(team)}</li>" for name, team in waiting)
    widgets.append(
        block(
            "<h2>Inte påbörjat någon modul</h2>"
            + (f"<ul>{listed}</ul>" if waiting else "<p>Alla har påbörjat minst en modul.</p>")
            + "<h2>Rapport</h2><p>Samma siffror som på sidan, för tertialrapporten.</p>"
        )
    )
    widgets.append(report_downloads("framsteg-" + "-".join(units), lambda: tables))
    return widgets
