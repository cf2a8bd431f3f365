"""The grader service: the one process that stores submissions and writes the gradebook.

It keeps nbgrader loaded (learners' kernels never import it) and handles the queue one request
at a time, so SQLite sees a single writer however many people press "Lämna in" at once.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from resurskurs.catalog.load import Catalog
from resurskurs.tracking import queue
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.submit import FAILED, submit

log = logging.getLogger("resurskurs.grader")


def queue_dir(course_dir: CourseDir) -> Path:
    return course_dir.root / "queue"


def handle(catalog: Catalog, course_dir: CourseDir, request: dict[str, Any]) -> dict[str, Any]:
    try:
        module = catalog.module(str(request["slug"]))
        result = submit(
            course_dir,
            module,
            str(request["person"]),
            dict(request["answers"]),
            datetime.fromisoformat(str(request["timestamp"])),
        )
    except Exception:
        log.exception("submission %s/%s failed", request.get("person"), request.get("slug"))
        return {"accepted": False, "messages": [FAILED]}
    return {
        "accepted": result.accepted,
        "messages": result.messages,
        "timestamp": result.timestamp.isoformat() if result.timestamp else None,
    }


def run(catalog: Catalog, course_dir: CourseDir, once: bool = False, idle_seconds: float = 0.05) -> int:
    """Serve the queue; with `once`, stop when it is empty. Returns how many requests were handled."""
    handled = 0
    folder = queue_dir(course_dir)
    while True:
        queue.beat(folder)
        claimed = queue.claim_next(folder)
        if claimed is None:
            if once:
                return handled
            time.sleep(idle_seconds)
            continue
        request_id, request = claimed
        queue.answer(folder, request_id, handle(catalog, course_dir, request))
        handled += 1
