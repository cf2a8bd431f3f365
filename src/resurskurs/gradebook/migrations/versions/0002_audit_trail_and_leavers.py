"""The audit trail, and leavers and movers from the district's staff list.

The trail's entries name people only through a key, and the database refuses to change them.

The triggers make the trail append-only for every writer, not just for this code: an UPDATE or DELETE
on `resurskurs_audit` fails on SQLite and on PostgreSQL alike.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.String(128)
_REFUSED = "resurskurs_audit is append-only"


def upgrade() -> None:
    op.add_column("resurskurs_person", sa.Column("left_at", sa.DateTime, nullable=True))
    op.create_table(
        "resurskurs_unit_history",
        sa.Column("person_id", _ID, primary_key=True),
        sa.Column("unit", sa.String(200), primary_key=True),
        sa.Column("until", sa.DateTime, primary_key=True),
    )
    op.create_table(
        "resurskurs_audit_subject",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("person_id", _ID, nullable=False, unique=True),
    )
    op.create_table(
        "resurskurs_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(32), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(32), nullable=True),
        sa.Column("slug", _ID, nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
    )
    op.create_index("ix_resurskurs_audit_at", "resurskurs_audit", ["at"])
    op.create_index("ix_resurskurs_audit_subject", "resurskurs_audit", ["subject"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION resurskurs_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_REFUSED}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER resurskurs_audit_append_only BEFORE UPDATE OR DELETE ON resurskurs_audit "
            "FOR EACH ROW EXECUTE FUNCTION resurskurs_audit_refuse()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER resurskurs_audit_no_{event.lower()} BEFORE {event} ON resurskurs_audit "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END"
        )
