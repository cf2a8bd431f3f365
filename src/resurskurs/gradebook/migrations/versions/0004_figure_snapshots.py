"""Published snapshots of each unit's evaluation and follow-up figures (one row per kind, module and unit)."""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resurskurs_figure_snapshot",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("slug", sa.String(128), primary_key=True),
        sa.Column("unit", sa.String(200), primary_key=True),
        sa.Column("answered", sa.Integer, nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
        sa.Column("taken_at", sa.DateTime, nullable=False),
    )
