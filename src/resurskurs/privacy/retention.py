"""Retention (gallring): what has passed its date is removed, per kind of data, as the district has decided.

The periods live in one settings file, `var/retention.toml` (`[days]`, one key per kind in the register);
a kind the file leaves out keeps the register's default, which the register calls a default. Each run is
logged with counts (never whose data) in `var/privacy/retention.log`. Rows go in one transaction, files
only after it commits. The open answers that go are taken out of the published snapshots of the figures in
the same transaction (`gradebook/snapshots.py`); their counts stay as they were shown.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from resurskurs.files import write_atomically
from resurskurs.gradebook.engine import gradebook_exists, migrated
from resurskurs.gradebook.nbgrader_tables import ASSIGNMENT, COMMENT, GRADE, SUBMITTED, SUBMITTED_NOTEBOOK
from resurskurs.gradebook.snapshots import Survey, forget
from resurskurs.gradebook.tables import ACTIVITY, EVALUATION, REVIEW
from resurskurs.learners.follow_up import FollowUpStore
from resurskurs.privacy.locate import Stores
from resurskurs.privacy.register import KINDS
from resurskurs.tracking.course_dir import CourseDir

SETTINGS_FILE = "retention.toml"
LOG_FILE = "privacy/retention.log"
RETAINED = ("drafts", "activity", "hand_ins", "follow_up")
"""The kinds removed by age; the others last as long as the person is on the roster (erasure removes them)
or, for the audit trail, are kept whole (append-only)."""
HAND_IN_FOLDERS = ("submitted", "autograded", "feedback", "archive")
DAY = 86400.0
log = logging.getLogger("resurskurs.retention")


class RetentionSettingsError(ValueError):
    """The settings file cannot be used; the message names the file and the field."""


def retention_days(var: Path) -> dict[str, int]:
    """Days per kind: the district's settings over the register's defaults."""
    days = {kind.key: kind.retention_days for kind in KINDS if kind.key in RETAINED and kind.retention_days}
    file = var / SETTINGS_FILE
    try:
        settings = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return days
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RetentionSettingsError(f"{file}: not TOML: {error}") from None
    chosen = settings.get("days", {})
    if set(settings) - {"days"} or not isinstance(chosen, dict):
        raise RetentionSettingsError(f"{file}: expected one table [days] with a number of days per kind")
    for key, value in chosen.items():
        if key not in days:
            raise RetentionSettingsError(f"{file}: days.{key}: unknown kind; expected one of {', '.join(days)}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise RetentionSettingsError(f"{file}: days.{key}: {value!r}; expected a whole number of days, 1 or more")
        days[key] = value
    return days


@dataclass
class Run:
    """What one run removes: counts per kind, and the rows and files behind them."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    submissions: list[tuple[str, str, str]] = field(default_factory=list)
    """(submission id, person, module) of hand-ins past their date."""
    activity_before: datetime | None = None

    def describe(self) -> str:
        return ", ".join(f"{kind}: {n}" for kind, n in sorted(self.counts.items())) or "inget"


def plan(stores: Stores, now: datetime) -> Run:
    days = retention_days(stores.var)
    run = Run()
    cutoff = {kind: now.timestamp() - days[kind] * 86400 for kind in days}
    drafts = [f for f in stores.var.glob("answers/*/*.json") if f.stat().st_mtime < cutoff["drafts"]]
    follow_ups = [
        f
        for pattern in ("follow-up/*/*.json", "follow-up-baseline/*/*.json")
        for f in stores.var.glob(pattern)
        if f.stat().st_mtime < cutoff["follow_up"]
    ]
    run.files += drafts + follow_ups
    run.counts.update(drafts=len(drafts), follow_up=len(follow_ups), activity=0, hand_ins=0)
    if gradebook_exists(stores.db_url):
        naive = now.astimezone(UTC).replace(tzinfo=None)
        run.activity_before = naive - timedelta(days=days["activity"])
        engine = migrated(stores.db_url)
        with engine.connect() as connection:
            run.counts["activity"] = connection.execute(
                sa.select(sa.func.count()).select_from(ACTIVITY).where(ACTIVITY.c.updated_at < run.activity_before)
            ).scalar_one()
            old = connection.execute(
                sa.select(SUBMITTED.c.id, SUBMITTED.c.student_id, ASSIGNMENT.c.name)
                .join(ASSIGNMENT, ASSIGNMENT.c.id == SUBMITTED.c.assignment_id)
                .where(SUBMITTED.c.timestamp < naive - timedelta(days=days["hand_ins"]))
            ).all()
        run.submissions = [(str(i), str(person), str(slug)) for i, person, slug in old]
        run.counts["hand_ins"] = len(run.submissions)
    return run


