"""The module's text in the first HTML response, so people start reading while Voilà's front-end and the widgets load.

The page handler puts it where the template leaves `SLOT`; the template hides it once the widget page has
rendered (resurskurs/index.html.j2). It is built from the course schema alone and is the same for everyone:
no name, no answer, no progress, nothing a kernel decides per person. A process of its own renders it
(server/preview_text.py) and this one keeps only the HTML: the catalog and its code would otherwise sit in
every user server under the hub (about 14 MiB of private memory, tests/test_preview.py).

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

import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from resurskurs.backend import open_to_everyone_here
from resurskurs.catalog.key import catalog_key
from resurskurs.learners.identity import DEMO, SIGNED_IN

SLOT = "<!-- resurskurs: the module's text -->"
"""Where the template takes the preview: plain text in the template, so Jinja emits it in one piece."""
REFRESH_SECONDS = 60.0
"""How often the content is checked for edits; a kernel reads it when it preheats, the preview within a minute."""
BUILD_SECONDS = 120
"""How long rendering the previews may take: loading a catalog that is not cached yet reads every course file."""
STORED_PREFIX = "previews-"
"""The renderer's files in the cache folder, one per catalog key (server/preview_text.py drops older ones)."""
NOT_THIS_MODULE = ("vy", "byt", "utskrift")
"""Query arguments that make the page an overview, the demo picker or a printable guide, never the module itself."""

log = logging.getLogger("resurskurs.preview")


class Extent(Enum):
    """How much of a module the first response may carry."""

    NONE = "none"
    TITLE = "title"
    TEXT = "text"


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
    """One version of the content: its catalog key and each module's preview per extent (slug → extent → HTML)."""

    key: str = ""
    markup: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def stored_file(cache: Path, key: str) -> Path:
    """Where the renderer keeps the previews of the content whose catalog key is `key`."""
    return cache / f"{STORED_PREFIX}{key}.json"


def _stored(cache: Path, key: str) -> Content | None:
    """The previews the renderer kept for `key`, or None when there are none that can be read."""
    file = stored_file(cache, key)
    try:
        built = json.loads(file.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        log.warning("the stored previews %s are unreadable (%s); rendering them again", file, error)
        return None
    modules = built.get("modules") if isinstance(built, dict) else None
    if not isinstance(modules, dict) or built.get("key") != key:
        log.warning("the stored previews %s are not previews of this content; rendering them again", file)
        return None
    return Content(key, modules)


def rendered(root: Path, cache: Path, key: str) -> Content:
    """The previews of every module of `root` (whose catalog key is `key`), rendered by a process of its own
    (server/preview_text.py), so this process never holds the catalog or its code; the catalog it loads stays
    cached for the kernels. The renderer keeps what it rendered in the cache, so a server started again on the
    same content and code reads the previews instead of starting it (under the hub, every start of a user server
    after the person's first)."""
    stored = _stored(cache, key)
    if stored is not None:
        return stored
    done = subprocess.run(
        [sys.executable, "-m", "resurskurs.server.preview_text", str(root), str(cache), key],
        capture_output=True, text=True, timeout=BUILD_SECONDS, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the previews could not be rendered: {done.stderr.strip()[-2000:]}")
    built = json.loads(done.stdout)
    return Content(built["key"], built["modules"])


@dataclass
class Previews:
    """The previews as this server process last rendered them, by the content they came from."""

    root: Path
    cache: Path
    clock: Callable[[], float] = time.monotonic
    content: Content = field(default_factory=Content)
    _checked: float = float("-inf")
    _refreshing: threading.Lock = field(default_factory=threading.Lock)

    def load(self) -> None:
        """Render now (at start-up, before the first page); later edits are picked up by `refresh`."""
        key = catalog_key(self.root)
        if key != self.content.key:
            self.content = rendered(self.root, self.cache, key)
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
        if shown is Extent.NONE:
            return ""
        return self.content.markup.get(slug, {}).get(shown.value, "")
