"""A signed-in person as the imported roster has them in the gradebook, read by id alone.

The roster CSV names everyone in the district; a principal's or a learner's kernel needs only
its own row, so the lookup is a `WHERE id = …` in SQL and nobody else's row is ever loaded.
"""

from __future__ import annotations

import sqlalchemy as sa

from resurskurs.district.roster import EMAIL_DOMAIN, Person, Role
from resurskurs.gradebook.engine import reading
from resurskurs.gradebook.nbgrader_tables import STUDENT
from resurskurs.gradebook.tables import LEADS, PEOPLE


def find_person(db_url: str, person_id: str) -> Person | None:
    """The person with this id, or None when they were never imported, have left (`roster import --sync`), or
    no gradebook exists yet: a leaver cannot log in."""
    with reading(db_url, STUDENT.name, PEOPLE.name, LEADS.name) as connection:
        if connection is None:
            return None
        row = connection.execute(
            sa.select(
                STUDENT.c.first_name,
                STUDENT.c.last_name,
                STUDENT.c.email,
                PEOPLE.c.unit,
                PEOPLE.c.work_team,
                PEOPLE.c.role,
            )
            .join(PEOPLE, PEOPLE.c.id == STUDENT.c.id)
            .where(STUDENT.c.id == person_id, PEOPLE.c.left_at.is_(None))
        ).first()
        if row is None:
            return None
        more_units = connection.execute(
            sa.select(LEADS.c.unit).where(LEADS.c.person_id == person_id).order_by(LEADS.c.unit)
        ).scalars()
        names = (row.first_name or "", row.last_name or "", row.email or "")
        return Person(person_id, *names, row.unit, row.work_team, Role(row.role), tuple(more_units))


def real_people(db_url: str) -> int:
    """How many people in the gradebook are not fictional (the demo district's addresses are all @EMAIL_DOMAIN)."""
    with reading(db_url, STUDENT.name) as connection:
        if connection is None:
            return 0
        fictional = STUDENT.c.email.like(f"%@{EMAIL_DOMAIN}")
        count = connection.execute(
            sa.select(sa.func.count()).select_from(STUDENT).where(sa.or_(STUDENT.c.email.is_(None), ~fictional))
        ).scalar_one()
        return int(count)


def roster_roles(db_url: str) -> dict[str, Role]:
    """Every id on the roster with its role (the hub's allowed users and its district administrators); none before
    the roster is imported. Not those who have left, nor an erased person's pseudonym (it has no student row)."""
    with reading(db_url, STUDENT.name, PEOPLE.name) as connection:
        if connection is None:
            return {}
        rows = connection.execute(
            sa.select(PEOPLE.c.id, PEOPLE.c.role)
            .join(STUDENT, STUDENT.c.id == PEOPLE.c.id)
            .where(PEOPLE.c.left_at.is_(None))
            .order_by(PEOPLE.c.id)
        )
        return {str(person): Role(role) for person, role in rows}