def retain(stores: Stores, now: datetime | None = None, dry_run: bool = False) -> Run:
    """Remove everything past its date (or, with `dry_run`, only count it); each real run is logged."""
    now = now or datetime.now(UTC)
    run = plan(stores, now)
    if dry_run:
        return run
    if gradebook_exists(stores.db_url):
        with CourseDir(stores.exercises, stores.db_url).writing(), migrated(stores.db_url).begin() as connection:
            _forget_open_answers(connection, stores, run)
            _delete_rows(connection, run)
    for file in run.files:
        file.unlink(missing_ok=True)
    for _, person, slug in run.submissions:
        for folder in HAND_IN_FOLDERS:
            shutil.rmtree(stores.exercises / folder / person / slug, ignore_errors=True)
    _log(stores.var / LOG_FILE, now, run)
    return run


def _forget_open_answers(connection: sa.Connection, stores: Stores, run: Run) -> None:
    """The open answers of the hand-ins and follow-ups that go, out of the snapshots that show them."""
    keys = [(person, slug) for _, person, slug in run.submissions]
    if keys:
        written = connection.execute(
            sa.select(EVALUATION.c.slug, EVALUATION.c.text).where(
                sa.tuple_(EVALUATION.c.person_id, EVALUATION.c.slug).in_(keys), EVALUATION.c.text.is_not(None)
            )
        ).all()
        for slug in sorted({str(slug) for slug, _ in written}):
            forget(connection, Survey.EVALUATION, slug, None, [str(text) for s, text in written if s == slug])
    answers = stores.var / "follow-up"
    for file in run.files:
        if file.parent.parent == answers and file.suffix == ".json":
            answer = FollowUpStore(stores.var, file.parent.name).load(file.stem)
            texts = [text.strip() for text in answer.open.values() if text.strip()]
            forget(connection, Survey.FOLLOW_UP, file.parent.name, None, texts)


def _delete_rows(connection: sa.Connection, run: Run) -> None:
    if run.activity_before is not None:
        connection.execute(ACTIVITY.delete().where(ACTIVITY.c.updated_at < run.activity_before))
    if not run.submissions:
        return
    ids = [submission for submission, _, _ in run.submissions]
    notebooks = sa.select(SUBMITTED_NOTEBOOK.c.id).where(SUBMITTED_NOTEBOOK.c.assignment_id.in_(ids))
    connection.execute(GRADE.delete().where(GRADE.c.notebook_id.in_(notebooks)))
    connection.execute(COMMENT.delete().where(COMMENT.c.notebook_id.in_(notebooks)))
    connection.execute(SUBMITTED_NOTEBOOK.delete().where(SUBMITTED_NOTEBOOK.c.assignment_id.in_(ids)))
    connection.execute(SUBMITTED.delete().where(SUBMITTED.c.id.in_(ids)))
    keys = [(person, slug) for _, person, slug in run.submissions]
    for table in (REVIEW, EVALUATION):
        connection.execute(table.delete().where(sa.tuple_(table.c.person_id, table.c.slug).in_(keys)))


def _log(file: Path, now: datetime, run: Run) -> None:
    """Append one line per run: when, and how many of each kind (no one's id)."""
    line = json.dumps({"at": now.isoformat(timespec="seconds"), "removed": run.counts}, sort_keys=True) + "\n"
    before = file.read_bytes() if file.exists() else b""
    write_atomically(file, before + line.encode())


def every(stores: Stores, seconds: float, stop: threading.Event) -> None:
    """Run `retain` now and then every `seconds` until `stop` is set (the server runs it daily, in a thread);
    a failed run is logged and the next one tried."""
    while not stop.is_set():
        try:
            retain(stores)
        except Exception:
            log.exception("retention could not run")
        stop.wait(seconds)
