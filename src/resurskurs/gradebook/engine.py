"""One SQLAlchemy engine per process and gradebook URL, and the schema brought up to date once per process.

An engine holds a connection pool; making one per read (as the views once did) opened and closed
a connection every time and, on PostgreSQL, a new server process. Readers never create anything:
a learner's kernel only reads. Writers call `migrated`, which runs the own tables' migrations the
first time this process writes to that gradebook.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

T = TypeVar("T")
KEYS_PER_STATEMENT = 5000
"""Keys in one `IN (...)`: PostgreSQL's protocol takes at most 65,535 parameters per statement, and a first
sync of a whole district's drafts (or a bulk demo) has tens of thousands of (person, module) pairs."""
_engines: dict[tuple[int, str], sa.Engine] = {}
_migrated: set[tuple[int, str]] = set()
_with_nbgrader_tables: set[tuple[int, str]] = set()
_guard = threading.Lock()


def engine_for(db_url: str) -> sa.Engine:
    """This process's engine for `db_url` (a forked child gets its own: pools must not cross a fork)."""
    key = (os.getpid(), db_url)
    with _guard:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = sa.create_engine(db_url, pool_pre_ping=True)
        return engine


def migrated(db_url: str) -> sa.Engine:
    """The engine for `db_url`, with resurskurs' own tables at the newest revision (checked once per process)."""
    from resurskurs.gradebook.migrations import upgrade

    engine = engine_for(db_url)
    key = (os.getpid(), db_url)
    if key not in _migrated:
        upgrade(engine)
        _migrated.add(key)
    return engine


def with_nbgrader_tables(db_url: str) -> None:
    """Make sure nbgrader's tables exist before nbgrader opens `db_url` (checked once per process)."""
    from resurskurs.gradebook.migrations import create_nbgrader_tables

    key = (os.getpid(), db_url)
    if key not in _with_nbgrader_tables:
        create_nbgrader_tables(engine_for(db_url))
        _with_nbgrader_tables.add(key)


def dispose_all() -> None:
    """Close every pooled connection of this process (tests dropping a database, a service stopping)."""
    with _guard:
        for (pid, url), engine in list(_engines.items()):
            if pid == os.getpid():
                engine.dispose()
                del _engines[(pid, url)]
        _migrated.clear()
        _with_nbgrader_tables.clear()


def gradebook_exists(db_url: str) -> bool:
    """A missing SQLite file means nothing is submitted yet (and must not be created by reading)."""
    if not db_url.startswith("sqlite:///"):
        return True
    return Path(db_url.removeprefix("sqlite:///")).is_file()


@contextmanager
def reading(db_url: str, *tables: str) -> Iterator[sa.Connection | None]:
    """A pooled connection for reading, or None while the gradebook or one of `tables` does not exist yet."""
    if not gradebook_exists(db_url):
        yield None
        return
    with engine_for(db_url).connect() as connection:
        inspector = sa.inspect(connection)
        yield connection if all(inspector.has_table(table) for table in tables) else None


def in_batches(keys: Sequence[T]) -> Iterator[Sequence[T]]:
    """`keys` in slices of KEYS_PER_STATEMENT, small enough for one statement's parameters, in order."""
    size = KEYS_PER_STATEMENT
    for start in range(0, len(keys), size):
        yield keys[start : start + size]
