"""Numbers and dates as Swedish readers write them, one way everywhere (screen, reports, files).

Numbers: a space between thousands and a decimal comma ("1 234", "4,2"). Dates: the Swedish
standard form, year first ("2026-11-30", with the time "2026-11-30 14:05"), which sorts, is
unambiguous to staff with other first languages, and is what Excel shows for a real date cell.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

SPACE = "\u00a0"
"""A no-break space: "1 234" and "42 %" never break over two lines."""


def number(value: float, decimals: int = 0) -> str:
    """`1234` → "1 234", `4.25` with one decimal → "4,3"; a whole float has no decimals."""
    whole = decimals == 0 or float(value).is_integer()
    written = f"{round(value):,}" if whole else f"{value:,.{decimals}f}"
    return written.replace(",", SPACE).replace(".", ",")


def how_many(amount: int, one: str, many: str) -> str:
    """`1, "modul", "moduler"` → "1 modul", `9` → "9 moduler": the noun agrees with the number."""
    return f"{number(amount)} {one if amount == 1 else many}"


def percent(value: float) -> str:
    """`42` → "42 %", as Swedish typography writes a percentage."""
    return f"{number(value)}{SPACE}%"


def day(value: date | datetime) -> str:
    """The calendar day; a datetime from the gradebook (UTC, naive) is shown in local time first."""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.isoformat()


WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def long_day(value: date) -> str:
    """The day in words, to check a typed date against: "torsdag 10 december 2026"."""
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def moment(value: datetime) -> str:
    """Day and minute, in local time."""
    return f"{local(value):%Y-%m-%d %H:%M}"


def local(value: datetime) -> datetime:
    """The gradebook stores naive UTC; people read their own clock."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone()
