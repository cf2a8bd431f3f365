"""Writing the audit trail: one entry per read or change of someone's data, in the caller's transaction.

Entries name people only by a random key (`resurskurs_audit_subject`) and never hold the text that was
read; the database refuses to update or delete an entry (migration 0002). Erasing a person deletes their
key, so the trail stays whole and append-only while no entry leads back to them. Kept here, beside the
tables, so every writer of the gradebook (Granska's save, export, erasure) records in the same transaction
as the change it records; `privacy.audit` reads and shows the trail.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa

from resurskurs.gradebook.tables import AUDIT, AUDIT_SUBJECT


class Action(StrEnum):
    READ_REFLECTION = "read_reflection"
    READ_NOTEBOOK = "read_notebook"
    CHANGED_SCORE = "changed_score"
    CHANGED_COMMENT = "changed_comment"
    CHANGED_RELEASE = "changed_release"
    EXPORTED = "exported"
    ERASED = "erased"


def key_of(connection: sa.Connection, person_id: str) -> str:
    """The person's key in the trail, made on first use."""
    found = connection.execute(sa.select(AUDIT_SUBJECT.c.key).where(AUDIT_SUBJECT.c.person_id == person_id)).scalar()
    if found is not None:
        return str(found)
    key = secrets.token_hex(16)
    connection.execute(AUDIT_SUBJECT.insert().values(key=key, person_id=person_id))
    return key


def record(
    connection: sa.Connection,
    action: Action,
    subject: str | None,
    actor: str | None = None,
    slug: str | None = None,
    detail: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one entry inside the caller's transaction, so the entry and what it records commit together."""
    connection.execute(
        AUDIT.insert().values(
            at=(at or datetime.now(UTC)).replace(tzinfo=None),
            actor=None if actor is None else key_of(connection, actor),
            action=action.value,
            subject=None if subject is None else key_of(connection, subject),
            slug=slug,
            detail=detail,
        )
    )
