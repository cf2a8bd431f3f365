"""Each hand-in's totals kept beside nbgrader's grades (`gradebook/hand_in_totals.py`).

At 20,000 staff the district page summed 360,000 grade rows at every view (236 ms of its counts); the totals are
now counted as grades are written, by triggers on nbgrader's tables, and filled here once from the grades already
there. nbgrader's tables made after this revision get the triggers at the next upgrade.
"""

import sqlalchemy as sa
from alembic import op

from resurskurs.gradebook.hand_in_totals import attach, detach

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resurskurs_hand_in_total",
        sa.Column("notebook_id", sa.String(128), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("maximum", sa.Float, nullable=False),
        sa.Column("needs_manual", sa.Integer, nullable=False),
        sa.Column("has_feedback", sa.Integer, nullable=False),
        sa.Column("reflection_score", sa.Float, nullable=True),
        sa.Column("reflections_waiting", sa.Integer, nullable=False),
    )
    attach(op.get_bind())


def downgrade() -> None:
    detach(op.get_bind())
    op.drop_table("resurskurs_hand_in_total")
