"""Indexes for the progress query at district scale (20,000 staff × 9 modules on PostgreSQL).

nbgrader indexes a hand-in's tables only by their own unique pairs, which start with the other column: a
principal's unit page, which walks from its ~35 staff to their hand-ins, their notebooks and their grades, read
every grade in the district instead (230 ms of the unit page's 374 ms at 20,000 staff; ~2 ms with these).
The indexes carry our own names and are only added to nbgrader's tables, never changing a column. A table
nbgrader has not made yet (our tables migrated first, on an empty gradebook) is left for `upgrade` to index
once nbgrader has made it.
"""

from alembic import op

from resurskurs.gradebook.migrations import NBGRADER_INDEXES, index_nbgrader_tables

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    index_nbgrader_tables(op.get_bind())


def downgrade() -> None:
    for name in NBGRADER_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
