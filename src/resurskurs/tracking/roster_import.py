"""The roster into the gradebook: people as nbgrader students, unit and role in a table beside them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from resurskurs.district.roster import Person
from resurskurs.tracking.course_dir import CourseDir

METADATA = sa.MetaData()
PEOPLE = sa.Table(
    "resurskurs_person",
    METADATA,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("unit", sa.String(200), nullable=False, index=True),
    sa.Column("work_team", sa.String(200), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
)


def import_people(people: list[Person], course_dir: CourseDir) -> int:
    """Create or update every person; returns how many were imported."""
    with course_dir.gradebook() as gradebook:
        for person in people:
            gradebook.update_or_create_student(
                person.id, first_name=person.first_name, last_name=person.last_name, email=person.email
            )
        engine: Any = gradebook.db.get_bind()
        METADATA.create_all(engine)
        with engine.begin() as connection:
            ids = [person.id for person in people]
            connection.execute(PEOPLE.delete().where(PEOPLE.c.id.in_(ids)))
            if people:
                connection.execute(
                    PEOPLE.insert(),
                    [{"id": p.id, "unit": p.unit, "work_team": p.work_team, "role": p.role.value} for p in people],
                )
    return len(people)
