"""The tables a view shows and a report file holds, built once so the screen and the file agree.

CSV is written for Swedish Excel (semicolon, UTF-8 with BOM); XLSX has one sheet per table.
Shares are whole percentages, so no decimal comma or point can be misread.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from resurskurs.overview.figures import EvaluationFigures, ModuleFigures
from resurskurs.overview.query import ProgressRow
from resurskurs.player.progress import LABELS, Status

Cell = str | int | float | None
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
SCALE = ["Stämmer inte alls", "Stämmer ganska dåligt", "Varken eller", "Stämmer ganska bra", "Stämmer helt"]


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]


def percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


def module_table(figures: Iterable[ModuleFigures], group_label: str = "Enhet") -> Table:
    """Per group and module: how many are where, the share done and the mean knowledge-check result."""
    return Table(
        "Moduler",
        [group_label, "Modul", "Personal", *(LABELS[s] for s in Status), "Klara %", "Kunskapsfrågor, medel %"],
        [
            [
                f.group,
                f.title,
                f.people,
                *(f.counts.get(s, 0) for s in Status),
                percent(f.done_share),
                percent(f.mean_score_share),
            ]
            for f in figures
        ],
    )


def people_table(rows: Iterable[ProgressRow], titles: dict[str, str]) -> Table:
    """Per person and module; dates as ISO days. Never any text a person wrote."""
    return Table(
        "Personer",
        ["Enhet", "Arbetslag", "Namn", "Modul", "Status", "Klart %", "Poäng", "Maxpoäng", "Påbörjad", "Inlämnad"],
        [
            [
                r.unit,
                r.work_team,
                r.name,
                titles[r.slug],
                LABELS[r.status],
                r.percent,
                r.score,
                r.score_max,
                r.started_at.date().isoformat() if r.started_at else None,
                r.submitted_at.date().isoformat() if r.submitted_at else None,
            ]
            for r in rows
        ],
    )


def evaluation_table(evaluations: Iterable[EvaluationFigures], titles: dict[str, str]) -> Table:
    """Likert counts per statement, only for groups where enough people answered (see MIN_ANSWERS)."""
    return Table(
        "Utvärdering",
        ["Grupp", "Modul", "Påstående", *SCALE, "Medel (1–5)", "Antal svar"],
        [
            [e.group, titles[e.slug], item.statement, *item.counts, _one_decimal(item.mean), item.answered]
            for e in evaluations
            for item in e.likert
        ],
    )


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
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
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for index, title in enumerate(table.header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(title) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
