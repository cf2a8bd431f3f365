"""Files that readers see whole and writers take in turn: the one atomic write and the one file lock.

Drafts, queue requests, generated notebooks and the SQLite gradebook's writers all go through here,
so a crash leaves the old version or the new one, never half of one, and two writers never interleave.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> Path:
    """Write beside `path`, flush to disk, rename over it, flush the rename; a failure leaves `path` as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return path


def remove_others(folder: Path, pattern: str, kept: Collection[Path]) -> None:
    """Remove the files of `folder` that match `pattern` but are not `kept`: a cache holds one version of a thing."""
    for file in folder.glob(pattern):
        if file not in kept:
            file.unlink(missing_ok=True)


@contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (made when missing) while the block runs: one holder per host.

    The lock is the kernel's (flock), so a holder that dies releases it; the file itself stays empty.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
