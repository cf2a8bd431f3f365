"""A person's own slice of the gradebook, copied into a SQLite file on their user server.

The player reads the gradebook with SQL (who am I, my feedback, my units' progress). On a hub the
user server holds no credentials for the real one, so the grader service exports the rows the
token's person may see, and the user server writes them into a private SQLite file the player's
code reads as it would read any gradebook. What a person may see:

* everyone: their own student and person rows, submissions, grades, comments and activity;
* a principal: also the people of the units they lead, their progress and grades, but no comment
  and no free-text answer of anyone else (principals see progress, not texts);
* nbgrader's course structure (assignments, notebooks, cells), which holds nobody's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

STRUCTURE = (
    "alembic_version",
    "course",
    "assignment",
    "notebook",
    "base_cell",
    "grade_cells",
    "solution_cells",
    "task_cells",
    "source_cell",
)
"""nbgrader's tables that describe the course, not a person (its own names, plural or not)."""
PERSON_COLUMNS = ("person_id", "student_id")
TEXT_COLUMNS = ("text", "comment", "manual_comment", "auto_comment")
"""Free text: copied for the person's own rows only."""
DATETIME = "$datetime"
SECONDS = "$seconds"
Owners = dict[str, str | None]
"""Submission and notebook ids to the person they belong to."""


def export(db_url: str, own_id: str, others: Collection[str]) -> dict[str, Any]:
    """The slice for `own_id` plus the progress (never the texts) of `others`, as JSON-ready tables."""
    engine = sa.create_engine(db_url)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        visible = {own_id, *others}
        tables: dict[str, Any] = {}
        with engine.connect() as connection:
            submitted: Owners = {}
            notebooks: Owners = {}
            for name in _ordered(metadata):
                table = metadata.tables[name]
                query = _rows(table, visible, submitted, notebooks)
                if query is None:
                    continue
                rows = [dict(row._mapping) for row in connection.execute(query)]
                owner = _owner_column(table)
                for row in rows:
                    who = _owner(name, row, owner, submitted, notebooks)
                    if name == "submitted_assignment":
                        submitted[row["id"]] = who
                    if name == "submitted_notebook":
                        notebooks[row["id"]] = who
                    if who != own_id:
                        row.update({column: None for column in TEXT_COLUMNS if column in row})
                if name == "comment":
                    rows = [row for row in rows if notebooks.get(row["notebook_id"]) == own_id]
                tables[name] = {"ddl": _ddl(table), "rows": [_encode(row) for row in rows]}
        return tables
    finally:
        engine.dispose()


def _ordered(metadata: sa.MetaData) -> list[str]:
    """Tables whose rows decide others' (submissions before their notebooks, notebooks before grades) first."""
    first = ("submitted_assignment", "submitted_notebook")
    return [*(n for n in first if n in metadata.tables), *(n for n in metadata.tables if n not in first)]


def _owner_column(table: sa.Table) -> str | None:
    if table.name in ("student", "resurskurs_person"):
        return "id"
    return next((column for column in PERSON_COLUMNS if column in table.c), None)


def _owner(
    name: str,
    row: dict[str, Any],
    owner: str | None,
    submitted: Owners,
    notebooks: Owners,
) -> str | None:
    if owner is not None:
        return str(row[owner])
    if name == "submitted_notebook":
        return submitted.get(row["assignment_id"])
    if "notebook_id" in row:
        return notebooks.get(row["notebook_id"])
    return None


def _rows(table: sa.Table, visible: set[str], submitted: Owners, notebooks: Owners) -> Any:
    owner = _owner_column(table)
    if owner is not None:
        return sa.select(table).where(table.c[owner].in_(visible))
    if table.name == "submitted_notebook":
        return sa.select(table).where(table.c.assignment_id.in_(list(submitted)))
    if table.name in ("grade", "comment"):
        return sa.select(table).where(table.c.notebook_id.in_(list(notebooks)))
    if table.name in STRUCTURE:
        return sa.select(table)
    return None


def _ddl(table: sa.Table) -> str:
    """The table as SQLite creates it, without the server's defaults and foreign keys (the slice is partial)."""
    copy = sa.Table(
        table.name,
        sa.MetaData(),
        *(sa.Column(c.name, _generic(c.type), primary_key=c.primary_key, nullable=True) for c in table.c),
    )
    return str(CreateTable(copy).compile(dialect=sqlite.dialect()))


def _generic(kind: Any) -> Any:
    """PostgreSQL's reflected types (INTERVAL, ENUM) as the generic ones SQLite can create."""
    try:
        return kind.as_generic()
    except NotImplementedError:
        return kind


def _encode(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {DATETIME: value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {SECONDS: value.total_seconds()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and DATETIME in value:
        return dt.datetime.fromisoformat(value[DATETIME])
    if isinstance(value, dict) and SECONDS in value:
        return dt.timedelta(seconds=value[SECONDS])
    return value


def write(file: Path, tables: dict[str, Any]) -> None:
    """Replace the SQLite file with the slice, atomically: a page being built reads the old one or the new."""
    file.parent.mkdir(parents=True, exist_ok=True)
    file.parent.chmod(0o700)
    partial = file.with_name(f".{file.name}.partial")
    partial.unlink(missing_ok=True)
    engine = sa.create_engine(f"sqlite:///{partial}")
    try:
        with engine.begin() as connection:
            for name, table in tables.items():
                connection.execute(sa.text(table["ddl"]))
                if table["rows"]:
                    target = sa.Table(name, sa.MetaData(), autoload_with=connection)
                    connection.execute(
                        target.insert(), [{k: _decode(v) for k, v in row.items()} for row in table["rows"]]
                    )
    finally:
        engine.dispose()
    partial.replace(file)
