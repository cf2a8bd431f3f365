"""The published figures of each unit: snapshots that change only when MIN_ANSWERS answers have come or gone.

Every view hands `published` the live figures per unit; a unit whose live figures have moved far enough from
its snapshot (`disclosure.republishes`) gets a new one, every other unit keeps the one it had. The pages, the
reports and the decks all read through here, on one machine and behind the hub's service alike.

Two people viewing at once must publish one snapshot, not two: the decision is taken again under one lock
(pg_advisory_xact_lock on PostgreSQL, SQLite's write lock by BEGIN IMMEDIATE), so the second of two views that
both saw a snapshot due finds it already taken. Most views find nothing due and take no lock at all.

A snapshot holds counts and open answers, never who gave them; erasure takes an erased person's open answers
out of it (`forget`), so their text goes with them while their ratings keep counting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from pydantic import TypeAdapter

from resurskurs.core.disclosure import republishes
from resurskurs.core.figures import EvaluationFigures
from resurskurs.gradebook.engine import gradebook_exists, migrated
from resurskurs.gradebook.tables import SNAPSHOT

Key = tuple[str, str]
"""(unit, module slug)."""

_FIGURES: TypeAdapter[EvaluationFigures] = TypeAdapter(EvaluationFigures)
_LOCK_KEY = int.from_bytes(hashlib.sha256(b"figure snapshots").digest()[:8], "big", signed=True)


class Survey(StrEnum):
    """Which answers a snapshot counts."""

    EVALUATION = "evaluation"
    FOLLOW_UP = "follow_up"


def published(db_url: str, survey: Survey, live: Mapping[Key, EvaluationFigures]) -> dict[Key, EvaluationFigures]:
    """Each unit's figures as published: its snapshot, renewed first where enough answers have come or gone."""
    return published_when_due(db_url, survey, {key: found.answered for key, found in live.items()}, lambda _: live)


def published_when_due(
    db_url: str,
    survey: Survey,
    answered: Mapping[Key, int],
    live_of: Callable[[Collection[Key]], Mapping[Key, EvaluationFigures]],
) -> dict[Key, EvaluationFigures]:
    """`published`, from how many answered per unit now: whether a snapshot is due needs only that number, so the
    live figures are counted (`live_of`) only for the units due, which on most views is none."""
    if not gradebook_exists(db_url):
        return {}
    engine = migrated(db_url)
    with engine.connect() as connection:
        due = _due(_answered(connection, survey), answered)
    if due:
        live = dict(live_of(due))
        with engine.connect() as connection:
            _exclusive(connection)
            due = _due(_answered(connection, survey), answered)
            missing = [key for key in due if key not in live]
            if missing:
                live.update(live_of(missing))
            for key in due:
                _replace(connection, survey, key, live.get(key))
            connection.commit()
    with engine.connect() as connection:
        return _stored(connection, survey)


def forget(connection: sa.Connection, survey: Survey, slug: str, unit: str | None, texts: Iterable[str]) -> None:
    """Take each of `texts` (one person's open answers to module `slug`) out of the snapshot that shows it,
    looking in `unit` first: the text goes, the counts stay as published."""
    rows = connection.execute(
        sa.select(SNAPSHOT.c.unit, SNAPSHOT.c.figures).where(SNAPSHOT.c.kind == survey.value, SNAPSHOT.c.slug == slug)
    ).all()
    snapshots = {str(found): _FIGURES.validate_json(figures) for found, figures in rows}
    changed: set[str] = set()
    for text in texts:
        for found in sorted(snapshots, key=lambda name: name != unit):
            answers = next((a for a in snapshots[found].open_answers.values() if text in a), None)
            if answers is not None:
                answers.remove(text)
                changed.add(found)
                break
    for found in changed:
        connection.execute(
            SNAPSHOT.update()
            .where(SNAPSHOT.c.kind == survey.value, SNAPSHOT.c.slug == slug, SNAPSHOT.c.unit == found)
            .values(figures=_FIGURES.dump_json(snapshots[found]).decode())
        )


def _stored(connection: sa.Connection, survey: Survey) -> dict[Key, EvaluationFigures]:
    rows = connection.execute(
        sa.select(SNAPSHOT.c.unit, SNAPSHOT.c.slug, SNAPSHOT.c.figures).where(SNAPSHOT.c.kind == survey.value)
    ).all()
    return {(str(unit), str(slug)): _FIGURES.validate_json(figures) for unit, slug, figures in rows}


def _answered(connection: sa.Connection, survey: Survey) -> dict[Key, int]:
    rows = connection.execute(
        sa.select(SNAPSHOT.c.unit, SNAPSHOT.c.slug, SNAPSHOT.c.answered).where(SNAPSHOT.c.kind == survey.value)
    ).all()
    return {(str(unit), str(slug)): int(answered) for unit, slug, answered in rows}


def _due(stored: Mapping[Key, int], live: Mapping[Key, int]) -> list[Key]:
    return sorted(key for key in stored.keys() | live.keys() if republishes(stored.get(key, 0), live.get(key, 0)))


def _exclusive(connection: sa.Connection) -> None:
    """Hold the snapshots' lock until the transaction ends: one view publishes at a time."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _replace(connection: sa.Connection, survey: Survey, key: Key, found: EvaluationFigures | None) -> None:
    unit, slug = key
    connection.execute(
        SNAPSHOT.delete().where(SNAPSHOT.c.kind == survey.value, SNAPSHOT.c.slug == slug, SNAPSHOT.c.unit == unit)
    )
    if found is None or not found.answered:
        return
    connection.execute(
        SNAPSHOT.insert().values(
            kind=survey.value,
            slug=slug,
            unit=unit,
            answered=found.answered,
            figures=_FIGURES.dump_json(found).decode(),
            taken_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
