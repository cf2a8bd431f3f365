"""Days a unit's gruppträff is unlikely to be on: Swedish public holidays, the eves preschools close
(julafton, midsommarafton, nyårsafton) and weekends. The release form asks before it takes one.

The calendar is python-holidays' Swedish one (moving feasts such as midsommar and påsk included), so no
list of dates is kept here to go out of date.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

CATEGORIES = (holidays.PUBLIC, holidays.DE_FACTO)
"""Public holidays, and the eves that are days off in practice."""
WEEKEND = {5: "en lördag", 6: "en söndag"}


@cache
def _swedish(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("SE", years=year, language="sv", categories=CATEGORIES)


def day_off(day: date) -> str | None:
    """What makes `day` a day off, in the words of a sentence ("juldagen", "en lördag"); None for a working day."""
    name = _swedish(day.year).get(day)
    if name:
        first = name.split(";")[0].strip()
        return first[:1].lower() + first[1:]
    return WEEKEND.get(day.weekday())
