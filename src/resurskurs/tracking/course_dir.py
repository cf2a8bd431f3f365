"""The nbgrader course directory and gradebook, driven through nbgrader's own Python API.

SQLite under var/ by default; any SQLAlchemy URL (PostgreSQL on a hub) through
RESURSKURS_GRADEBOOK_URL. With SQLite, writers take a file lock first: SQLite allows one
writer at a time and nbgrader holds its session across a whole autograde.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resurskurs.district.roster import is_person_id
from resurskurs.files import locked
from resurskurs.paths import content_root, var_root
from resurskurs.schema.base import SLUG_PATTERN

COURSE_ID = "resurskurs"


def default_db_url() -> str:
    return os.environ.get("RESURSKURS_GRADEBOOK_URL") or f"sqlite:///{var_root() / 'gradebook.db'}"


@dataclass(frozen=True)
class CourseDir:
    root: Path
    db_url: str

    @classmethod
    def default(cls) -> CourseDir:
        """exercises/ beside the courses, or RESURSKURS_EXERCISES (submissions are personal data)."""
        explicit = os.environ.get("RESURSKURS_EXERCISES")
        return cls(Path(explicit) if explicit else content_root() / "exercises", default_db_url())

    def config(self) -> Any:
        from traitlets.config import Config

        config = Config()
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.course_id = COURSE_ID
        config.CourseDirectory.db_url = self.db_url
        config.Exchange.root = str(self.root / "exchange")
        # nbgrader chmods what it writes (444 autograded, 644 feedback) whatever the umask: people's
        # notebooks are for the service's account alone (privacy/closed.py).
        config.Autograde.permissions = 400
        config.GenerateFeedback.permissions = 600
        return config

    def api(self, autograde_preprocessors: list[type] | None = None) -> Any:
        """nbgrader's API on this course directory; `autograde_preprocessors` replaces Autograde's own list."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        from resurskurs.gradebook.engine import with_nbgrader_tables

        with_nbgrader_tables(self.db_url)
        config = self.config()
        if autograde_preprocessors is not None:
            config.Autograde.autograde_preprocessors = autograde_preprocessors
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    @contextmanager
    def gradebook(self) -> Iterator[Any]:
        from nbgrader.api import Gradebook

        from resurskurs.gradebook.engine import with_nbgrader_tables

        with self.writing():
            with_nbgrader_tables(self.db_url)
            with Gradebook(self.db_url, course_id=COURSE_ID) as gradebook:
                yield gradebook

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Serialise writers on SQLite; other databases handle concurrent writers themselves."""
        if not self.db_url.startswith("sqlite"):
            yield
            return
        with locked(self.root / ".gradebook.lock"):
            yield

    def source(self, slug: str) -> Path:
        return self.root / "source" / slug / f"{slug}.ipynb"

    def release(self, slug: str) -> Path:
        return self.root / "release" / slug / f"{slug}.ipynb"

    @property
    def locks(self) -> Path:
        """Lock files of hand-ins in progress, one per person and module (`gradebook.locks`)."""
        return self.root / ".locks"

    @property
    def queue(self) -> Path:
        """The hand-in queue between learners' kernels and the grader service."""
        return self.root / "queue"

    def submitted(self, person_id: str, slug: str) -> Path:
        """A person's submission folder; ids that could leave `submitted/` are refused, never joined."""
        if not is_person_id(person_id) or not SLUG_PATTERN.fullmatch(slug):
            raise ValueError(f"not a person id and module slug: {person_id!r}, {slug!r}")
        return self.root / "submitted" / person_id / slug
