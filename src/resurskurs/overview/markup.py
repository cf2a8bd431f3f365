"""HTML for the views' tables: real table markup with captions and header scopes, status as icon and text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from resurskurs.core.figures import ProgressRow
from resurskurs.core.progress import STAGE_LABELS, Stage, status_label
from resurskurs.overview.report import Cell, Table
from resurskurs.ui.formats import day, number
from resurskurs.ui.markup import text

ICONS = {Stage.NOT_STARTED: "○", Stage.IN_PROGRESS: "◐", Stage.INCOMPLETE: "◑", Stage.COMPLETE: "✓"}


def status_cell(row: ProgressRow) -> str:
    """Colour is never the only signal: every stage has its own symbol and its words, a hand-in with steps
    missing says so and how far it came."""
    stage = row.stage
    label = status_label(row.status, row.percent)
    return f'<td class="rk-st rk-st-{stage.value}"><span aria-hidden="true">{ICONS[stage]}</span> {text(label)}</td>'


def legend() -> str:
    items = "".join(
        f'<li class="rk-st rk-st-{s.value}"><span aria-hidden="true">{ICONS[s]}</span> {STAGE_LABELS[s]}</li>'
        for s in Stage
    )
    return f'<ul class="rk-legend" aria-label="Förklaring till statusarna">{items}</ul>'


def _cell(value: Cell) -> str:
    if value is None:
        return "<td>–</td>"
    if isinstance(value, date):
        return f"<td>{day(value)}</td>"
    if isinstance(value, int | float):
        return f'<td class="rk-num">{number(value, 1)}</td>'
    return f"<td>{text(value)}</td>"


SCROLL_HINT = "Tabellen är bredare än skärmen. Svep eller scrolla åt sidan för att se resten."


def scroll_box(caption: str, table: str) -> str:
    """A wide table scrolls sideways in its own box, which the keyboard can reach and a screen reader names.

    The page marks a box that really is too wide (template script): then the hint above it shows, and a shadow
    stays on the right edge until the reader has scrolled to the end."""
    return (
        f'<div class="rk-scroll-area"><p class="rk-scroll-hint">{text(SCROLL_HINT)}</p><div class="rk-scroll-frame">'
        f'<div class="rk-table-wrap" role="region" tabindex="0" aria-label="{text(caption)}">{table}</div></div></div>'
    )


def table_html(table: Table, caption: str, row_headers: int = 2) -> str:
    """The same Table a report file holds; the first `row_headers` columns head their rows."""
    head = "".join(f'<th scope="col">{text(title)}</th>' for title in table.header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{text(str(cell))}</th>' if index < row_headers else _cell(cell)
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    return scroll_box(
        caption,
        f'<table class="rk-table" data-table="{text(table.title)}">'
        f"<caption>{text(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
    )


def matrix_html(rows: Iterable[ProgressRow], titles: dict[str, str], caption: str) -> str:
    """People down, modules across: one work team at a glance."""
    by_person: dict[str, list[ProgressRow]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
    head = '<th scope="col">Namn</th>' + "".join(f'<th scope="col">{text(title)}</th>' for title in titles.values())
    body = "".join(
        f'<tr><th scope="row">{text(cells[0].name)}</th>'
        + "".join(status_cell(cell) for cell in cells)
        + "</tr>"
        for cells in by_person.values()
    )
    return scroll_box(
        caption,
        f'<table class="rk-table rk-matrix"><caption>{text(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
    )
