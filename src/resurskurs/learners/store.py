"""Drafts per person and module, written atomically so nothing typed is lost to a crash or a kill -9.

One JSON file per person and module. Each save sets one answer (a quiz item, a logbook entry, a
survey statement) under an exclusive lock, re-reading the file first: two open tabs never erase
each other's answers. Every save is validated as `Answers` (and against the course) before it is
written; a killed server leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from resurskurs.core.answers import Answers, FilmProgress, check_against, salvage
from resurskurs.district.roster import is_person_id
from resurskurs.files import locked, write_atomically
from resurskurs.schema import Course
from resurskurs.schema.base import SLUG_PATTERN

SET_ASIDE = ".damaged-"


@dataclass(frozen=True)
class Draft:
    answers: Answers
    damaged: bool
    """Part of what was stored could not be read; the file is copied aside before it is next written."""


class AnswerStore:
    def __init__(self, root: Path, person_id: str) -> None:
        if not is_person_id(person_id):
            raise ValueError(f"not a person id: {person_id!r}")
        self.person_id = person_id
        self.folder = root / "answers" / person_id

    def file(self, slug: str) -> Path:
        if not SLUG_PATTERN.fullmatch(slug):
            raise ValueError(f"not a module slug: {slug!r}")
        return self.folder / f"{slug}.json"

    def read(self, slug: str) -> Draft:
        """The module's saved answers, as much of them as is valid; reading never changes the file."""
        try:
            data = json.loads(self.file(slug).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Draft(Answers(), damaged=False)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return Draft(Answers(), damaged=True)
        answers, damaged = salvage(data)
        return Draft(answers, damaged)

    def load(self, slug: str) -> Answers:
        return self.read(slug).answers

    def save(self, slug: str, path: tuple[str, ...], value: Any, course: Course | None = None) -> Answers:
        """Set one answer (`path` into the draft) and return the draft as it now is on disk.

        The film's progress merges with what another tab saved. An invalid value raises ValueError and
        writes nothing; a damaged file is copied aside (never overwritten) before the first new write.
        """
        with locked(self.folder / f".{slug}.lock"):
            draft = self.read(slug)
            data = draft.answers.to_json()
            if path == ("film",):
                value = draft.answers.film.merged(FilmProgress.model_validate(value)).model_dump(mode="json")
            _set(data, path, value)
            answers = Answers.model_validate(data)
            problems = check_against(answers, course) if course is not None else []
            if problems:
                raise ValueError(f"{self.file(slug)}: {'; '.join(problems)}")
            if draft.damaged:
                self._set_aside(slug)
            write_atomically(self.file(slug), json.dumps(answers.to_json(), ensure_ascii=False, indent=1).encode())
            return answers

    def load_all(self) -> dict[str, Answers]:
        if not self.folder.is_dir():
            return {}
        files = sorted(self.folder.glob("*.json"))
        return {file.stem: self.load(file.stem) for file in files if SLUG_PATTERN.fullmatch(file.stem)}

    def set_aside(self, slug: str) -> list[Path]:
        """Copies of damaged drafts kept for the resource team to restore from."""
        return sorted(self.folder.glob(f"{slug}{SET_ASIDE}*"))

    def _set_aside(self, slug: str) -> None:
        file = self.file(slug)
        if file.exists():
            shutil.copy2(file, file.with_name(f"{slug}{SET_ASIDE}{datetime.now():%Y%m%dT%H%M%S%f}.json.kept"))


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    *parents, last = path
    node = data
    for key in parents:
        child = node.get(key)
        node[key] = child = child if isinstance(child, dict) else {}
        node = child
    node[last] = value
