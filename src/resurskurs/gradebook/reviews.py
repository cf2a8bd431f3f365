"""What the gradebook says about each hand-in: submitted when, knowledge-check score, reviewed, comment.

"Reviewed" is defined here once, in SQL (`submission_totals`), for the learner's page, the progress
query and the overviews alike: the reflection has a manual score and nothing still needs a manual grade.
Each hand-in's grades are summed in `hand_in_totals`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from resurskurs.core.review import Review
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.engine import reading
from resurskurs.gradebook.hand_in_totals import totals
from resurskurs.gradebook.nbgrader_tables import (
    ASSIGNMENT,
    BASE_CELL,
    COMMENT,
    SUBMITTED,
    SUBMITTED_NOTEBOOK,
)
from resurskurs.gradebook.tables import REVIEW


def submission_totals(
    totals: sa.FromClause, *filters: sa.ColumnElement[bool], joined: sa.FromClause | None = None
) -> sa.Select[Any]:
    """Per submission with grades: `student_id`, `slug`, `submitted_at`, and from its row in `totals`
    (`hand_in_totals.totals`) the knowledge check's `score` and `maximum`, `reviewed`, `has_feedback`,
    `reflection_score` and `reflections_waiting`. A module is one notebook (`tracking/build.py`), so a submission
    has one row there and nothing is summed again.

    `reviewed`: the reflection carries a manual score (on this submission or, after a resubmission, which needs a
    manual grade again, an earlier one) and nothing still needs a manual grade. `joined` is another table already
    joined to SUBMITTED (the people table, to filter by unit).
    """
    submitted = SUBMITTED if joined is None else joined
    has_feedback = totals.c.has_feedback == 1
    return (
        sa.select(
            SUBMITTED.c.student_id,
            ASSIGNMENT.c.name.label("slug"),
            SUBMITTED.c.timestamp.label("submitted_at"),
            totals.c.score,
            totals.c.maximum,
            sa.case((has_feedback & (totals.c.needs_manual == 0), True), else_=False).label("reviewed"),
            has_feedback.label("has_feedback"),
            totals.c.reflection_score,
            totals.c.reflections_waiting,
        )
        .select_from(
            submitted.join(ASSIGNMENT, ASSIGNMENT.c.id == SUBMITTED.c.assignment_id)
            .join(SUBMITTED_NOTEBOOK, SUBMITTED_NOTEBOOK.c.assignment_id == SUBMITTED.c.id)
            .join(totals, totals.c.notebook_id == SUBMITTED_NOTEBOOK.c.id)
        )
        .where(*filters)
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
        rows = connection.execute(submission_totals(totals(connection), *only)).all()
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
