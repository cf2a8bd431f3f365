"""Further reading: the module's sources, cited so a reader can find them."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.ui.html import block
from resurskurs.ui.markup import text


def reading_section(session: ModuleSession) -> w.HTML:
    items = []
    for item in session.course.reading:
        source = f"{text(item.author)} ({item.year}). <cite>{text(item.title)}</cite>."
        if item.publisher:
            source += f" {text(item.publisher)}."
        if item.url:
            source += f' <a href="{text(str(item.url))}">{text(str(item.url))}</a>'
        if item.note:
            source += f'<br><span class="rk-small">{text(item.note)}</span>'
        items.append(f"<li>{source}</li>")
    return block(f'<h2 id="rk-fordjupning">Fördjupning</h2><ul class="rk-reading">{"".join(items)}</ul>')
