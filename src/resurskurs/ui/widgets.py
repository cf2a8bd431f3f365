"""The custom widgets. Their front-end is plain ESM in widgets/; these traits are the whole contract."""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from resurskurs.paths import widgets_dir


def _esm(name: str) -> Any:
    return widgets_dir() / f"{name}.js"


def _css(name: str) -> Any:
    return widgets_dir() / f"{name}.css"


_RELATIVE_IMPORT = re.compile(r'(from\s+")\./([\w-]+\.js)(")')


def _inlined(module: Path) -> str:
    """An ES module whose relative imports (`from "./x.js"`) are inlined as data: URLs, recursively.

    anywidget hands the page one ESM string, imported from a blob: URL that relative imports cannot
    resolve against; data: URLs need neither a server route nor a build step, and identical ones load once.
    """

    def inline(match: re.Match[str]) -> str:
        code = base64.b64encode(_inlined(module.parent / match.group(2)).encode()).decode()
        return f"{match.group(1)}data:text/javascript;base64,{code}{match.group(3)}"

    return _RELATIVE_IMPORT.sub(inline, module.read_text(encoding="utf-8"))


RENDERING = "rk-widget"
"""The class each widget's element has from the moment it is placed; empty until its script has drawn it.

The page template holds the page busy (and the module's text in place) while any of them is empty, so nothing
moves when a slow widget script arrives after a quick one.
"""


class PageWidget(anywidget.AnyWidget):
    """A widget of ours: marked, through ipywidgets' own classes trait, so the page can tell when all are drawn."""

    @traitlets.default("_dom_classes")
    def _marked(self) -> tuple[str, ...]:
        return (RENDERING,)


class FilmPlayer(PageWidget):
    """The film in chapters with reflection stops; the front-end reports what was watched."""

    _esm = _inlined(widgets_dir() / "film_player" / "index.js")
    _css = _css("film_player")
    src = traitlets.Unicode("").tag(sync=True)
    small_src = traitlets.Unicode("").tag(sync=True)
    poster = traitlets.Unicode("").tag(sync=True)
    sign_src = traitlets.Unicode("").tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)
    tracks = traitlets.List().tag(sync=True)
    chapters = traitlets.List().tag(sync=True)
    stops = traitlets.List().tag(sync=True)
    cues = traitlets.List().tag(sync=True)
    allow_skip = traitlets.Bool(True).tag(sync=True)
    position = traitlets.Float(0.0).tag(sync=True)
    logbook = traitlets.Dict().tag(sync=True)
    watched = traitlets.List().tag(sync=True)
    current_time = traitlets.Float(0.0).tag(sync=True)
    completed_once = traitlets.Bool(False).tag(sync=True)
    chapters_read = traitlets.List().tag(sync=True)


class TextAnswer(PageWidget):
    _esm = _esm("text_answer")
    label = traitlets.Unicode("").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
    min_words = traitlets.Int(0).tag(sync=True)
    rows = traitlets.Int(4).tag(sync=True)
    saved = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)


class ChoiceQuestion(PageWidget):
    _esm = _esm("choice_question")
    number = traitlets.Int(1).tag(sync=True)
    question = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Unicode("single").tag(sync=True)
    points = traitlets.Int(1).tag(sync=True)
    options = traitlets.List().tag(sync=True)
    selected = traitlets.List().tag(sync=True)
    check = traitlets.Int(0).tag(sync=True)
    reveal = traitlets.Int(0).tag(sync=True)
    """A counter the learner bumps to see the right answer without finding it."""
    feedback = traitlets.List().tag(sync=True)
    """Per option {chosen, correct, explanation}, or None for an option not to be explained yet."""
    verdict = traitlets.Unicode("").tag(sync=True)
    attempts = traitlets.Int(0).tag(sync=True)


class LikertItem(PageWidget):
    _esm = _esm("likert")
    statement = traitlets.Unicode("").tag(sync=True)
    scale = traitlets.List(traitlets.Unicode()).tag(sync=True)
    """The step labels: the schema's agreement scale."""
    value = traitlets.Int(0).tag(sync=True)


class Flashcards(PageWidget):
    _esm = _esm("flashcards")
    card = traitlets.Dict().tag(sync=True)
    due = traitlets.Int(0).tag(sync=True)
    answer = traitlets.Int(0).tag(sync=True)
    known = traitlets.Bool(False).tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    said = traitlets.Unicode("").tag(sync=True)
    """What became of the last card, in words ("”hjälpa” kommer tillbaka snart")."""


class PersonPicker(PageWidget):
    _esm = _esm("person_picker")
    people = traitlets.List().tag(sync=True)
    cookie = traitlets.Unicode("").tag(sync=True)
    current = traitlets.Unicode("").tag(sync=True)


class DateField(PageWidget):
    """A date typed year first (2026-12-10) in every browser; Python reads `value` and answers in `said`."""

    _esm = _esm("date_field")
    label = traitlets.Unicode("").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
    said = traitlets.Unicode("").tag(sync=True)
    warn = traitlets.Bool(False).tag(sync=True)


class ReviewQueue(PageWidget):
    """Granska's queue: each waiting reflection a button; pressing one sets `chosen` to its key."""

    _esm = _esm("review_queue")
    summary = traitlets.Unicode("").tag(sync=True)
    items = traitlets.List().tag(sync=True)
    """[{key, label, when}], oldest first."""
    current = traitlets.Unicode("").tag(sync=True)
    chosen = traitlets.Unicode("").tag(sync=True)


class Chart(PageWidget):
    """A plotly figure as plain JSON; the page's tables carry the same numbers for everyone who cannot see it."""

    _esm = _esm("chart")
    figure = traitlets.Dict().tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    library = traitlets.Unicode("").tag(sync=True)


class Download(PageWidget):
    """A button that makes a file only when pressed (a district report is not built for every page view).

    The file travels as base64 text in the message, not as a binary buffer: a binary reply depends on every
    proxy between the kernel and the browser passing binary websocket frames on (a pure-Python proxy did not,
    and the user server spun), while text passes everywhere."""

    _esm = _esm("download")
    label = traitlets.Unicode("").tag(sync=True)
    busy = traitlets.Bool(False).tag(sync=True)

    def __init__(self, label: str, make: Callable[[], tuple[str, str, bytes]]) -> None:
        super().__init__(label=label)
        self._make = make
        self.on_msg(self._handle)

    def _handle(self, _: Any, content: dict[str, Any], buffers: list[bytes]) -> None:
        if content.get("event") != "make":
            return
        self.busy = True
        try:
            filename, mime, data = self._make()
        except Exception:
            logging.getLogger("resurskurs").exception("the file for %r could not be made", self.label)
            self.send({"error": "Filen kunde inte skapas just nu. Försök igen om en stund."})
        else:
            self.send({"filename": filename, "mime": mime, "data": base64.b64encode(data).decode("ascii")})
        finally:
            self.busy = False
