"""The grader service: the one process that stores submissions and writes the gradebook.

It keeps nbgrader loaded (learners' kernels never import it) and handles the queue one request
at a time, so SQLite sees a single writer however many people press "Lämna in" at once.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from resurskurs.catalog.load import Catalog
from resurskurs.tracking import queue
from resurskurs.tracking.activity import sync_activity
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.evaluation import record_evaluation
from resurskurs.tracking.submit import FAILED, submit

log = logging.getLogger("resurskurs.grader")
ACTIVITY_SECONDS = 5.0
"""How often drafts are synced into the gradebook, so principals see "in progress" within seconds."""


def queue_dir(course_dir: CourseDir) -> Path:
    return course_dir.root / "queue"


def handle(catalog: Catalog, course_dir: CourseDir, request: dict[str, Any]) -> dict[str, Any]:
    try:
        module = catalog.module(str(request["slug"]))
        person, answers = str(request["person"]), dict(request["answers"])
        result = submit(course_dir, module, person, answers, datetime.fromisoformat(str(request["timestamp"])))
        if result.accepted:
            with course_dir.writing():
                record_evaluation(_engine(course_dir.db_url), module, person, answers)
    except Exception:
        log.exception("submission %s/%s failed", request.get("person"), request.get("slug"))
        return {"accepted": False, "messages": [FAILED]}
    return {
        "accepted": result.accepted,
        "messages": result.messages,
        "timestamp": result.timestamp.isoformat() if result.timestamp else None,
    }


@functools.cache
def _engine(db_url: str) -> sa.Engine:
    """One engine (and connection pool) per gradebook for the life of the service."""
    return sa.create_engine(db_url, pool_pre_ping=True)


def sync_drafts(catalog: Catalog, course_dir: CourseDir, answers_root: Path, since: float) -> float:
    """Sync drafts changed after `since`; returns the time to pass next round. A failure waits for the next round."""
    started = time.time()
    try:
        with course_dir.writing():
            sync_activity(catalog, answers_root, _engine(course_dir.db_url), since)
    except Exception:
        log.exception("drafts could not be synced into the gradebook")
        return since
    return started


def run(
    catalog: Catalog,
    course_dir: CourseDir,
    once: bool = False,
    idle_seconds: float = 0.05,
    answers_root: Path | None = None,
) -> int:
    """Serve the queue and, every few seconds, sync drafts under `answers_root`; with `once`, stop when the
    queue is empty. Returns how many requests were handled."""
    handled = 0
    folder = queue_dir(course_dir)
    synced, last_sync = 0.0, 0.0
    while True:
        queue.beat(folder)
        if answers_root is not None and time.monotonic() - last_sync >= ACTIVITY_SECONDS:
            synced, last_sync = sync_drafts(catalog, course_dir, answers_root, synced), time.monotonic()
        claimed = queue.claim_next(folder)
        if claimed is None:
            if once:
                return handled
            time.sleep(idle_seconds)
            continue
        request_id, request = claimed
        queue.answer(folder, request_id, handle(catalog, course_dir, request))
        handled += 1
