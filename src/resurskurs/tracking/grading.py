"""Granska: the reflections waiting for the resource team, and the grade and comment a reviewer saves.

Waiting is what nbgrader counts as ungraded: the reflection's grade needs a manual grade or has
none yet (a resubmission after a review needs one again). A review is written exactly as nbgrader's
formgrader writes it (the manual score, `needs_manual_grade` off, the manual comment), so formgrader
and `nbgrader generate_feedback` show the same; its date and the point per rubric criterion (nbgrader
keeps only their sum) go into `resurskurs_review` beside it.
Listing reads nbgrader's tables with SQLAlchemy Core; only saving, done in a resource-team member's
kernel (the reviewer's own action), imports nbgrader.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from resurskurs.catalog.load import Module
from resurskurs.core.answers import MAX_TEXT
from resurskurs.core.review import Waiting
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook.audit import Action, record
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.engine import migrated, reading
from resurskurs.gradebook.hand_in_totals import waiting_for_review
from resurskurs.gradebook.nbgrader_tables import ASSIGNMENT, BASE_CELL, GRADE, STUDENT, SUBMITTED, SUBMITTED_NOTEBOOK
from resurskurs.gradebook.tables import PEOPLE, REVIEW
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.learner_text import from_markdown_text


def waiting_reviews(db_url: str, slugs: Collection[str], slug: str = "", unit: str = "") -> list[Waiting]:
    """Reflections waiting in the modules `slugs`, oldest first; `slug` and `unit` narrow them when given."""
    with reading(db_url, SUBMITTED.name, PEOPLE.name) as connection:
        if connection is None:
            return []
        filters = [ASSIGNMENT.c.name == slug] if slug else []
        filters += [PEOPLE.c.unit == unit] if unit else []
        rows = connection.execute(
            sa.select(
                SUBMITTED.c.student_id,
                STUDENT.c.first_name,
                STUDENT.c.last_name,
                PEOPLE.c.unit,
                ASSIGNMENT.c.name,
                SUBMITTED.c.timestamp,
            )
            .select_from(
                SUBMITTED.join(ASSIGNMENT, ASSIGNMENT.c.id == SUBMITTED.c.assignment_id)
                .join(SUBMITTED_NOTEBOOK, SUBMITTED_NOTEBOOK.c.assignment_id == SUBMITTED.c.id)
                .join(GRADE, GRADE.c.notebook_id == SUBMITTED_NOTEBOOK.c.id)
                .join(BASE_CELL, BASE_CELL.c.id == GRADE.c.cell_id)
                .join(STUDENT, STUDENT.c.id == SUBMITTED.c.student_id)
                .outerjoin(PEOPLE, PEOPLE.c.id == SUBMITTED.c.student_id)
            )
            .where(
                waiting_for_review(BASE_CELL.c.name == REFLECTION_ID),
                ASSIGNMENT.c.name.in_(sorted(slugs)),
                *filters,
            )
            .order_by(SUBMITTED.c.timestamp, SUBMITTED.c.student_id, ASSIGNMENT.c.name)
        ).all()
    return [
        Waiting(person_id, first or "", last or "", unit_ or "", name, timestamp)
        for person_id, first, last, unit_, name, timestamp in rows
    ]


def staff_units(db_url: str) -> list[str]:
    """Every unit on the roster with staff, for filtering what waits."""
    with reading(db_url, PEOPLE.name) as connection:
        if connection is None:
            return []
        query = sa.select(PEOPLE.c.unit).where(PEOPLE.c.role == Role.STAFF.value).distinct().order_by(PEOPLE.c.unit)
        return list(connection.execute(query).scalars())


def reflection_text(course_dir: CourseDir, person_id: str, slug: str) -> str:
    """The reflection as the learner wrote it, read from their submitted notebook and unescaped."""
    notebook = json.loads((course_dir.submitted(person_id, slug) / f"{slug}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == REFLECTION_ID:
            source = cell.get("source", "")
            return from_markdown_text("".join(source) if isinstance(source, list) else str(source))
    return ""


def save_review(
    course_dir: CourseDir, reviewer: Person, module: Module, person_id: str, points: Sequence[int], comment: str
) -> float:
    """Record one point (0 or 1) per rubric criterion and the comment as nbgrader's manual grade; returns the score.

    Refuses anyone but the resource team, points that do not match the rubric and a comment too long
    to store, before anything is written.
    """
    if reviewer.role is not Role.RESOURCE_TEAM:
        raise PermissionError(f"{reviewer.id} is not in the resource team and may not review")
    rubric = module.course.preparation.reflection.rubric
    if len(points) != len(rubric) or any(point not in (0, 1) for point in points):
        raise ValueError(f"expected one point, 0 or 1, for each of the {len(rubric)} rubric criteria: {points!r}")
    if len(comment) > MAX_TEXT:
        raise ValueError(f"the comment has {len(comment)} characters; at most {MAX_TEXT} are stored")
    slug = module.course.slug
    score = float(sum(points))
    migrated(course_dir.db_url)
    with course_dir.gradebook() as gradebook:
        connection = gradebook.db.connection()
        grade = gradebook.find_grade(REFLECTION_ID, slug, slug, person_id)
        if grade.max_score != len(rubric):
            maximum = f"the gradebook's maximum {grade.max_score:g} differs from the rubric's {len(rubric)} points"
            raise ValueError(f"{slug}: {maximum}")
        changed = [Action.CHANGED_SCORE] if grade.manual_score != score else []
        grade.manual_score = score
        grade.needs_manual_grade = False
        saved = gradebook.find_comment(REFLECTION_ID, slug, slug, person_id)
        changed += [Action.CHANGED_COMMENT] if (saved.manual_comment or "") != comment.strip() else []
        saved.manual_comment = comment.strip()
        for action in changed:
            record(connection, action, person_id, reviewer.id, slug)
        connection.execute(REVIEW.delete().where(REVIEW.c.person_id == person_id, REVIEW.c.slug == slug))
        connection.execute(
            REVIEW.insert().values(
                person_id=person_id,
                slug=slug,
                reviewed_at=datetime.now(UTC).replace(tzinfo=None),
                reviewer_id=reviewer.id,
                points=",".join(str(point) for point in points),
            )
        )
        gradebook.db.commit()
    return score
