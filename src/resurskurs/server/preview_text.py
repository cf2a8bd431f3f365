"""Each module's preview rendered from the catalog, in a process of its own: `python -m resurskurs.server.preview_text
ROOT CACHE KEY` prints {"key": KEY, "modules": {slug: {extent: HTML}}} as JSON for server/preview.py, which has
just computed KEY (the catalog key of ROOT).

It loads the catalog through its cache, so the server's first kernels find it cached.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from resurskurs.catalog.cache import cached_catalog
from resurskurs.catalog.load import Catalog, Module
from resurskurs.server.preview import Extent
from resurskurs.ui.markup import duration, text


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


def main(arguments: list[str]) -> None:
    root, cache, key = arguments
    print(json.dumps({"key": key, "modules": previews(cached_catalog(Path(root), Path(cache), key))}))


if __name__ == "__main__":
    main(sys.argv[1:])
