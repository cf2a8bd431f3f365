"""The grader service: the one process that stores submissions and writes the gradebook.

It keeps nbgrader loaded (learners' kernels never import it) and handles the queue one request
at a time, so SQLite sees a single writer however many people press "Lämna in" at once. Nothing
in a request is trusted: it must be signed, every field is validated, the person must be on the
roster and the module in the catalog, and the time is the service's own. A refused request
leaves the gradebook and the course directory exactly as they were.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError

from resurskurs.catalog.load import Catalog
from resurskurs.core.answers import HandIn, check_against
from resurskurs.district.releases import load_releases
from resurskurs.district.roster import is_person_id
from resurskurs.gradebook.engine import migrated
from resurskurs.paths import var_root
from resurskurs.schema.base import Slug
from resurskurs.tracking import handin_queue
from resurskurs.tracking.activity import sync_activity
from resurskurs.tracking.autograde import shut_down_kernels
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.people import find_person
from resurskurs.tracking.submit import FAILED, submit

log = logging.getLogger("resurskurs.grader")
HEARTBEAT_SECONDS = 1.0
"""The service says it is alive this often, from a thread of its own, also while it grades or waits for a lock."""
ACTIVITY_SECONDS = 5.0
"""How often drafts are synced into the gradebook, so principals see "in progress" within seconds."""
REFUSED = (
    "Inlämningen kunde inte tas emot. Allt du skrivit finns kvar. Ladda om sidan och försök igen, "
    "eller kontakta resursteamet om det inte går."
)


NOT_RELEASED = "Modulen är inte öppnad för din enhet än, så den kan inte lämnas in. Allt du skrivit finns kvar."


def _person_id(value: str) -> str:
    if not is_person_id(value):
        raise ValueError("not a person id")
    return value


class HandInRequest(BaseModel):
    """A request as a learner's kernel sends it; the person is the one the server identified."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    request: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    person: Annotated[str, AfterValidator(_person_id)]
    slug: Slug
    answers: HandIn


def handle(catalog: Catalog, course_dir: CourseDir, body: dict[str, Any]) -> dict[str, Any]:
    """Validate one request completely, then store, grade and record it; refuse without writing anything."""
    try:
        request = HandInRequest.model_validate(body)
        module = catalog.module(request.slug)
    except (ValidationError, KeyError) as error:
        log.error("request %s refused: %s", body.get("request"), error)
        return {"accepted": False, "messages": [REFUSED]}
    problems = check_against(request.answers, module.course)
    person = find_person(course_dir.db_url, request.person)
    if problems or person is None:
        log.error("request %s refused: %s", request.request, "; ".join(problems) or "the person is not on the roster")
        return {"accepted": False, "messages": [REFUSED]}
    if not load_releases(var_root()).opens(person, request.slug):
        log.error("request %s refused: %s is not released to %s", request.request, request.slug, person.unit)
        return {"accepted": False, "messages": [NOT_RELEASED]}
    try:
        result = submit(course_dir, module, request.person, request.answers, request_id=request.request)
    except Exception:
        log.exception("submission %s/%s failed", request.person, request.slug)
        return {"accepted": False, "messages": [FAILED]}
    return {
        "accepted": result.accepted,
        "messages": result.messages,
        "timestamp": result.timestamp.isoformat() if result.timestamp else None,
    }


def sync_drafts(catalog: Catalog, course_dir: CourseDir, answers_root: Path, since: float) -> float:
    """Sync drafts changed after `since`; returns the time to pass next round. A failure waits for the next round."""
    started = time.time()
    try:
        with course_dir.writing():
            sync_activity(catalog, answers_root, migrated(course_dir.db_url), since)
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
    queue is empty. Requests a previous service claimed and never answered are handled first.
    Returns how many requests were handled."""
    folder = course_dir.queue
    handin_queue.prepare(folder)
    handin_queue.requeue_claimed(folder)
    with course_dir.gradebook():
        pass  # nbgrader makes and versions its tables first: it skips its own version on a non-empty database
    try:
        with _beating(folder):
            return _serve(catalog, course_dir, folder, once, idle_seconds, answers_root)
    finally:
        shut_down_kernels()


@contextmanager
def _beating(folder: Path) -> Iterator[None]:
    """Touch the heartbeat every HEARTBEAT_SECONDS while the block runs: a busy service is not a dead one."""
    stop = threading.Event()

    def beat() -> None:
        while True:
            handin_queue.beat(folder)
            if stop.wait(HEARTBEAT_SECONDS):
                return

    thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _serve(
    catalog: Catalog, course_dir: CourseDir, folder: Path, once: bool, idle_seconds: float, answers_root: Path | None
) -> int:
    handled = 0
    synced, last_sync = 0.0, 0.0
    while True:
        if answers_root is not None and time.monotonic() - last_sync >= ACTIVITY_SECONDS:
            synced, last_sync = sync_drafts(catalog, course_dir, answers_root, synced), time.monotonic()
            handin_queue.remove_stale_results(folder)
        claimed = handin_queue.claim_next(folder)
        if claimed is None:
            if once:
                return handled
            time.sleep(idle_seconds)
            continue
        request_id, body = claimed
        handin_queue.answer(folder, request_id, handle(catalog, course_dir, body))
        handled += 1
