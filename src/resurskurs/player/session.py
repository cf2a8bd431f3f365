"""One learner in one module: the answers as saved, and the one way a section saves an answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from resurskurs.catalog.load import Module
from resurskurs.core.answers import MAX_TEXT
from resurskurs.core.progress import progress
from resurskurs.core.review import Review
from resurskurs.learners.store import AnswerStore
from resurskurs.tracking import service_client
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.ui.formats import number
from resurskurs.ui.widgets import TextAnswer

SAVE_FAILED = "Det gick inte att spara just nu. Det du skrivit finns kvar här – försök igen om en stund."
TOO_LONG = (
    f"Texten är längre än {number(MAX_TEXT)} tecken och kan inte sparas. "
    "Korta den lite, så sparas den igen."
)
log = logging.getLogger("resurskurs")
_post_activity = service_client.ActivityPoster(post=lambda path, body: service_client.call(path, body, timeout=5.0))
"""Under the hub the drafts never reach the service, so the kernel tells it the percent (throttled per module)."""


class ModuleSession:
    """What every section of the course page shares: the module, the learner's draft and the gradebook's word."""

    def __init__(
        self, module: Module, store: AnswerStore, base_url: str, course_dir: CourseDir, review: Review | None
    ) -> None:
        self.module = module
        self.course = module.course
        self.store = store
        self.base_url = base_url
        self.course_dir = course_dir
        self.review = review
        draft = store.read(self.course.slug)
        self.answers = draft.answers
        self.damaged = draft.damaged
        self._on_saved: list[Callable[[], None]] = []

    def on_saved(self, callback: Callable[[], None]) -> None:
        """Call `callback` after every answer saved, so what is drawn from the answers follows them."""
        self._on_saved.append(callback)

    def save(self, path: tuple[str, ...], value: Any, widget: TextAnswer | None = None) -> None:
        """Persist one answer, validated; a failure is told in Swedish and the text stays on screen.

        Values come from the browser, so a value the schema refuses is logged and never stored.
        """
        try:
            self.answers = self.store.save(self.course.slug, path, value, self.course)
        except OSError:
            if widget is not None:
                widget.error = SAVE_FAILED
            return
        except ValueError as error:
            log.warning("refused a value for %s in %s: %s", ".".join(path), self.course.slug, error)
            if widget is not None:
                widget.error = TOO_LONG if isinstance(value, str) and len(value) > MAX_TEXT else SAVE_FAILED
            return
        if widget is not None:
            widget.error = ""
            widget.saved = f"Sparat {datetime.now():%H:%M}"
        if service_client.configured():
            _post_activity(self.course.slug, progress(self.module, self.answers).percent)
        for callback in self._on_saved:
            callback()
