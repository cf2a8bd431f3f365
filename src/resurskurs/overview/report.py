"""The tables a view shows and a report file holds, built once so the screen and the file agree.

CSV is written for Swedish Excel (semicolon, UTF-8 with BOM); XLSX has one sheet per table, its columns
as wide as what they hold and its dates real dates (sortable, shown as on screen). Shares are whole
percentages; the one decimal figure, the mean, has a decimal comma in the CSV. Text comes from people
(names, work teams, units), so both writers pass it through `spreadsheet_text`: a spreadsheet
never runs it as a formula, and control characters Excel refuses never reach the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from resurskurs.core.figures import EvaluationFigures, ModuleFigures, ProgressRow
from resurskurs.core.progress import STAGE_LABELS, Stage, status_label
from resurskurs.schema.vocabulary import LIKERT_SCALE
from resurskurs.ui.formats import day, local, number

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as XlsxCell
    from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | float | date | None
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
WIDEST = 60
"""Characters: a column never grows past this, however long a module title is."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""
PEOPLE = "Personer"
"""The table of one row per person and module: the one a CSV file holds, as the Excel file's sheet does."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The characters XLSX cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): NUL and the other C0 controls."""


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]


def percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


def module_table(figures: Iterable[ModuleFigures], group_label: str | None = "Enhet") -> Table:
    """Per group and module: how many are at each stage, the share done (every step, not only handed in),
    how many hand-ins are reviewed and the mean knowledge-check result.

    Without a `group_label` there is no group column: one unit's page need not repeat its name on every row.
    """
    groups = [group_label] if group_label else []
    return Table(
        "Moduler",
        [
            *groups,
            "Modul",
            "Personal",
            *(STAGE_LABELS[s] for s in Stage),
            "Klara %",
            "Granskade",
            "Kunskapsfrågor, medel %",
        ],
        [
            [
                *([f.group] if group_label else []),
                f.title,
                f.people,
                *(f.counts.get(s, 0) for s in Stage),
                percent(f.done_share),
                f.reviewed,
                percent(f.mean_score_share),
            ]
            for f in figures
        ],
    )


def people_table(rows: Iterable[ProgressRow], titles: dict[str, str]) -> Table:
    """Per person and module; dates as days (local time). Never any text a person wrote."""
    return Table(
        PEOPLE,
        ["Enhet", "Arbetslag", "Namn", "Modul", "Status", "Klart %", "Poäng", "Maxpoäng", "Påbörjad", "Inlämnad"],
        [
            [
                r.unit,
                r.work_team,
                r.name,
                titles[r.slug],
                status_label(r.status, r.percent),
                r.percent,
                r.score,
                r.score_max,
                local(r.started_at).date() if r.started_at else None,
                local(r.submitted_at).date() if r.submitted_at else None,
            ]
            for r in rows
        ],
    )


def csv_table(tables: Sequence[Table]) -> Table:
    """What a CSV file holds: the per-person rows, the same as the Excel file's sheet of that name."""
    return next(table for table in tables if table.title == PEOPLE)


def evaluation_table(evaluations: Iterable[EvaluationFigures], titles: dict[str, str]) -> Table:
    """Likert counts per statement, for the groups `disclosure.disclosed` let through and nothing else."""
    return Table(
        "Utvärdering",
        ["Grupp", "Modul", "Påstående", *LIKERT_SCALE, "Medel (1–5)", "Antal svar"],
        [
            [e.group, titles[e.slug], item.statement, *item.counts, _one_decimal(item.mean), item.answered]
            for e in evaluations
            for item in e.likert
        ],
    )


def follow_up_table(follow_ups: Sequence[EvaluationFigures], titles: dict[str, str]) -> Table:
    """The evaluation's columns, and the change since before the module for the people who rated both times
    (blank where fewer than five did)."""
    counted = evaluation_table(follow_ups, titles)
    items = [item for e in follow_ups for item in e.likert]
    return Table(
        "Uppföljning",
        [*counted.header, "Före modulen (medel)", "Nu, samma personer (medel)", "Förändring"],
        [
            [*row, _one_decimal(item.before_mean), _one_decimal(item.paired_mean), _one_decimal(item.change)]
            for row, item in zip(counted.rows, items, strict=True)
        ],
    )


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def spreadsheet_text(value: str) -> tuple[str, bool]:
    """`value` without control characters, and whether a spreadsheet would take it for a formula."""
    cleaned = CONTROL.sub("", value)
    return cleaned, cleaned.startswith(FORMULA_START)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """Text is always a string cell, quote-prefixed when it looks like a formula, as typing ' in Excel does."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    for index, table in enumerate(tables):
        sheet = workbook.worksheets[0] if index == 0 else workbook.create_sheet()
        sheet.title = table.title
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(column_widths(table), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_widths(table: Table) -> list[float]:
    """Each column as wide as its longest entry, heading included (a bold heading needs a little more)."""
    widths = [len(title) + 3 for title in table.header]
    for row in table.rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(_shown(value)) + 2)
    return [min(WIDEST, width) for width in widths]


def _shown(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return day(value)
    return str(value)


def _xlsx_cell(sheet: Worksheet, value: Cell) -> XlsxCell | int | float | date | None:
    """A string cell set by hand: openpyxl would make text starting with = a formula. A day stays a `date`,
    which openpyxl writes as a date cell shown yyyy-mm-dd, as on screen."""
    from openpyxl.cell.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    text, formula = spreadsheet_text(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type, cell.quotePrefix = "s", formula
    return cell


def csv_bytes(table: Table) -> bytes:
    """Text that looks like a formula gets a leading ' (OWASP); text is quoted, so no separator splits it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(table.header)
    writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(cell: Cell) -> str | int | float:
    """Days as on screen; a decimal with a comma, as Swedish Excel reads it."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return day(cell)
    if isinstance(cell, float) and not cell.is_integer():
        return number(cell, 1).replace("\u00a0", "")
    if not isinstance(cell, str):
        return cell
    text, formula = spreadsheet_text(cell)
    return "'" + text if formula else text
