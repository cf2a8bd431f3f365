"""Where one person's data is: their rows in every declared table, and every declared file that is theirs.

Export and erasure both start here, and find exactly what the register declares: a store the register
does not know is a failing test (tests/test_privacy_register.py), not a store these functions miss.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from resurskurs.gradebook.engine import gradebook_exists, reading
from resurskurs.privacy.register import KINDS, Kind, Root, Table, kind_of_file


@dataclass(frozen=True)
class Stores:
    """Where a district keeps personal data: the gradebook, var/ and the nbgrader course directory."""

    db_url: str
    var: Path
    exercises: Path

    def root(self, root: Root) -> Path:
        return self.var if root is Root.VAR else self.exercises


@dataclass(frozen=True)
class PersonalFile:
    kind: Kind
    root: Root
    relative: str
    shared: bool
    """A file holding other people's data too (the roster, the releases, a queued request)."""

    def path(self, stores: Stores) -> Path:
        return stores.root(self.root) / self.relative

    @property
    def folder(self) -> str | None:
        """The person's own folder this file is in (answers/<id>, submitted/<id>), or None."""
        for files in self.kind.files:
            if files.root is self.root and "{person}/" in files.pattern and files.person_in(self.relative):
                depth = files.pattern.split("/").index("{person}") + 1
                return "/".join(self.relative.split("/")[:depth])
        return None


@dataclass
class Found:
    person_id: str
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Table → the person's own rows, for every declared table that has any."""
    mentions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Table → rows of others that name this person in a `mentions` column (a review they made)."""
    files: list[PersonalFile] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.rows or self.mentions or self.files)

    def kinds(self) -> list[Kind]:
        """The kinds of data held about the person, in the register's order."""
        tables = {name for name in self.rows} | {name for name in self.mentions}
        held = {f.kind.key for f in self.files} | {k.key for k in KINDS for t in k.tables if t.name in tables}
        return [kind for kind in KINDS if kind.key in held]


def mentions_id(text: str, person_id: str) -> bool:
    """Whether `person_id` occurs in `text` as a whole id ("eva" is not in "eva.lund")."""
    return re.search(rf"(?<![a-z0-9._-]){re.escape(person_id)}(?![a-z0-9._-])", text) is not None


def find(stores: Stores, person_id: str) -> Found:
    found = Found(person_id)
    _rows(stores.db_url, found)
    for root in Root:
        base = stores.root(root)
        for folder, _, names in os.walk(base):
            for name in sorted(names):
                relative = (Path(folder) / name).relative_to(base).as_posix()
                kind, owner = kind_of_file(root, relative) or (None, "")
                if kind is None:
                    continue
                if owner == person_id:
                    found.files.append(PersonalFile(kind, root, relative, shared=False))
                elif owner == "" and mentions_id(_text(base / relative), person_id):
                    found.files.append(PersonalFile(kind, root, relative, shared=True))
    found.files.sort(key=lambda f: (f.root.value, f.relative))
    return found


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _rows(db_url: str, found: Found) -> None:
    if not gradebook_exists(db_url):
        return
    with reading(db_url) as connection:
        assert connection is not None
        existing = set(sa.inspect(connection).get_table_names())
        for kind in KINDS:
            for table in kind.tables:
                if table.name not in existing:
                    continue
                reflected = sa.Table(table.name, sa.MetaData(), autoload_with=connection)
                condition = _condition(reflected, table, found)
                if condition is not None:
                    rows = [dict(row._mapping) for row in connection.execute(sa.select(reflected).where(condition))]
                    if rows:
                        found.rows[table.name] = rows
                if table.mentions:
                    named = sa.or_(*(reflected.c[column] == found.person_id for column in table.mentions))
                    others = [dict(row._mapping) for row in connection.execute(sa.select(reflected).where(named))]
                    if others:
                        found.mentions[table.name] = others


def _condition(reflected: sa.Table, table: Table, found: Found) -> sa.ColumnElement[bool] | None:
    if table.person is not None:
        return reflected.c[table.person] == found.person_id
    if table.through is not None:
        column, parent = (part.strip() for part in table.through.split("→"))
        parent_table, parent_column = parent.split(".")
        keys = [row[parent_column] for row in found.rows.get(parent_table, [])]
        return reflected.c[column].in_(keys) if keys else None
    return None


class NothingHeld(LookupError):
    """Nothing is held about the person: never on the roster, or already erased."""

    def __init__(self, person_id: str) -> None:
        super().__init__(
            f"Det finns inga uppgifter om {person_id!r} i resurskurs: personen finns inte i personallistan "
            "eller är redan raderad. Inget är ändrat."
        )


def found_or_refused(stores: Stores, person_id: str) -> Found:
    """What is held about the person, or NothingHeld (also for a malformed id, which nothing can hold)."""
    from resurskurs.district.roster import is_person_id

    found = find(stores, person_id) if is_person_id(person_id) else Found(person_id)
    if found.empty:
        raise NothingHeld(person_id)
    return found
