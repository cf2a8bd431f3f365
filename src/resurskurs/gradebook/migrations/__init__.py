"""Alembic migrations of resurskurs' own tables, kept apart from nbgrader's.

nbgrader migrates its tables with Alembic too, recording its revision in `alembic_version`; ours
live in `resurskurs_alembic_version`, so neither tool ever sees the other's history. A new change
to `gradebook/tables.py` gets a new file under `versions/` (`down_revision` = the newest one).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from resurskurs.files import locked
from resurskurs.gradebook.hand_in_totals import attach

VERSION_TABLE = "resurskurs_alembic_version"
FOLDER = Path(__file__).parent
_LOCK_KEY = 0x7265_7375_7273_6B75
"""pg_advisory_xact_lock key of migrations ("resursku"): one process migrates, the others wait, then see it done."""
_IN_PROCESS = threading.Lock()
"""Alembic's `op` and `context` are module-wide proxies: two threads migrating at once clear each other's."""
NBGRADER_INDEXES = {
    "ix_resurskurs_submitted_assignment_student": ("submitted_assignment", "student_id"),
    "ix_resurskurs_submitted_notebook_assignment": ("submitted_notebook", "assignment_id"),
    "ix_resurskurs_grade_notebook": ("grade", "notebook_id"),
}
"""Our indexes on nbgrader's tables (revision 0005): from a person to their hand-ins, notebooks and grades."""


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision in `versions/`."""
    revision = ScriptDirectory(str(FOLDER)).get_current_head()
    assert revision is not None
    return revision


def current(connection: sa.Connection) -> str | None:
    """The revision this gradebook's own tables are at, or None before the first migration."""
    return MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_revision()


@contextmanager
def _one_process_per_file(engine: sa.Engine) -> Iterator[None]:
    """SQLite's driver runs DDL outside any transaction, so two processes would both see the old revision and
    both add the same column: a lock file beside the database makes the second wait and then see it done."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or not Path(database).parent.is_dir():
        yield  # a folder that is not there is not made here: opening the database fails and says so
        return
    with locked(Path(f"{database}.migrating")):
        yield


def upgrade(engine: sa.Engine) -> None:
    """Bring the own tables to the newest revision, in one transaction; a gradebook already there only gets the
    indexes and hand-in totals' triggers on nbgrader's tables that nbgrader has made since."""
    with _IN_PROCESS, _one_process_per_file(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
        if current(connection) != head():
            command.upgrade(_config(connection), "head")
        else:
            attach_to_nbgrader_tables(connection)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Take the own tables back to `revision` (the benchmarks measure the queries as they were there)."""
    with _IN_PROCESS, _one_process_per_file(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
        command.downgrade(_config(connection), revision)


def nbgrader_head() -> str:
    """nbgrader's newest revision, read from its scripts here rather than by the `alembic` command nbgrader runs."""
    spec = find_spec("nbgrader")
    assert spec is not None and spec.submodule_search_locations
    revision = ScriptDirectory(str(Path(spec.submodule_search_locations[0]) / "alembic")).get_current_head()
    assert revision is not None
    return revision


def create_nbgrader_tables(engine: sa.Engine) -> None:
    """Make nbgrader's tables and record its revision on a gradebook that has none, as nbgrader's Gradebook would.

    nbgrader asks a new `alembic` process for the revision whenever it finds an empty database: 2.5 s of CPU for
    every new gradebook. Made here first, nbgrader finds its tables and only checks its course. A gradebook that
    already has them is left to nbgrader. Own tables already at the newest revision get their indexes and triggers
    on the new tables at once, before anyone hands in.
    """
    with _one_process_per_file(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
        if sa.inspect(connection).has_table("assignment"):
            return
        from nbgrader.api import Base

        Base.metadata.create_all(connection)
        if not sa.inspect(connection).has_table("alembic_version"):
            connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(sa.text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": nbgrader_head()})
        if current(connection) == head():
            attach_to_nbgrader_tables(connection)


def attach_to_nbgrader_tables(connection: sa.Connection) -> None:
    """What the newest revision puts on nbgrader's tables: the progress indexes and the hand-in totals' triggers."""
    index_nbgrader_tables(connection)
    attach(connection)


def index_nbgrader_tables(connection: sa.Connection) -> None:
    """Add any of NBGRADER_INDEXES missing on nbgrader's tables that exist: nbgrader may make its tables after
    ours were migrated (an empty gradebook's first write is often ours), so every upgrade looks again."""
    inspector = sa.inspect(connection)
    for name, (table, column) in NBGRADER_INDEXES.items():
        if inspector.has_table(table) and not inspector.has_index(table, name):
            connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})"))
