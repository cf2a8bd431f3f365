"""Handing in from a learner's kernel: check privacy here, then pass the answers to the grader service.

Only `HandIn` leaves the kernel (never the logbook). The wait is bounded: a learner hears within
`RESULT_SECONDS` whether the hand-in landed, whether no service is there (the request is taken
back), or that it is still being handled (a busy service reaches it later; a request claimed by
a service that stopped is finished by the next one). Callers run `send` off the kernel's main
thread, so drafts keep saving meanwhile.

On one machine the kernel and the grader run as one system user, and the signed queue folder (mode 0700)
is kept: nothing else can write it. Under JupyterHub the hand-in goes to the grader service instead
(backend/hub.py); the privacy check here runs first on both paths.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from resurskurs.core.answers import HandIn
from resurskurs.tracking import handin_queue
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.privacy import privacy_findings

ALIVE_SECONDS = 10.0
"""A service whose heartbeat is older than this is taken for stopped."""
NO_SERVICE_SECONDS = 20.0
"""How long a request waits for a service that is starting or being restarted before it is taken back."""
RESULT_SECONDS = 120.0
"""A request not answered by then is left to the service; the learner is told so."""
SLOW_SECONDS = 5.0
POLL_SECONDS = 0.1
NO_SERVICE = (
    "Inlämningen kunde inte tas emot just nu, eftersom rättningstjänsten inte svarar. "
    "Allt du skrivit finns kvar. Försök igen om en stund, eller kontakta resursteamet."
)
STILL_HANDLED = (
    "Din inlämning är skickad men inte färdigbehandlad än. Allt du skrivit finns kvar. "
    "Ladda om sidan om en stund: när inlämningen är mottagen står det överst under Lämna in."
)


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    messages: list[str] = field(default_factory=list)
    pending: bool = False


def send(
    course_dir: CourseDir, slug: str, person_id: str, answers: HandIn, on_slow: Callable[[], None] | None = None
) -> Outcome:
    """Queue the hand-in and wait, at most RESULT_SECONDS, for the service's answer.

    Privacy problems are found before anything leaves the kernel. `on_slow` is called once when
    the answer takes longer than SLOW_SECONDS.
    """
    findings = privacy_findings(answers.model_dump())
    if findings:
        return Outcome(False, findings)
    folder = course_dir.queue
    body = {"slug": slug, "person": person_id, "answers": answers.model_dump(mode="json")}
    request_id = handin_queue.enqueue(folder, body)
    started = time.monotonic()
    slow_told = False
    while True:
        elapsed = time.monotonic() - started
        state = handin_queue.poll(folder, request_id, ALIVE_SECONDS, may_withdraw=elapsed > NO_SERVICE_SECONDS)
        if state.result is not None:
            return Outcome(bool(state.result.get("accepted")), [str(m) for m in state.result.get("messages", [])])
        if state.withdrawn:
            return Outcome(False, [NO_SERVICE])
        if elapsed > RESULT_SECONDS:
            return Outcome(False, [STILL_HANDLED], pending=True)
        if not slow_told and elapsed > SLOW_SECONDS and on_slow is not None:
            on_slow()
            slow_told = True
        time.sleep(POLL_SECONDS)

