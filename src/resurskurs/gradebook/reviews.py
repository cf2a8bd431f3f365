"""What the gradebook says about each hand-in: submitted when, knowledge-check score, reviewed, comment.

"Reviewed" is defined here once, in SQL (`submission_totals`), for the learner's page, the progress
query and the overviews alike: the reflection has a manual score and nothing still needs a manual grade.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from resurskurs.core.review import Review
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.engine import reading
from resurskurs.gradebook.nbgrader_tables import (
    ASSIGNMENT,
    BASE_CELL,
    COMMENT,
    GRADE,
    GRADE_CELL,
    SUBMITTED,
    SUBMITTED_NOTEBOOK,
)
from resurskurs.gradebook.tables import REVIEW


def grade_totals(
    is_reflection: sa.ColumnElement[bool] = BASE_CELL.c.name == REFLECTION_ID,
    max_score: sa.ColumnElement[Any] = GRADE_CELL.c.max_score,
) -> list[sa.ColumnElement[Any]]:
    """A hand-in's `score`, `maximum`, `reviewed`, `has_feedback` and `reflection_score`, aggregated over its GRADE
    rows with each cell's `is_reflection` and `max_score`: one definition for every query that groups hand-ins."""
    needs_manual = sa.func.max(sa.case((GRADE.c.needs_manual_grade, 1), else_=0))
    has_feedback = sa.func.max(sa.case((is_reflection & GRADE.c.manual_score.is_not(None), 1), else_=0))
    return [
        sa.func.sum(
            sa.case((is_reflection, 0), else_=sa.func.coalesce(GRADE.c.manual_score, GRADE.c.auto_score, 0))
        ).label("score"),
        sa.func.sum(sa.case((is_reflection, 0), else_=max_score)).label("maximum"),
        sa.case(((has_feedback == 1) & (needs_manual == 0), True), else_=False).label("reviewed"),
        (has_feedback == 1).label("has_feedback"),
        sa.func.max(sa.case((is_reflection, GRADE.c.manual_score))).label("reflection_score"),
    ]


def waiting_for_review(is_reflection: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """A GRADE row Granska lists as waiting: the reflection's, not graded by hand since it was handed in."""
    return is_reflection & sa.or_(GRADE.c.needs_manual_grade == sa.true(), GRADE.c.manual_score.is_(None))


def submission_totals(*filters: sa.ColumnElement[bool], joined: sa.FromClause | None = None) -> sa.Select[Any]:
    """Per submission: `student_id`, `slug`, `submitted_at` and `grade_totals`.

    Score and maximum count the knowledge check only. `has_feedback`: the reflection carries a manual
    score, on this submission or (after a resubmission, which needs a manual grade again) an earlier one.
    `joined` is another table already joined to SUBMITTED (the people table, to filter by unit).
    """
    submitted = SUBMITTED if joined is None else joined
    return (
        sa.select(
            SUBMITTED.c.student_id,
            ASSIGNMENT.c.name.label("slug"),
            SUBMITTED.c.timestamp.label("submitted_at"),
            *grade_totals(),
        )
        .select_from(
            submitted.join(ASSIGNMENT, ASSIGNMENT.c.id == SUBMITTED.c.assignment_id)
            .join(SUBMITTED_NOTEBOOK, SUBMITTED_NOTEBOOK.c.assignment_id == SUBMITTED.c.id)
            .join(GRADE, GRADE.c.notebook_id == SUBMITTED_NOTEBOOK.c.id)
            .join(GRADE_CELL, GRADE_CELL.c.id == GRADE.c.cell_id)
            .join(BASE_CELL, BASE_CELL.c.id == GRADE.c.cell_id)
        )
        .where(*filters)
        .group_by(SUBMITTED.c.student_id, ASSIGNMENT.c.name, SUBMITTED.c.timestamp)
    )


def reviews_for(db_url: str, person_id: str) -> dict[str, Review]:
    """Every module this person has submitted, keyed by slug."""
    return {slug: review for (_, slug), review in all_reviews(db_url, person_id).items()}


def all_reviews(db_url: str, person_id: str | None = None) -> dict[tuple[str, str], Review]:
    """Every submission in the gradebook (or one person's), keyed by (person, slug): three queries in all."""
    with reading(db_url, SUBMITTED.name) as connection:
        if connection is None:
            return {}
        only = [] if person_id is None else [SUBMITTED.c.student_id == person_id]
        rows = connection.execute(submission_totals(*only)).all()
        comments: dict[tuple[str, str], str | None] = {
            (student, name): text
            for student, name, text in connection.execute(
                sa.select(SUBMITTED.c.student_id, ASSIGNMENT.c.name, COMMENT.c.manual_comment)
                .select_from(
                    COMMENT.join(BASE_CELL, BASE_CELL.c.id == COMMENT.c.cell_id)
                    .join(SUBMITTED_NOTEBOOK, SUBMITTED_NOTEBOOK.c.id == COMMENT.c.notebook_id)
                    .join(SUBMITTED, SUBMITTED.c.id == SUBMITTED_NOTEBOOK.c.assignment_id)
                    .join(ASSIGNMENT, ASSIGNMENT.c.id == SUBMITTED.c.assignment_id)
                )
                .where(*only, BASE_CELL.c.name == REFLECTION_ID)
            ).all()
        }
        given: dict[tuple[str, str], tuple[datetime, str | None]] = {}
        if sa.inspect(connection).has_table(REVIEW.name):
            given = {
                (student, slug): (reviewed_at, points)
                for student, slug, reviewed_at, points in connection.execute(
                    sa.select(REVIEW.c.person_id, REVIEW.c.slug, REVIEW.c.reviewed_at, REVIEW.c.points).where(
                        *([] if person_id is None else [REVIEW.c.person_id == person_id])
                    )
                )
            }
    reviews = {}
    for row in rows:
        key = (row.student_id, row.slug)
        reviewed_at, points = given.get(key, (None, None))
        score = None if row.reflection_score is None else float(row.reflection_score)
        reviews[key] = Review(
            row.submitted_at,
            float(row.score or 0),
            float(row.maximum or 0),
            bool(row.reviewed),
            (comments.get(key) or "").strip(),
            reviewed_at,
            bool(row.has_feedback),
            score,
            criterion_points(points, score),
        )
    return reviews


def criterion_points(stored: str | None, score: float | None) -> tuple[int, ...] | None:
    """The points per criterion as Granska stored them, if they still add up to nbgrader's score (a later
    change in the formgrader leaves only the score to show)."""
    if not stored or score is None:
        return None
    try:
        points = tuple(int(point) for point in stored.split(","))
    except ValueError:
        return None
    return points if sum(points) == score else None
