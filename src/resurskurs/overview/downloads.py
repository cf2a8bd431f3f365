"""The report buttons both views share: the Excel file with every table, the CSV with one row per person
and module (the Excel file's "Personer" sheet).

The file name carries the day it was taken, because a tertial report is filed and compared
with the last one, and the numbers change as staff go on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import ipywidgets as w

from resurskurs.overview.report import CSV_MIME, XLSX_MIME, Table, csv_bytes, csv_table, xlsx_bytes
from resurskurs.ui.widgets import Download


def file_stem(*parts: str) -> str:
    """`workshop-prova-pa-förskolan-ekorren`: the parts joined by hyphens, lower case, spaces as hyphens."""
    return "-".join(part for part in parts if part).lower().replace(" ", "-")


def report_name(stem: str, suffix: str, day: date | None = None) -> str:
    """`framsteg-förskolan-ekorren-2026-11-23.xlsx`: the day at the end."""
    return f"{file_stem(stem, (day or date.today()).isoformat())}.{suffix}"


def report_downloads(stem: str, tables: Callable[[], Sequence[Table]]) -> w.HBox:
    """Both files are made when the button is pressed, from `tables` read then: the district's page shows only
    counts, so its report reads the per-person rows only when someone asks for the file."""
    return w.HBox(
        [
            Download("Ladda ner Excel-fil", lambda: (report_name(stem, "xlsx"), XLSX_MIME, xlsx_bytes(tables()))),
            Download(
                "Ladda ner CSV-fil", lambda: (report_name(stem, "csv"), CSV_MIME, csv_bytes(csv_table(tables())))
            ),
        ]
    )
