"""Ledningen först in the demo district: each unit has the modules its staff have begun released, and the rest
wait for its principal, so the principal's page shows both a release and the form, and staff see what is coming."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from resurskurs.catalog.load import Catalog
from resurskurs.demo.plans import Plan
from resurskurs.district.days_off import day_off
from resurskurs.district.releases import release, release_file, start
from resurskurs.district.roster import Person, Role

WORKSHOP_AFTER = timedelta(days=7)
"""The unit's gruppträff: a week after the first person there began the module (the next working day)."""


def working_day(day: date) -> date:
    """`day`, or the first day after it that is neither a Swedish holiday nor a weekend."""
    while day_off(day):
        day += timedelta(days=1)
    return day


def release_begun(
    folder: Path, plans: Iterable[Plan], people: Iterable[Person], catalog: Catalog, now: datetime
) -> None:
    """Replace the demo's releases: every module someone in a unit has begun is released to that unit (its
    gruppträff on a working day a week after the first start), and no other; a unit where nobody has begun
    anything gets none."""
    unit_of = {person.id: person.unit for person in people if person.role is Role.STAFF}
    first_start: dict[tuple[str, str], datetime] = {}
    for plan in plans:
        key = (plan.slug, unit_of[plan.person_id])
        first_start[key] = min(first_start.get(key, plan.started_at), plan.started_at)
    release_file(folder).unlink(missing_ok=True)
    start(folder)
    for module in catalog.modules:
        slug = module.course.slug
        for unit in sorted(set(unit_of.values())):
            if (slug, unit) in first_start:
                release(folder, slug, [unit], working_day((first_start[slug, unit] + WORKSHOP_AFTER).date()), None, now)
