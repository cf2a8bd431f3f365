"""The submission queue between learners' kernels and the grader service: files, renamed atomically.

A kernel writes `<id>.request.json`; the service claims it by renaming it to `.claimed` (so it is
handled once), and answers with `<id>.result.json`. The service touches a heartbeat file while it
runs; when no service is alive, the kernel takes its request back, so the learner is never told
"failed" about something that later lands.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

from resurskurs.files import write_atomically

REQUEST, CLAIMED, RESULT = ".request.json", ".claimed.json", ".result.json"
HEARTBEAT = ".grader-alive"


def write_json(file: Path, data: dict[str, Any]) -> None:
    write_atomically(file, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def enqueue(folder: Path, request: dict[str, Any]) -> str:
    request_id = uuid.uuid4().hex
    write_json(folder / f"{request_id}{REQUEST}", request)
    return request_id


def beat(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / HEARTBEAT).touch()


def service_alive(folder: Path, within_seconds: float) -> bool:
    try:
        return time.time() - (folder / HEARTBEAT).stat().st_mtime < within_seconds
    except FileNotFoundError:
        return False


def wait_for_result(
    folder: Path, request_id: str, alive_seconds: float, result_seconds: float
) -> dict[str, Any] | None:
    """The service's answer; None when no service is alive or none answered in time (then it is withdrawn)."""
    request, result = folder / f"{request_id}{REQUEST}", folder / f"{request_id}{RESULT}"
    deadline = time.monotonic() + result_seconds
    while True:
        if result.is_file():
            data: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
            result.unlink()
            return data
        if request.is_file() and (time.monotonic() > deadline or not service_alive(folder, alive_seconds)):
            try:
                request.unlink()
                return None
            except FileNotFoundError:
                pass
        time.sleep(0.05)


def claim_next(folder: Path) -> tuple[str, dict[str, Any]] | None:
    """Take the oldest waiting request, or None."""
    waiting = sorted(folder.glob(f"*{REQUEST}"), key=lambda file: file.stat().st_mtime) if folder.is_dir() else []
    for file in waiting:
        request_id = file.name.removesuffix(REQUEST)
        claimed = folder / f"{request_id}{CLAIMED}"
        try:
            file.rename(claimed)
        except FileNotFoundError:
            continue
        return request_id, json.loads(claimed.read_text(encoding="utf-8"))
    return None


def answer(folder: Path, request_id: str, result: dict[str, Any]) -> None:
    write_json(folder / f"{request_id}{RESULT}", result)
    (folder / f"{request_id}{CLAIMED}").unlink(missing_ok=True)
