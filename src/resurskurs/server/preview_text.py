"""Each module's preview rendered from the catalog, in a process of its own: `python -m resurskurs.server.preview_text
ROOT CACHE KEY` prints {"key": KEY, "modules": {slug: {extent: HTML}}} as JSON for server/preview.py, which has
just computed KEY (the catalog key of ROOT).

It loads the catalog through its cache, so the server's first kernels find it cached, and keeps the JSON in the
same folder (`stored_file`), so a server started again on the same content and code need not start it; the
previews of older content are removed. A folder that cannot be written only means rendering at every start.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from resurskurs.catalog.cache import cached_catalog
from resurskurs.catalog.load import Catalog, Module
from resurskurs.files import remove_others, write_atomically
from resurskurs.server.preview import STORED_PREFIX, Extent, stored_file
from resurskurs.ui.markup import duration, text

log = logging.getLogger("resurskurs.preview")


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


def previews(catalog: Catalog) -> dict[str, dict[str, str]]:
    """Every module's title-only and whole-text preview, by slug and extent."""
    return {
        module.course.slug: {Extent.TITLE.value: module_title(module), Extent.TEXT.value: module_text(module)}
        for module in catalog.modules
    }


def keep(cache: Path, key: str, built: str) -> None:
    """Store `built` for `key` and drop the previews of older content; a folder that cannot be written is no error."""
    file = stored_file(cache, key)
    try:
        write_atomically(file, built.encode())
        remove_others(cache, f"{STORED_PREFIX}*.json", [file])
    except OSError as error:
        log.info("the previews are not kept in %s: %s", cache, error.strerror)


def main(arguments: list[str]) -> None:
    root, cache, key = arguments
    built = json.dumps({"key": key, "modules": previews(cached_catalog(Path(root), Path(cache), key))})
    keep(Path(cache), key, built)
    print(built)


if __name__ == "__main__":
    main(sys.argv[1:])
