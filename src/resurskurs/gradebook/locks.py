"""One hand-in at a time per person and module, however many grader workers run.

nbgrader's autograde finds or creates the student and the submission, and moves the person's
`submitted/` folder; two workers doing that for the same person and module at once would collide
(an IntegrityError, or one folder replacing the other half-way). Hand-ins of different people, or
of one person in different modules, still run side by side.

On PostgreSQL the lock is `pg_advisory_xact_lock`, held by a transaction of its own for as long
as the block runs, so workers on different hosts wait for each other and a worker that dies
releases it with its connection. Elsewhere (SQLite: one host) it is a file lock under the course directory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from resurskurs.files import locked


def lock_key(person_id: str, slug: str) -> int:
    """A signed 64-bit key for (person, module): the same in every process, on every host."""
    digest = hashlib.sha256(f"hand-in\0{person_id}\0{slug}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def one_hand_in_at_a_time(engine: sa.Engine, lock_folder: Path, person_id: str, slug: str) -> Iterator[None]:
    """Hold the (person, module) lock while the block runs; other holders of the same pair wait."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection, connection.begin():
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_key(person_id, slug))))
            yield
        return
    with locked(lock_folder / f"{lock_key(person_id, slug):x}.lock"):
        yield
