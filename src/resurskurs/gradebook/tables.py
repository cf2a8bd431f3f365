"""The tables resurskurs keeps in the gradebook beside nbgrader's own (created and changed by `migrations`).

nbgrader knows students and grades; the views also need each person's unit and work team,
how far people have come before they hand in, and the evaluation answers. Keeping them in
the same database lets one set-based query join them, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import sqlalchemy as sa

METADATA = sa.MetaData()
_ID = sa.String(128)

PEOPLE = sa.Table(
    "resurskurs_person",
    METADATA,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("unit", sa.String(200), nullable=False, index=True),
    sa.Column("work_team", sa.String(200), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("left_at", sa.DateTime, nullable=True),
)
"""`left_at`: gone from the district's staff list (`roster import --sync`): cannot log in, not shown as behind."""

UNIT_HISTORY = sa.Table(
    "resurskurs_unit_history",
    METADATA,
    sa.Column("person_id", _ID, primary_key=True),
    sa.Column("unit", sa.String(200), primary_key=True),
    sa.Column("until", sa.DateTime, primary_key=True),
)
"""The units a person moved away from, and when: their register extract shows where they have worked."""

LEADS = sa.Table(
    "resurskurs_lead",
    METADATA,
    sa.Column("person_id", _ID, primary_key=True),
    sa.Column("unit", sa.String(200), primary_key=True),
)
"""The further units a principal leads, beyond the unit on their person row."""

ACTIVITY = sa.Table(
    "resurskurs_activity",
    METADATA,
    sa.Column("person_id", _ID, primary_key=True),
    sa.Column("slug", _ID, primary_key=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("percent", sa.Integer, nullable=False),
)
"""Drafts seen in the player, synced by the grader service: what makes a module "in progress"."""

EVALUATION = sa.Table(
    "resurskurs_evaluation",
    METADATA,
    sa.Column("person_id", _ID, primary_key=True),
    sa.Column("slug", _ID, primary_key=True),
    sa.Column("item_id", _ID, primary_key=True),
    sa.Column("value", sa.Integer, nullable=True),
    sa.Column("text", sa.Text, nullable=True),
)
"""The evaluation answers of each person's latest submission: a Likert value or an open answer."""

REVIEW = sa.Table(
    "resurskurs_review",
    METADATA,
    sa.Column("person_id", _ID, primary_key=True),
    sa.Column("slug", _ID, primary_key=True),
    sa.Column("reviewed_at", sa.DateTime, nullable=False),
    sa.Column("reviewer_id", _ID, nullable=False),
    sa.Column("points", sa.String(200), nullable=True),
)
"""When and by whom a reflection was last reviewed in Granska: nbgrader's grade and comment carry no date.
`points`: the point given for each rubric criterion, in the rubric's order ("1,0,1"); nbgrader keeps only the sum."""

AUDIT_SUBJECT = sa.Table(
    "resurskurs_audit_subject",
    METADATA,
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("person_id", _ID, nullable=False, unique=True),
)
"""The audit trail's only link to a person: erasing someone deletes their row here, and the trail's entries
about them (kept, append-only) no longer lead to anyone."""

AUDIT = sa.Table(
    "resurskurs_audit",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("actor", sa.String(32), nullable=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("subject", sa.String(32), nullable=True, index=True),
    sa.Column("slug", _ID, nullable=True),
    sa.Column("detail", sa.String(200), nullable=True),
)
"""Append-only (the database refuses UPDATE and DELETE): who (`actor`, an AUDIT_SUBJECT key; None for the
command line) did what to whose data (`subject`), never the text itself."""

SNAPSHOT = sa.Table(
    "resurskurs_figure_snapshot",
    METADATA,
    sa.Column("kind", sa.String(32), primary_key=True),
    sa.Column("slug", _ID, primary_key=True),
    sa.Column("unit", sa.String(200), primary_key=True),
    sa.Column("answered", sa.Integer, nullable=False),
    sa.Column("figures", sa.Text, nullable=False),
    sa.Column("taken_at", sa.DateTime, nullable=False),
)
"""The evaluation and follow-up figures of one unit as last published (`gradebook/snapshots.py`): counts and
open answers, never who gave them. They change only when at least five answers have come or gone, so two
views never differ by one person's answers."""

HAND_IN_TOTAL = sa.Table(
    "resurskurs_hand_in_total",
    METADATA,
    sa.Column("notebook_id", _ID, primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("maximum", sa.Float, nullable=False),
    sa.Column("needs_manual", sa.Integer, nullable=False),
    sa.Column("has_feedback", sa.Integer, nullable=False),
    sa.Column("reflection_score", sa.Float, nullable=True),
    sa.Column("reflections_waiting", sa.Integer, nullable=False),
)
"""One row per submitted notebook (a hand-in) with grades: its grades summed as `gradebook/hand_in_totals.py` defines,
kept up to date by triggers on nbgrader's grade table whoever writes the grades."""
