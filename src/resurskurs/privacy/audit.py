"""Reading the audit trail: who read, changed, exported or erased whose data, and when; never the text itself.

Entries are written by `gradebook.audit` in the transaction of what they record; here they are read back
with the people their keys still lead to (an erased person's key is gone: they show as ERASED).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from resurskurs.gradebook.audit import Action, record
from resurskurs.gradebook.engine import migrated, reading
from resurskurs.gradebook.tables import AUDIT, AUDIT_SUBJECT

__all__ = ["Action", "Entry", "entries", "record_now"]

ACTION_TEXT = {
    Action.READ_REFLECTION: "läste reflektionen",
    Action.READ_NOTEBOOK: "öppnade inlämningen",
    Action.CHANGED_SCORE: "ändrade poängen",
    Action.CHANGED_COMMENT: "ändrade kommentaren",
    Action.CHANGED_RELEASE: "ändrade öppningen",
    Action.EXPORTED: "lämnade ut uppgifterna",
    Action.ERASED: "raderade uppgifterna",
}
COMMAND_LINE = "kommandoraden"
ERASED = "(raderad person)"


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str | None
    """The actor's person id; None for the command line, ERASED when the actor has been erased."""
    action: Action
    subject: str | None
    slug: str | None
    detail: str | None

    def describe(self) -> str:
        who = self.actor or COMMAND_LINE
        whose = f" för {self.subject}" if self.subject else ""
        module = f" i {self.slug}" if self.slug else ""
        more = f" ({self.detail})" if self.detail else ""
        return f"{self.at:%Y-%m-%d %H:%M} {who} {ACTION_TEXT[self.action]}{whose}{module}{more}"


def record_now(db_url: str, action: Action, subject: str | None, actor: str | None = None, **more: str) -> None:
    """Append one entry in a transaction of its own (a read, which changes nothing else)."""
    with migrated(db_url).begin() as connection:
        record(connection, action, subject, actor, more.get("slug"), more.get("detail"))


def entries(db_url: str, person_id: str | None = None, limit: int | None = None) -> list[Entry]:
    """The trail, newest first: all of it, or the entries where `person_id` is the subject or the actor."""
    with reading(db_url, AUDIT.name, AUDIT_SUBJECT.name) as connection:
        if connection is None:
            return []
        actor, subject = AUDIT_SUBJECT.alias("actor_key"), AUDIT_SUBJECT.alias("subject_key")
        query = (
            sa.select(AUDIT, actor.c.person_id.label("actor_id"), subject.c.person_id.label("subject_id"))
            .select_from(
                AUDIT.outerjoin(actor, actor.c.key == AUDIT.c.actor).outerjoin(
                    subject, subject.c.key == AUDIT.c.subject
                )
            )
            .order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc())
            .limit(limit)
        )
        if person_id is not None:
            query = query.where(sa.or_(actor.c.person_id == person_id, subject.c.person_id == person_id))
        return [
            Entry(
                row.at,
                row.actor_id if row.actor is None or row.actor_id else ERASED,
                Action(row.action),
                row.subject_id if row.subject is None or row.subject_id else ERASED,
                row.slug,
                row.detail,
            )
            for row in connection.execute(query)
        ]
