"""The hand-in queue between learners' kernels and the grader service: signed files, renamed atomically.

A kernel writes `<id>.request.json`, signed with the service's key (HMAC-SHA256) so that a file
dropped into the folder by anything else is refused. The service claims a request by renaming it
to `.claimed.json` (so it is handled once) and answers with `<id>.result.json`. A file that is not
a signed JSON request is moved to `rejected/` with a log line; requests claimed by a service that
died are put back in the queue when the next one starts. The service touches a heartbeat file
while it runs; while no service is alive, the kernel takes an unclaimed request back.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resurskurs.files import write_atomically

REQUEST, CLAIMED, RESULT = ".request.json", ".claimed.json", ".result.json"
HEARTBEAT = ".grader-alive"
KEY_FILE = ".key"
REJECTED = "rejected"
REQUEST_ID_LENGTH = 32
STALE_RESULT_SECONDS = 3600.0
"""A result nobody collected (the learner's page was closed) is removed after an hour."""

log = logging.getLogger("resurskurs.grader")


def prepare(folder: Path) -> None:
    """The queue folder, readable and writable by the service's user alone."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)


@functools.cache
def signing_key(folder: Path) -> bytes:
    """The key both sides sign with, made once (mode 0600) by whichever side needs it first; read once."""
    prepare(folder)
    file = folder / KEY_FILE
    try:
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(100):
            key = file.read_bytes()
            if key:
                return key
            time.sleep(0.01)
        raise OSError(f"{file}: the queue key is empty") from None
    key = secrets.token_hex(32).encode()
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(key)
    return key


def _signature(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _write_json(file: Path, data: dict[str, Any]) -> None:
    write_atomically(file, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def enqueue(folder: Path, body: dict[str, Any]) -> str:
    """Queue a signed request; its id is also its name in the folder."""
    request_id = uuid.uuid4().hex
    payload = json.dumps({**body, "request": request_id}, ensure_ascii=False, sort_keys=True)
    envelope = {"body": payload, "signature": _signature(signing_key(folder), payload.encode("utf-8"))}
    _write_json(folder / f"{request_id}{REQUEST}", envelope)
    return request_id


def beat(folder: Path) -> None:
    prepare(folder)
    (folder / HEARTBEAT).touch()


def service_alive(folder: Path, within_seconds: float) -> bool:
    try:
        return time.time() - (folder / HEARTBEAT).stat().st_mtime < within_seconds
    except FileNotFoundError:
        return False


@dataclass(frozen=True)
class Waiting:
    """Where a request stands, as the kernel that sent it sees it."""

    result: dict[str, Any] | None
    claimed: bool
    withdrawn: bool


def poll(folder: Path, request_id: str, alive_seconds: float, may_withdraw: bool = True) -> Waiting:
    """One look at a request: its result if there is one; an unclaimed request is withdrawn when no
    service is alive and `may_withdraw`; a claimed one is left for the service to finish."""
    request, result = folder / f"{request_id}{REQUEST}", folder / f"{request_id}{RESULT}"
    try:
        data: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    else:
        result.unlink(missing_ok=True)
        return Waiting(data, claimed=True, withdrawn=False)
    if may_withdraw and request.is_file() and not service_alive(folder, alive_seconds):
        try:
            request.unlink()
        except FileNotFoundError:
            return Waiting(None, claimed=True, withdrawn=False)
        return Waiting(None, claimed=False, withdrawn=True)
    return Waiting(None, claimed=not request.is_file(), withdrawn=False)


def requeue_claimed(folder: Path) -> int:
    """Put back every request a previous service claimed but never answered; run when a service starts."""
    count = 0
    for file in sorted(folder.glob(f"*{CLAIMED}")) if folder.is_dir() else []:
        request_id = file.name.removesuffix(CLAIMED)
        if (folder / f"{request_id}{RESULT}").exists():
            file.unlink(missing_ok=True)
            continue
        file.rename(folder / f"{request_id}{REQUEST}")
        log.warning("request %s was claimed by a service that stopped; it is handled again", request_id)
        count += 1
    return count


def claim_next(folder: Path) -> tuple[str, dict[str, Any]] | None:
    """Take the oldest waiting request whose signature holds, or None; anything else is set aside."""
    if not folder.is_dir():
        return None
    waiting = []
    for file in folder.glob(f"*{REQUEST}"):
        try:
            waiting.append((file.stat().st_mtime, file))
        except FileNotFoundError:
            continue
    for _, file in sorted(waiting):
        request_id = file.name.removesuffix(REQUEST)
        claimed = folder / f"{request_id}{CLAIMED}"
        try:
            file.rename(claimed)
        except FileNotFoundError:
            continue
        body = _verified(folder, request_id, claimed)
        if body is not None:
            return request_id, body
    return None


def _verified(folder: Path, request_id: str, claimed: Path) -> dict[str, Any] | None:
    """The request's body when the file is a signed JSON request named by its own id; else None, set aside.

    Read without following a link and without blocking: a FIFO or device named like a request would
    otherwise hold the grader for good while its heartbeat goes on saying it is alive."""
    try:
        descriptor = os.open(claimed, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise ValueError("not a regular file")
            envelope = json.loads(stream.read().decode("utf-8"))
        payload, signature = envelope["body"], envelope["signature"]
        if not isinstance(payload, str) or not isinstance(signature, str):
            raise TypeError("body and signature must be strings")
        if not hmac.compare_digest(signature, _signature(signing_key(folder), payload.encode("utf-8"))):
            raise PermissionError("the signature does not match the queue's key")
        body = json.loads(payload)
        if not isinstance(body, dict) or body.get("request") != request_id:
            raise ValueError("the request id does not match the file name")
    except Exception as error:
        _set_aside(folder, claimed, f"{type(error).__name__}: {error}")
        return None
    return body


def _set_aside(folder: Path, file: Path, reason: str) -> None:
    rejected = folder / REJECTED
    rejected.mkdir(exist_ok=True)
    target = rejected / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.json"
    file.rename(target)
    log.error("queue file %s set aside as %s: %s", file.name, target.name, reason)


def answer(folder: Path, request_id: str, result: dict[str, Any]) -> None:
    _write_json(folder / f"{request_id}{RESULT}", result)
    (folder / f"{request_id}{CLAIMED}").unlink(missing_ok=True)


def remove_stale_results(folder: Path, older_than: float = STALE_RESULT_SECONDS) -> None:
    now = time.time()
    for file in folder.glob(f"*{RESULT}") if folder.is_dir() else []:
        try:
            if now - file.stat().st_mtime > older_than:
                file.unlink()
        except FileNotFoundError:
            continue
