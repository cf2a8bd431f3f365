"""Voilà's front-end chunks in one script, so a page starts in one request instead of ninety.

Voilà's front-end and the widget front-ends are webpack builds split into small chunks that the
browser discovers one wave at a time: every course page asked for 86 chunks in four waves, most
of a second spent waiting on a quiet machine and more on a school's wifi, and each request cost
the phone and the server their share of CPU. A webpack chunk only registers its modules in a
global array, which the build's runtime reads when it starts and consults before fetching a chunk.
So the chunks every page needs (`front_end_chunks.txt`) are concatenated and loaded before
`voila.js`; the runtimes find them registered and fetch nothing. A chunk missing from the list still
loads on its own, as before, so a Voilà upgrade can only make a page slower, never break it.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from resurskurs.files import remove_others, write_atomically

CHUNK_LIST = Path(__file__).with_name("front_end_chunks.txt")
PREFIX = "front-end-"
GZIPPED = ".gz"
"""Beside the script, its gzipped copy: what a browser that accepts gzip gets."""
STATIC_PREFIX = "static/"
LABEXTENSIONS_PREFIX = "labextensions/"
GZIP_LEVEL = 6
LEAD = b"void 0;\n"
"""A first statement, so the first chunk's "use strict" is no directive for the whole concatenation."""

log = logging.getLogger("resurskurs.front_end")


@dataclass(frozen=True)
class Bundle:
    content: bytes
    digest: str
    missing: tuple[str, ...]
    """Listed chunks that were not found (a different Voilà or widget version): the page fetches what it needs."""

    @property
    def name(self) -> str:
        return f"{PREFIX}{self.digest}.js"


def listed_chunks(file: Path = CHUNK_LIST) -> list[str]:
    """The chunk paths of `file`, in order; comments and blank lines left out."""
    lines = (line.strip() for line in file.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _find(chunk: str, static_paths: list[str], labextension_paths: list[str]) -> Path | None:
    """The first file that Voilà itself would serve for `voila/<chunk>`."""
    if chunk.startswith(STATIC_PREFIX):
        relative, roots = chunk.removeprefix(STATIC_PREFIX), static_paths
    elif chunk.startswith(LABEXTENSIONS_PREFIX):
        relative, roots = chunk.removeprefix(LABEXTENSIONS_PREFIX), labextension_paths
    else:
        expected = f"{STATIC_PREFIX!r} or {LABEXTENSIONS_PREFIX!r}"
        raise ValueError(f"{CHUNK_LIST.name}: {chunk!r} should start with {expected}")
    if ".." in Path(relative).parts:
        raise ValueError(f"{CHUNK_LIST.name}: {chunk!r} leaves its folder")
    for root in roots:
        candidate = Path(root) / relative
        if candidate.is_file():
            return candidate
    return None


def build_bundle(chunks: list[str], static_paths: list[str], labextension_paths: list[str]) -> Bundle:
    """The listed chunks that exist, one after another, each ended so the next starts a fresh statement."""
    parts = [LEAD]
    missing = []
    for chunk in chunks:
        file = _find(chunk, static_paths, labextension_paths)
        if file is None:
            missing.append(chunk)
            continue
        parts.extend((file.read_bytes(), b"\n;\n"))
    if missing:
        log.warning("%d front-end chunks are not installed and load one by one: %s", len(missing), ", ".join(missing))
    content = b"".join(parts)
    return Bundle(content, hashlib.blake2b(content, digest_size=8).hexdigest(), tuple(missing))


def keep(bundle: Bundle, folder: Path) -> Path:
    """The script and its gzipped copy in `folder`, written once per digest and the older ones removed: a server
    started again on the same front-end (under the hub, every start of a person's server after the first) neither
    writes nor compresses it again, about 0.13 s of CPU. Raises OSError when `folder` cannot be written."""
    script = folder / bundle.name
    packed = script.with_name(script.name + GZIPPED)
    if script.is_file() and packed.is_file():
        return script
    write_atomically(packed, gzip.compress(bundle.content, compresslevel=GZIP_LEVEL))
    write_atomically(script, bundle.content)
    remove_others(folder, f"{PREFIX}*", [script, packed])
    return script
