"""What the gradebook says about one person: submitted when, knowledge-check score, reviewed, comment.

Read with SQLAlchemy Core over nbgrader's own tables, in set-based queries, so the learner's
kernel does not import nbgrader (its package loads Jupyter server extensions: ~80 MB).
The tables below name only the columns these queries read; nbgrader creates and owns them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from resurskurs.tracking.cells import REFLECTION_ID
from resurskurs.tracking.own_tables import REVIEW

_MD = sa.MetaData()
_ID = sa.String(128)
STUDENT = sa.Table(
    "student",
    _MD,
    sa.Column("id", _ID),
    sa.Column("first_name", _ID),
    sa.Column("last_name", _ID),
    sa.Column("email", _ID),
)
ASSIGNMENT = sa.Table("assignment", _MD, sa.Column("id", _ID), sa.Column("name", _ID))
SUBMITTED = sa.Table(
    "submitted_assignment",
    _MD,
    sa.Column("id", _ID),
    sa.Column("assignment_id", _ID),
    sa.Column("student_id", _ID),
    sa.Column("timestamp", sa.DateTime),
)
SUBMITTED_NOTEBOOK = sa.Table("submitted_notebook", _MD, sa.Column("id", _ID), sa.Column("assignment_id", _ID))
GRADE = sa.Table(
    "grade",
    _MD,
    sa.Column("id", _ID),
    sa.Column("notebook_id", _ID),
    sa.Column("cell_id", _ID),
    sa.Column("auto_score", sa.Float),
    sa.Column("manual_score", sa.Float),
    sa.Column("needs_manual_grade", sa.Boolean),
)
GRADE_CELL = sa.Table("grade_cells", _MD, sa.Column("id", _ID), sa.Column("max_score", sa.Float))
BASE_CELL = sa.Table("base_cell", _MD, sa.Column("id", _ID), sa.Column("name", _ID))
COMMENT = sa.Table(
    "comment",
    _MD,
    sa.Column("id", _ID),
    sa.Column("notebook_id", _ID),
    sa.Column("cell_id", _ID),
    sa.Column("manual_comment", sa.Text),
)


@dataclass(frozen=True)
class Review:
    submitted_at: datetime
    quiz_score: float
    quiz_max: float
    reviewed: bool
    comment: str
    reviewed_at: datetime | None = None
    """When the reflection was last reviewed in Granska (naive UTC); None before, or when graded in formgrader."""
    has_feedback: bool = False
    """The resource team has given feedback: on this submission when `reviewed`, else on an earlier one."""


def submission_totals(*filters: sa.ColumnElement[bool], joined: sa.FromClause | None = None) -> sa.Select[Any]:
    """Per submission: person, module, time, knowledge-check score and maximum, waiting for review, reviewed.

    `joined` is another table already joined to SUBMITTED (the people table, to filter by unit).
    """
    is_reflection = BASE_CELL.c.name == REFLECTION_ID
    submitted = SUBMITTED if joined is None else joined
    return (
        sa.select(
            SUBMITTED.c.student_id,
            ASSIGNMENT.c.name,
            SUBMITTED.c.timestamp,
            sa.func.sum(
                sa.case((is_reflection, 0), else_=sa.func.coalesce(GRADE.c.manual_score, GRADE.c.auto_score, 0))
            ),
            sa.func.sum(sa.case((is_reflection, 0), else_=GRADE_CELL.c.max_score)),
            sa.func.max(sa.case((GRADE.c.needs_manual_grade, 1), else_=0)),
            sa.func.max(sa.case((is_reflection & GRADE.c.manual_score.is_not(None), 1), else_=0)),
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


def gradebook_exists(db_url: str) -> bool:
    """A missing SQLite file means nothing is submitted yet (and must not be created by reading)."""
    if not db_url.startswith("sqlite:///"):
        return True
    return Path(db_url.removeprefix("sqlite:///")).is_file()


@contextmanager
def reading(db_url: str, *tables: str) -> Iterator[sa.Connection | None]:
    """A connection for reading, or None while the gradebook or one of `tables` does not exist yet."""
    if not gradebook_exists(db_url):
        yield None
        return
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            yield connection if all(inspector.has_table(table) for table in tables) else None
    finally:
        engine.dispose()


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
        dates: dict[tuple[str, str], datetime] = {}
        if sa.inspect(connection).has_table(REVIEW.name):
            dates = {
                (student, slug): reviewed_at
                for student, slug, reviewed_at in connection.execute(
                    sa.select(REVIEW.c.person_id, REVIEW.c.slug, REVIEW.c.reviewed_at).where(
                        *([] if person_id is None else [REVIEW.c.person_id == person_id])
                    )
                )
            }
    return {
        (student, name): Review(
            timestamp,
            float(score or 0),
            float(maximum or 0),
            bool(graded) and not needs_manual,
            (comments.get((student, name)) or "").strip(),
            dates.get((student, name)),
            bool(graded),
        )
        for student, name, timestamp, score, maximum, needs_manual, graded in rows
    }
