"""The roster into the gradebook: people as nbgrader students, unit and role in a table beside them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from resurskurs.district.roster import Person
from resurskurs.gradebook.engine import reading
from resurskurs.gradebook.migrations import upgrade
from resurskurs.gradebook.tables import LEADS, PEOPLE
from resurskurs.tracking.course_dir import CourseDir


def import_people(people: list[Person], course_dir: CourseDir) -> int:
    """Create or update every person; returns how many were imported."""
    with course_dir.gradebook() as gradebook:
        for person in people:
            gradebook.update_or_create_student(
                person.id, first_name=person.first_name, last_name=person.last_name, email=person.email
            )
        engine: Any = gradebook.db.get_bind()
        upgrade(engine)
        with engine.begin() as connection:
            ids = [person.id for person in people]
            connection.execute(PEOPLE.delete().where(PEOPLE.c.id.in_(ids)))
            connection.execute(LEADS.delete().where(LEADS.c.person_id.in_(ids)))
            if people:
                connection.execute(
                    PEOPLE.insert(),
                    [{"id": p.id, "unit": p.unit, "work_team": p.work_team, "role": p.role.value} for p in people],
                )
            leads = [{"person_id": p.id, "unit": unit} for p in people for unit in p.more_units]
            if leads:
                connection.execute(LEADS.insert(), leads)
    return len(people)


def known_units(db_url: str) -> list[str]:
    """Every unit the imported roster names, also those a principal leads beyond their first: what `--unit` may be."""
    with reading(db_url, PEOPLE.name, LEADS.name) as connection:
        if connection is None:
            return []
        return sorted(connection.execute(sa.union(sa.select(PEOPLE.c.unit), sa.select(LEADS.c.unit))).scalars())
