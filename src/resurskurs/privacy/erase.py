"""Erasure (GDPR art. 17, and leavers): one person out of every store in the register, all or nothing.

The person's files are first moved aside (a rename, undone on failure) and the new versions of shared
files written beside them (the shared files stay in place for everyone else until the commit); then one
database transaction deletes their rows and records the erasure; only after it commits are the moved
files deleted and the new versions put in place. A journal in var/privacy/ names every move, so a
process killed half-way is rolled back (before the commit) or finished (after it) by the next erase.

Aggregate figures stay right: a staff member's evaluation and follow-up ratings are kept under a random
pseudonym in their unit; their free text, name, id and e-mail go, also from the published snapshots of the
figures (`gradebook/snapshots.py`), whose counts stay as they were shown.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from resurskurs.district.releases import RELEASES_FILE
from resurskurs.district.roster import ROSTER_FILE, Role
from resurskurs.files import write_atomically
from resurskurs.gradebook.audit import Action, record
from resurskurs.gradebook.engine import gradebook_exists, migrated
from resurskurs.gradebook.snapshots import Survey, forget
from resurskurs.gradebook.tables import EVALUATION, PEOPLE
from resurskurs.learners.follow_up import FollowUpStore
from resurskurs.privacy.locate import Found, NothingHeld, PersonalFile, Stores, found_or_refused
from resurskurs.privacy.register import KINDS, Root, Table
from resurskurs.privacy.shared_files import without
from resurskurs.tracking.course_dir import CourseDir

__all__ = ["EraseFailed", "NothingHeld", "Plan", "erase", "plan", "recover"]

JOURNALS = "privacy"
STAGING = ".erasing"
PSEUDONYM_PREFIX = "raderad-"
ERASED_REVIEWER = "raderad"
"""What a review the erased person made says about who made it."""


class EraseFailed(RuntimeError):
    """The erasure could not be made; everything is as it was before (the message says so, in Swedish)."""


@dataclass
class Plan:
    found: Found
    pseudonym: str = field(default_factory=lambda: PSEUDONYM_PREFIX + secrets.token_hex(6))

    @property
    def person_id(self) -> str:
        return self.found.person_id

    @property
    def staff_unit(self) -> str | None:
        """The unit a staff member's ratings keep counting in, or None when nothing is kept."""
        people = self.found.rows.get(PEOPLE.name, [])
        if people and people[0]["role"] == Role.STAFF.value:
            return str(people[0]["unit"])
        return None

    @property
    def keeps_ratings(self) -> bool:
        """Whether a staff member's ratings stay, under the pseudonym, in their unit's figures."""
        evaluated = any(row["text"] is None for row in self.found.rows.get(EVALUATION.name, []))
        return self.staff_unit is not None and (evaluated or any(self.keeps_follow_up(f) for f in self.found.files))

    def keeps_follow_up(self, f: PersonalFile) -> bool:
        """A staff member's follow-up answers (not their lock or a damaged copy): the ratings stay."""
        own = f.kind.key == "follow_up" and f.relative.endswith(f"/{self.person_id}.json")
        return own and self.staff_unit is not None

    def folders(self) -> list[tuple[Root, str]]:
        """Whole folders that go (answers/<id>, submitted/<id>, …), each once."""
        return sorted({(f.root, f.folder) for f in self.found.files if f.folder is not None})

    def loose_files(self) -> list[PersonalFile]:
        """Files that go or change on their own: follow-up answers, the roster copy, the releases, requests."""
        return [f for f in self.found.files if f.folder is None]

    def describe(self) -> str:
        """Exactly what the erasure does, in Swedish: what --dry-run prints and the question asks about."""
        lines = [f"Det här raderas om {self.person_id}:"]
        for name, rows in self.found.rows.items():
            kept = self._kept_ratings(name, rows)
            if kept:
                lines.append(f"  tabellen {name}: {len(rows) - kept} rader tas bort, {kept} skattningar behålls "
                             "under en pseudonym (utan namn, id och fritext) så att siffrorna stämmer")
            else:
                lines.append(f"  tabellen {name}: {len(rows)} rader tas bort")
        for name, rows in self.found.mentions.items():
            lines.append(f"  tabellen {name}: {len(rows)} granskningar som hen gjort blir anonyma")
        for root, folder in self.folders():
            count = sum(1 for f in self.found.files if f.root is root and f.folder == folder)
            lines.append(f"  mappen {root.value}/{folder}: {count} filer tas bort")
        for f in self.loose_files():
            action = "tas bort"
            if f.shared and f.relative in (ROSTER_FILE, RELEASES_FILE):
                action = "hens rader tas bort"
            elif self.keeps_follow_up(f):
                action = "skattningarna behålls under en pseudonym, fritexten tas bort"
            lines.append(f"  filen {f.root.value}/{f.relative}: {action}")
        return "\n".join(lines)

    def open_answers(self, stores: Stores) -> list[tuple[Survey, str, list[str]]]:
        """The person's open answers per survey and module: what comes out of the published snapshots.

        Read before the files move aside: the follow-up answers are files."""
        found: list[tuple[Survey, str, list[str]]] = []
        written: dict[str, list[str]] = {}
        for row in self.found.rows.get(EVALUATION.name, []):
            if row["text"] is not None:
                written.setdefault(str(row["slug"]), []).append(str(row["text"]))
        found += [(Survey.EVALUATION, slug, texts) for slug, texts in sorted(written.items())]
        for f in self.found.files:
            if f.kind.key == "follow_up" and f.relative.endswith(f"/{self.person_id}.json"):
                slug = f.path(stores).parent.name
                answer = FollowUpStore(stores.var, slug).load(self.person_id)
                texts = [text.strip() for text in answer.open.values() if text.strip()]
                if texts:
                    found.append((Survey.FOLLOW_UP, slug, texts))
        return found

    def _kept_ratings(self, table: str, rows: list[dict[str, Any]]) -> int:
        if table != EVALUATION.name or self.staff_unit is None:
            return 0
        return sum(1 for row in rows if row["text"] is None)


