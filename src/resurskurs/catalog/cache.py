"""A validated catalog kept by the content it came from, so a kernel unpickles it instead of reading YAML.

Every learner's kernel needs the catalog before its page can be built. The key hashes every file under
courses/ and films/ (not films/media/), the content root's path, and the resurskurs code, Python, pydantic
and PyYAML that built the catalog: an edited course, a new release or a code change gives a new key, so a
file written by another version is never read. The cache folder belongs to the server (var/cache, written
with mode 0600 and renamed into place); a folder that cannot be written only means a fresh load each time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pydantic
import yaml

from resurskurs.catalog.load import Catalog, load_catalog

CACHE_FOLDER = "cache"
"""The cache's folder under var/."""
PREFIX = "catalog-"

log = logging.getLogger("resurskurs.catalog")
_CODE = Path(__file__).resolve().parents[1]


def cached_catalog(root: Path, folder: Path) -> Catalog:
    """The catalog of `root`: from `folder` when its content and code are unchanged, else loaded and stored."""
    file = folder / f"{PREFIX}{catalog_key(root)}.pickle"
    try:
        catalog = pickle.loads(file.read_bytes())
    except FileNotFoundError:
        catalog = None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        log.warning("the cached catalog %s is unreadable; loading the content again", file)
        catalog = None
    if isinstance(catalog, Catalog) and catalog.root == root:
        return catalog
    catalog = load_catalog(root)
    _store(catalog, folder, file)
    return catalog


def catalog_key(root: Path) -> str:
    """A hash of everything a loaded catalog depends on."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (sys.version, pydantic.VERSION, yaml.__version__, str(root)):
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


def _store(catalog: Catalog, folder: Path, file: Path) -> None:
    """Write atomically and drop the catalogs of older content; a read-only folder is not an error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".catalog-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(catalog, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, file)
        for old in folder.glob(f"{PREFIX}*.pickle"):
            if old != file:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.info("the catalog is not cached in %s: %s", folder, error.strerror)
