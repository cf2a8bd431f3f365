"""nbgrader's tables, naming only the columns resurskurs reads: nbgrader creates, migrates and owns them.

Read with SQLAlchemy Core in set-based queries, so a learner's kernel does not import nbgrader
(its package loads Jupyter server extensions: ~80 MB).
"""

from __future__ import annotations

import sqlalchemy as sa

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
