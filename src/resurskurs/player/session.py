"""One learner in one module: the answers as saved, and the one way a section saves an answer."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from resurskurs.backend.contract import Backend, Refused
from resurskurs.catalog.load import Module
from resurskurs.core.answers import MAX_TEXT
from resurskurs.core.progress import progress
from resurskurs.core.review import Review
from resurskurs.learners.store import AnswerStore
from resurskurs.ui.formats import number
from resurskurs.ui.widgets import TextAnswer

SAVE_FAILED = "Det gick inte att spara just nu. Det du skrivit finns kvar här – försök igen om en stund."
TOO_LONG = (
    f"Texten är längre än {number(MAX_TEXT)} tecken och kan inte sparas. "
    "Korta den lite, så sparas den igen."
)
REPORT_SECONDS = 30.0
"""At most one progress report per module in this long: principals see "Pågår – N %", not every keystroke."""
log = logging.getLogger("resurskurs")


class ProgressReports:
    """Tells shared state how far the person has come in a module, at most once per `seconds` per module.

    The percent is computed here from the draft (core/progress.py); a refusal or an unreachable store is
    logged, never the learner's problem (their draft is saved either way)."""

    def __init__(self, seconds: float = REPORT_SECONDS) -> None:
        self.seconds = seconds
        self.sent_at: dict[str, float] = {}

    def due(self, slug: str, now: float) -> bool:
        sent = self.sent_at.get(slug)
        return sent is None or now - sent >= self.seconds

    def __call__(
        self, report: Callable[[str, int], None], slug: str, percent: int, now: float | None = None, wait: bool = False
    ) -> bool:
        """Report when due, in a thread of its own (a busy gradebook never holds up typing) unless `wait`;
        True when a report was started."""
        now = time.monotonic() if now is None else now
        if not self.due(slug, now):
            return False
        self.sent_at[slug] = now
        if wait:
            _report(report, slug, percent)
        else:
            threading.Thread(target=_report, args=(report, slug, percent), name="progress", daemon=True).start()
        return True


def _report(report: Callable[[str, int], None], slug: str, percent: int) -> None:
    try:
        report(slug, percent)
    except (Refused, OSError) as error:
        log.warning("the progress in %s could not be reported: %s", slug, error)


_reports = ProgressReports()
"""One per kernel: every page the kernel builds shares the interval."""


class ModuleSession:
    """What every section of the course page shares: the module, the learner's draft and the gradebook's word."""

    def __init__(
        self, module: Module, store: AnswerStore, base_url: str, backend: Backend, review: Review | None
    ) -> None:
        self.module = module
        self.course = module.course
        self.store = store
        self.base_url = base_url
        self.backend = backend
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
        _reports(self.backend.record_activity, self.course.slug, progress(self.module, self.answers).percent)
        self.redraw()

    def redraw(self) -> None:
        """Draw again what follows the answers and the gradebook's word (after a save or a hand-in)."""
        for callback in self._on_saved:
            callback()
