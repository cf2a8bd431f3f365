"""What a cached catalog is keyed by, known without loading the catalog or its schema.

The key hashes every file under courses/ and films/ (not films/media/), the content root's path, and the
resurskurs code, Python, pydantic and PyYAML that build a catalog. The server process asks it to know when its
modules' previews are stale (server/preview.py), and must not import the schema to do so: that would hold the
catalog's code in every user server under the hub.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

CACHE_FOLDER = "cache"
"""The cache's folder under var/: the catalog and the previews built from it."""
_CODE = Path(__file__).resolve().parents[1]


def catalog_key(root: Path) -> str:
    """A hash of everything a loaded catalog depends on."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (*_library_versions(), str(root)):
        _feed(digest, part.encode())
    for base, files in ((_CODE, sorted(_CODE.rglob("*.py"))), (root, sorted(_content_files(root)))):
        for file in files:
            _feed(digest, file.relative_to(base).as_posix().encode())
            _feed(digest, file.read_bytes())
    return digest.hexdigest()


def content_stamp(root: Path) -> str:
    """The content's file names, sizes and modification times: a change of any file changes it, at the cost of
    a directory walk (the catalog key reads every byte)."""
    digest = hashlib.blake2b(digest_size=20)
    for file in sorted(_content_files(root)):
        status = file.stat()
        _feed(digest, f"{file.relative_to(root).as_posix()}\0{status.st_size}\0{status.st_mtime_ns}".encode())
    return digest.hexdigest()


def _content_files(root: Path) -> Iterator[Path]:
    for folder in (root / "courses", root / "films"):
        for file in folder.rglob("*"):
            if file.is_file() and (root / "films" / "media") not in file.parents:
                yield file


def _feed(digest: hashlib.blake2b, data: bytes) -> None:
    """Length first, so no two different sequences of parts hash alike."""
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)


def _library_versions() -> tuple[str, ...]:
    """Python's, pydantic's and PyYAML's versions, read from their metadata: importing pydantic for its version
    would load it into the server process, which never builds a catalog."""
    return sys.version, version("pydantic"), version("PyYAML")