def plan(stores: Stores, person_id: str) -> Plan:
    """What an erasure of `person_id` would do; NothingHeld for an unknown or already erased person."""
    recover(stores)
    return Plan(found_or_refused(stores, person_id))


def erase(stores: Stores, planned: Plan, actor: str | None = None) -> None:
    """Carry out `planned`: all of it, or (EraseFailed) none of it."""
    token = secrets.token_hex(8)
    journal = stores.var / JOURNALS / f"erase-{token}.json"
    moves: list[tuple[Path, Path]] = []
    writes: list[tuple[Path, Path]] = []
    contents: list[bytes] = []
    staging = {root: stores.root(root) / STAGING / token for root in Root}
    for root, folder in planned.folders():
        moves.append((stores.root(root) / folder, staging[root] / folder))
    for f in planned.loose_files():
        replacement = _replacement(stores, planned, f)
        if replacement is not None:
            writes.append((staging[f.root] / "new" / f.relative, replacement[0]))
            contents.append(replacement[1])
        if replacement is None or replacement[0] != f.path(stores):
            moves.append((f.path(stores), staging[f.root] / "old" / f.relative))
    done: list[tuple[Path, Path]] = []
    written = planned.open_answers(stores)
    try:
        _write_journal(journal, token, moves, writes, committed=False)
        for (staged, _), data in zip(writes, contents, strict=True):
            write_atomically(staged, data)
        for source, staged in moves:
            staged.parent.mkdir(parents=True, exist_ok=True)
            source.rename(staged)
            done.append((source, staged))
        _delete_rows(stores, planned, actor, written)
    except (OSError, sa.exc.SQLAlchemyError) as error:
        _undo(done, token, stores)
        journal.unlink(missing_ok=True)
        raise EraseFailed(
            f"Raderingen av {planned.person_id} kunde inte göras ({error.__class__.__name__}: {error}). "
            "Ingenting är ändrat."
        ) from None
    _write_journal(journal, token, moves, writes, committed=True)
    _finish(stores, token, writes)
    journal.unlink()
    _compact(stores.db_url)


