"""The own tables as they were before migrations: people, leads, activity, evaluation, review.

Gradebooks from before had these made by `create_all` on every write; here each is made only when
missing, so such a gradebook keeps its rows and is simply recorded as being at this revision.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.String(128)


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    tables: dict[str, list[sa.Column[Any]]] = {
        "resurskurs_person": [
            sa.Column("id", _ID, primary_key=True),
            sa.Column("unit", sa.String(200), nullable=False, index=True),
            sa.Column("work_team", sa.String(200), nullable=False),
            sa.Column("role", sa.String(32), nullable=False),
        ],
        "resurskurs_lead": [
            sa.Column("person_id", _ID, primary_key=True),
            sa.Column("unit", sa.String(200), primary_key=True),
        ],
        "resurskurs_activity": [
            sa.Column("person_id", _ID, primary_key=True),
            sa.Column("slug", _ID, primary_key=True),
            sa.Column("started_at", sa.DateTime, nullable=False),
            sa.Column("updated_at", sa.DateTime, nullable=False),
            sa.Column("percent", sa.Integer, nullable=False),
        ],
        "resurskurs_evaluation": [
            sa.Column("person_id", _ID, primary_key=True),
            sa.Column("slug", _ID, primary_key=True),
            sa.Column("item_id", _ID, primary_key=True),
            sa.Column("value", sa.Integer, nullable=True),
            sa.Column("text", sa.Text, nullable=True),
        ],
        "resurskurs_review": [
            sa.Column("person_id", _ID, primary_key=True),
            sa.Column("slug", _ID, primary_key=True),
            sa.Column("reviewed_at", sa.DateTime, nullable=False),
            sa.Column("reviewer_id", _ID, nullable=False),
        ],
    }
    for name, columns in tables.items():
        if name not in existing:
            op.create_table(name, *columns)
