"""Drafts in the player become "in progress" in the gradebook: how far each person has come, and since when.

The grader service runs this between submissions. It is the gradebook's single writer, so
learners' kernels keep writing only their own draft files and never the database.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from resurskurs.catalog.load import Catalog
from resurskurs.core.progress import progress
from resurskurs.district.roster import is_person_id
from resurskurs.gradebook.engine import in_batches
from resurskurs.gradebook.migrations import upgrade
from resurskurs.gradebook.tables import ACTIVITY
from resurskurs.learners.store import AnswerStore


def _naive_utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)


def sync_activity(catalog: Catalog, answers_root: Path, engine: sa.Engine, since: float = 0.0) -> int:
    """Upsert a row for every draft changed after `since` (a file time); returns how many were written.

    A draft counts with its valid parts (the player tells its owner about the rest); one draft that
    cannot be read at all is logged and skipped, so it never stops the sync for everyone else.
    """
    slugs = {module.course.slug for module in catalog.modules}
    rows: list[dict[str, object]] = []
    for file in answers_root.glob("*/*.json"):
        slug, person_id = file.stem, file.parent.name
        if slug not in slugs or not is_person_id(person_id):
            continue
        try:
            changed = file.stat().st_mtime
            if changed <= since:
                continue
            answers = AnswerStore(answers_root.parent, person_id).load(slug)
        except Exception:
            logging.getLogger("resurskurs.grader").exception("the draft %s could not be read", file)
            continue
        if answers.empty:
            continue
        percent = progress(catalog.module(slug), answers).percent
        rows.append({"person_id": person_id, "slug": slug, "updated_at": _naive_utc(changed), "percent": percent})
    if rows:
        write_activity(engine, rows)
    return len(rows)


def write_activity(engine: sa.Engine, rows: list[dict[str, object]]) -> None:
    """Keep the first `started_at` a person ever had in a module; take the latest time and percent."""
    upgrade(engine)
    if not rows:
        return
    with engine.begin() as connection:
        keys = [(str(row["person_id"]), str(row["slug"])) for row in rows]
        started: dict[tuple[str, str], datetime] = {}
        for batch in in_batches(keys):
            found = sa.tuple_(ACTIVITY.c.person_id, ACTIVITY.c.slug).in_(batch)
            started.update(
                ((person, slug), first)
                for person, slug, first in connection.execute(
                    sa.select(ACTIVITY.c.person_id, ACTIVITY.c.slug, ACTIVITY.c.started_at).where(found)
                )
            )
            connection.execute(ACTIVITY.delete().where(found))
        connection.execute(
            ACTIVITY.insert(),
            [
                {**row, "started_at": started.get(key) or row.get("started_at") or row["updated_at"]}
                for key, row in zip(keys, rows, strict=True)
            ],
        )
