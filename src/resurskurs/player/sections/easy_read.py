"""Lättläst: a short plain summary of each chapter, the quiz, the reflection and the practice task in plain
words, and the module's word list, for staff still learning Swedish. Closed by default (a toggle), so it helps
those who want it without lengthening the page for others."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.ui.html import block
from resurskurs.ui.markup import text


def easy_read_section(session: ModuleSession) -> list[w.Widget]:
    easy = session.course.easy_read
    if easy is None:
        return []
    titles = {chapter.id: chapter.title for chapter in session.module.film.manifest.chapters}
    chapters = "".join(
        f"<li><h4>{text(titles.get(summary.film_chapter, summary.film_chapter))}</h4><p>{text(summary.text)}</p></li>"
        for summary in easy.chapters
    )
    words = "".join(f"<div><dt>{text(item.word)}</dt><dd>{text(item.meaning)}</dd></div>" for item in easy.words)
    parts = [
        ("Kunskapsfrågorna", easy.knowledge_check),
        ("Reflektionsuppgiften", easy.reflection),
        ("Pröva i praktiken", easy.practice),
    ]
    tasks = "".join(f"<h3>{title}</h3><p>{text(plain)}</p>" for title, plain in parts if plain)
    return [
        block(
            '<details class="rk-easy-read rk-disclosure" id="rk-lattlast"><summary>Lättläst – kort om varje '
            f'kapitel och uppgifterna, och en ordlista</summary><ol class="rk-easy-chapters">{chapters}</ol>{tasks}'
            f'<h3>Ord i modulen</h3><dl class="rk-word-list">{words}</dl></details>'
        )
    ]
