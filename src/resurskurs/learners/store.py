"""Drafts per person and module, written atomically so nothing typed is lost to a crash or a kill -9.

One JSON file per person and module. Each save is read–modify–write of a single key under
an exclusive lock, then fsync and rename: two open tabs never erase each other's other
answers, and a killed server leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from resurskurs.district.roster import PERSON_ID

Json = Any


class AnswerStore:
    def __init__(self, root: Path, person_id: str) -> None:
        if not re.match(PERSON_ID, person_id):
            raise ValueError(f"not a person id: {person_id!r}")
        self.person_id = person_id
        self.folder = root / "answers" / person_id

    def file(self, slug: str) -> Path:
        return self.folder / f"{slug}.json"

    def load(self, slug: str) -> dict[str, Json]:
        """The module's saved answers; an unreadable file is set aside, never silently overwritten."""
        file = self.file(slug)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (json.JSONDecodeError, UnicodeDecodeError):
            file.replace(file.with_suffix(f".corrupt-{os.getpid()}.json"))
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, slug: str, key: str, value: Json) -> None:
        """Set one top-level key of the module's answers, keeping every other key as it is on disk."""
        with self._locked(slug):
            data = self.load(slug)
            data[key] = value
            self._write(self.file(slug), data)

    def load_all(self) -> dict[str, dict[str, Json]]:
        if not self.folder.is_dir():
            return {}
        return {
            file.stem: self.load(file.stem)
            for file in sorted(self.folder.glob("*.json"))
            if ".corrupt-" not in file.name
        }

    @contextmanager
    def _locked(self, slug: str) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / f".{slug}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @staticmethod
    def _write(file: Path, data: dict[str, Json]) -> None:
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.stem}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, ensure_ascii=False, indent=1)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, file)
        finally:
            Path(temporary).unlink(missing_ok=True)
        directory = os.open(file.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
