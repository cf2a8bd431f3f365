"""The module's text in the first HTML response, so people start reading while Voilà's front-end and the widgets load.

The page handler puts it where the template leaves `SLOT`; the template hides it once the widget page has
rendered (resurskurs/index.html.j2). It is built from the course schema alone and is the same for everyone:
no name, no answer, no progress, nothing a kernel decides per person.

Which modules a person may open is decided per person inside the kernel (ledningen först: releases per unit).
The handler cannot know that cheaply and safely for every set-up, so it asks a question that does not depend on
the person: is every module open to everyone who can be served here?

* On one machine with no release file (the district has not turned ledningen först on), yes: the whole text.
* With a release file (or one that cannot be read), or under the hub (the releases live with the grader
  service, and asking it would put a network call in front of the first byte): only the module's title, which
  the catalog card and the refusal page show to every signed-in person anyway.
* A page that will not be this module (no such module, an overview, the demo picker, a printable guide, or a
  server that cannot tell who anyone is): nothing beyond the template's loading message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from resurskurs.backend import open_to_everyone_here
from resurskurs.catalog.cache import cached_catalog, catalog_key
from resurskurs.catalog.load import Catalog, Module
from resurskurs.learners.identity import DEMO, SIGNED_IN
from resurskurs.ui.markup import duration, text

SLOT = "<!-- resurskurs: the module's text -->"
"""Where the template takes the preview: plain text in the template, so Jinja emits it in one piece."""
REFRESH_SECONDS = 60.0
"""How often the content is checked for edits; a kernel reads it when it preheats, the preview within a minute."""
NOT_THIS_MODULE = ("vy", "byt", "utskrift")
"""Query arguments that make the page an overview, the demo picker or a printable guide, never the module itself."""

log = logging.getLogger("resurskurs.preview")


class Extent(Enum):
    """How much of a module the first response may carry."""

    NONE = "none"
    TITLE = "title"
    TEXT = "text"


def module_text(module: Module) -> str:
    """Title, introduction, goals, the film's chapters and the knowledge check's questions, as plain HTML."""
    course = module.course
    titles = {chapter.id: chapter.title for chapter in module.film.manifest.chapters}
    chapters = "".join(
        f"<li><h3>{text(titles.get(part.film_chapter, part.film_chapter))}</h3><p>{text(part.summary)}</p></li>"
        for part in course.preparation.chapters
    )
    questions = "".join(f"<li>{text(item.question)}</li>" for item in course.preparation.knowledge_check.items)
    goals = "".join(f"<li>{text(goal)}</li>" for goal in course.learning_goals)
    return (
        f'<main id="rk-preview" class="rk-preview" aria-labelledby="rk-preview-title">'
        f'<p><a href="?">← Alla moduler</a></p><h1 id="rk-preview-title">{text(course.title)}</h1>'
        f'<p class="rk-lead">{text(course.summary)}</p>'
        f'<p class="rk-meta">För: {text(", ".join(course.audience))} · Tid totalt: ca {duration(course.minutes)}</p>'
        f"<h2>Det här lär du dig</h2><ul>{goals}</ul>"
        f'<h2>Filmens kapitel</h2><ol class="rk-preview-chapters">{chapters}</ol>'
        f"<h2>Kunskapsfrågor</h2><ol>{questions}</ol></main>"
    )


def module_title(module: Module) -> str:
    """Only what every signed-in person may read of any module: its title, as on the catalog card."""
    return (
        f'<main id="rk-preview" class="rk-preview" aria-labelledby="rk-preview-title">'
        f'<p><a href="?">← Alla moduler</a></p><h1 id="rk-preview-title">{text(module.course.title)}</h1></main>'
    )


def extent(slug: str, arguments: Mapping[str, object], environ: Mapping[str, str], person_cookie: str | None,
           var: Path) -> Extent:
    """How much of module `slug` a request may be shown before its kernel has decided anything (see above)."""
    if not slug or any(name in arguments for name in NOT_THIS_MODULE):
        return Extent.NONE
    signed_in = any(environ.get(name) for name in SIGNED_IN)
    if not signed_in and not (environ.get(DEMO) == "1" and person_cookie):
        return Extent.NONE
    return Extent.TEXT if open_to_everyone_here(environ, var) else Extent.TITLE


@dataclass(frozen=True)
class Content:
    """One version of the content: its catalog key, the catalog, and the previews rendered from it so far."""

    key: str = ""
    catalog: Catalog | None = None
    rendered: dict[tuple[str, Extent], str] = field(default_factory=dict)


@dataclass
class Previews:
    """The catalog as this server process last read it, and each module's preview rendered once per content."""

    root: Path
    cache: Path
    clock: Callable[[], float] = time.monotonic
    content: Content = field(default_factory=Content)
    _checked: float = float("-inf")
    _refreshing: threading.Lock = field(default_factory=threading.Lock)

    def load(self) -> None:
        """Read the catalog now (at start-up, before the first page); later edits are picked up by `refresh`."""
        key = catalog_key(self.root)
        if key != self.content.key:
            self.content = Content(key, cached_catalog(self.root, self.cache))
        self._checked = self.clock()

    def refresh(self) -> None:
        """Look for edited content every REFRESH_SECONDS, in a thread of its own: never in a request's way."""
        if self.clock() - self._checked < REFRESH_SECONDS or not self._refreshing.acquire(blocking=False):
            return
        self._checked = self.clock()

        def reload() -> None:
            try:
                self.load()
            except Exception:
                log.exception("the preview could not read the content; the previous text is kept")
            finally:
                self._refreshing.release()

        threading.Thread(target=reload, name="preview-refresh", daemon=True).start()

    def markup(self, slug: str, shown: Extent) -> str:
        """The preview of module `slug` to `shown` extent; empty for an unknown slug or no extent."""
        content = self.content
        if shown is Extent.NONE or content.catalog is None:
            return ""
        if (slug, shown) not in content.rendered:
            try:
                module = content.catalog.module(slug)
            except KeyError:
                return ""
            content.rendered[(slug, shown)] = module_text(module) if shown is Extent.TEXT else module_title(module)
        return content.rendered[(slug, shown)]
