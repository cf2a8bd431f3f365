"""Submitting from a learner's kernel: check privacy here, then hand the answers to the grader service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from resurskurs.tracking import queue
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.privacy import privacy_findings

ALIVE_SECONDS = 10.0
RESULT_SECONDS = 300.0
NO_SERVICE = (
    "Inlämningen kunde inte tas emot just nu, eftersom rättningstjänsten inte svarar. "
    "Allt du skrivit finns kvar. Försök igen om en stund, eller kontakta resursteamet."
)


def send(course_dir: CourseDir, slug: str, person_id: str, answers: dict[str, Any]) -> tuple[bool, list[str]]:
    """(accepted, Swedish messages). Privacy problems are found before anything leaves the kernel."""
    findings = privacy_findings(answers)
    if findings:
        return False, findings
    request = {"slug": slug, "person": person_id, "answers": answers, "timestamp": datetime.now(UTC).isoformat()}
    folder = course_dir.root / "queue"
    result = queue.wait_for_result(folder, queue.enqueue(folder, request), ALIVE_SECONDS, RESULT_SECONDS)
    if result is None:
        return False, [NO_SERVICE]
    return bool(result["accepted"]), [str(message) for message in result["messages"]]
