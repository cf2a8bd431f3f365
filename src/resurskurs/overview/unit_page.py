"""The principal's view: their units' staff by work team, module by module. Progress only, never texts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
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
from resurskurs.ui.formats import how_many, number
from resurskurs.ui.html import block
from resurskurs.ui.markup import text
from resurskurs.ui.widgets import Chart

OVER_TIME = "<h2>Inlämnade moduler, sammanlagt över tid</h2>"
NOTHING_HANDED_IN = (
    "<p>Ingen har lämnat in någon modul än. När den första är inlämnad visas här ett diagram över hur många som "
    "har lämnat in, vecka för vecka.</p>"
)


def over_time_section(weeks: list[tuple[date, int]], possible: int, library: str) -> list[w.Widget]:
    """The running total of hand-ins; before the first, a sentence instead of a chart with no weeks to show
    (plotly would draw an axis of bare numbers)."""
    if not weeks:
        return [block(OVER_TIME + NOTHING_HANDED_IN)]
    figure, description = charts.over_time(weeks, possible)
    return [block(OVER_TIME), Chart(figure=figure, description=description, library=library)]


def team_summary(rows: Sequence[ProgressRow]) -> str:
    """How far a work team has come. Its rows are one per person and module, so the count says so: "0 av 2
    moduler klara" for two people and one module would read as two modules."""
    modules = Counter(row.person_id for row in rows)
    done = sum(1 for row in rows if row.complete)
    people = how_many(len(modules), "person", "personer")
    each = set(modules.values())
    if len(each) == 1:
        per_person = how_many(each.pop(), "modul", "moduler") + (" var" if len(modules) > 1 else "")
        return f"Klart: {number(done)} av {number(len(rows))} ({people} med {per_person})."
    return f"Klart: {number(done)} av {number(len(rows))}, räknat per person och modul ({people})."


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
    widgets: list[w.Widget] = [
        block(
            f"<h1>{text(names)}</h1><p>Så här går det för personalen i modulerna. Du ser hur långt var och en "
            "har kommit, men inte vad någon har skrivit.</p>"
            f"<h2>Modulerna</h2>{table_html(tables[0], f'Hur långt {people} i personalen har kommit, per modul')}"
        ),
        *releases,
        *over_time_section(done_by_week(rows), people * len(titles), library),
        block("<h2>Arbetslagen</h2>" + legend()),
    ]
    for team, members in groupby(rows, key=lambda row: (row.unit, row.work_team)):
        team_rows = list(members)
        heading = f"{team[1]} ({team[0]})" if len(units) > 1 else team[1]
        widgets.append(
            block(
                f"<h3>{text(heading)}</h3><p>{team_summary(team_rows)}</p>"
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
