"""Joiners, movers and leavers from the district's full staff list (`roster import --sync`).

The HR export names everyone who works in the district today. Compared with the gradebook: people not
there before join; a person whose unit changed moves (the unit they leave is kept in their unit history);
a person missing from the list has left: they can no longer log in and are not shown as behind, while
their answers stay in their unit's figures until they are erased. Someone who comes back is active again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from resurskurs.district.roster import Person
from resurskurs.gradebook.engine import migrated, reading
from resurskurs.gradebook.nbgrader_tables import STUDENT
from resurskurs.gradebook.tables import PEOPLE, UNIT_HISTORY
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people


@dataclass(frozen=True)
class Known:
    unit: str
    left: bool


@dataclass
class SyncPlan:
    people: list[Person]
    joining: list[Person] = field(default_factory=list)
    moving: list[tuple[Person, str]] = field(default_factory=list)
    """Each mover with the unit they leave."""
    leaving: list[str] = field(default_factory=list)
    returning: list[Person] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.joining) + len(self.moving) + len(self.leaving) + len(self.returning)

    def describe(self) -> str:
        """Every change, in Swedish, before anything is applied."""
        lines = [f"Personallistan har {len(self.people)} personer. Ändringar:"]
        lines += [f"  ny: {p.id} ({p.name}), {p.unit}" for p in self.joining]
        lines += [f"  byter enhet: {p.id} ({p.name}), {old} → {p.unit}" for p, old in self.moving]
        lines += [f"  har slutat: {person_id} (kan inte logga in, visas inte som efter)" for person_id in self.leaving]
        lines += [f"  tillbaka: {p.id} ({p.name}), {p.unit}" for p in self.returning]
        if not self.changes:
            lines.append("  inga")
        return "\n".join(lines)


def plan_sync(people: list[Person], db_url: str) -> SyncPlan:
    """Compare the full staff list with the gradebook's people (those with a name: not erased pseudonyms)."""
    known: dict[str, Known] = {}
    with reading(db_url, STUDENT.name, PEOPLE.name) as connection:
        if connection is not None:
            rows = connection.execute(
                sa.select(PEOPLE.c.id, PEOPLE.c.unit, PEOPLE.c.left_at).join(STUDENT, STUDENT.c.id == PEOPLE.c.id)
            )
            known = {str(i): Known(str(unit), left_at is not None) for i, unit, left_at in rows}
    plan = SyncPlan(people)
    listed = {person.id for person in people}
    for person in people:
        before = known.get(person.id)
        if before is None:
            plan.joining.append(person)
            continue
        if before.left:
            plan.returning.append(person)
        if before.unit != person.unit:
            plan.moving.append((person, before.unit))
    plan.leaving = sorted(i for i, k in known.items() if i not in listed and not k.left)
    return plan


def apply_sync(plan: SyncPlan, course_dir: CourseDir, now: datetime) -> None:
    """Import everyone listed (names, units, roles), keep the movers' old units, mark the leavers."""
    import_people(plan.people, course_dir)
    stamp = now.replace(tzinfo=None)
    with course_dir.writing(), migrated(course_dir.db_url).begin() as connection:
        if plan.moving:
            connection.execute(
                UNIT_HISTORY.insert(), [{"person_id": p.id, "unit": old, "until": stamp} for p, old in plan.moving]
            )
        if plan.leaving:
            connection.execute(PEOPLE.update().where(PEOPLE.c.id.in_(plan.leaving)).values(left_at=stamp))