def _replacement(stores: Stores, planned: Plan, f: PersonalFile) -> tuple[Path, bytes] | None:
    """The file that takes this one's place after the commit, or None when it simply goes."""
    path = f.path(stores)
    if f.shared:
        data = without(path, planned.person_id)
        return None if data is None else (path, data)
    if planned.keeps_follow_up(f):
        store = FollowUpStore(stores.var, path.parent.name, path.parent.parent.name)  # follow-up or its baseline
        ratings = store.load(planned.person_id).likert  # a damaged file: none
        if ratings:
            target = store.file(planned.pseudonym)
            return target, json.dumps({"likert": ratings, "open": {}}).encode()
    return None


def _delete_rows(
    stores: Stores, planned: Plan, actor: str | None, written: list[tuple[Survey, str, list[str]]]
) -> None:
    """One transaction: keep the ratings under the pseudonym, delete every row and the person's open answers in
    the published snapshots, record the erasure."""
    if not gradebook_exists(stores.db_url):
        return
    found = planned.found
    engine = migrated(stores.db_url)
    with CourseDir(stores.exercises, stores.db_url).writing(), engine.begin() as connection:
        record(connection, Action.ERASED, found.person_id, actor)
        if planned.keeps_ratings:
            connection.execute(
                PEOPLE.insert().values(id=planned.pseudonym, unit=planned.staff_unit, work_team="", role="staff")
            )
            connection.execute(
                EVALUATION.update()
                .where(EVALUATION.c.person_id == found.person_id, EVALUATION.c.text.is_(None))
                .values(person_id=planned.pseudonym)
            )
        for survey, slug, texts in written:
            forget(connection, survey, slug, planned.staff_unit, texts)
        tables = [table for kind in KINDS for table in kind.tables]
        for table in reversed(tables):
            _delete(connection, table, found)


def _delete(connection: sa.Connection, table: Table, found: Found) -> None:
    inspector = sa.inspect(connection)
    if not inspector.has_table(table.name):
        return
    reflected = sa.Table(table.name, sa.MetaData(), autoload_with=connection)
    for column in table.mentions:
        connection.execute(
            reflected.update().where(reflected.c[column] == found.person_id).values({column: ERASED_REVIEWER})
        )
    if table.person is not None:
        connection.execute(reflected.delete().where(reflected.c[table.person] == found.person_id))
    elif table.through is not None:
        column, parent = (part.strip() for part in table.through.split("→"))
        parent_table, parent_column = parent.split(".")
        keys = [row[parent_column] for row in found.rows.get(parent_table, [])]
        if keys:
            connection.execute(reflected.delete().where(reflected.c[column].in_(keys)))


def _compact(db_url: str) -> None:
    """SQLite keeps deleted rows in free pages until VACUUM: a search of the file would still find them."""
    if not db_url.startswith("sqlite") or not gradebook_exists(db_url):
        return
    engine = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("VACUUM"))
    finally:
        engine.dispose()


def _write_journal(
    journal: Path, token: str, moves: list[tuple[Path, Path]], writes: list[tuple[Path, Path]], committed: bool
) -> None:
    document = {
        "token": token,
        "committed": committed,
        "moves": [[str(a), str(b)] for a, b in moves],
        "writes": [[str(a), str(b)] for a, b in writes],
    }
    write_atomically(journal, json.dumps(document).encode())
    journal.chmod(0o600)


def _undo(done: list[tuple[Path, Path]], token: str, stores: Stores) -> None:
    for source, staged in reversed(done):
        if staged.exists() and not source.exists():
            source.parent.mkdir(parents=True, exist_ok=True)
            staged.rename(source)
    for root in Root:
        shutil.rmtree(stores.root(root) / STAGING / token, ignore_errors=True)


def _finish(stores: Stores, token: str, writes: list[tuple[Path, Path]]) -> None:
    for staged, target in writes:
        if staged.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    for root in Root:
        shutil.rmtree(stores.root(root) / STAGING / token, ignore_errors=True)


def recover(stores: Stores) -> None:
    """Finish an erasure that committed, or roll back one that did not, when a process died half-way."""
    folder = stores.var / JOURNALS
    for journal in sorted(folder.glob("erase-*.json")) if folder.is_dir() else []:
        document = json.loads(journal.read_text(encoding="utf-8"))
        writes = [(Path(a), Path(b)) for a, b in document["writes"]]
        if document["committed"]:
            _finish(stores, document["token"], writes)
        else:
            _undo([(Path(a), Path(b)) for a, b in document["moves"]], document["token"], stores)
        journal.unlink()
