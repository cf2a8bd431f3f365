"""The resource team's point per rubric criterion, beside the review's date: nbgrader keeps only their sum.

Reviews saved before have none (NULL); the learner then sees the reflection's total, as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("resurskurs_review", sa.Column("points", sa.String(200), nullable=True))
