"""The module's legal points, each with the day it was checked against the law and the day it must be checked
again: a reader can see how fresh the law in a module is, and an overdue point says so."""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.ui.html import block
from resurskurs.ui.markup import text


def legal_section(session: ModuleSession, today: date | None = None) -> list[w.Widget]:
    points = session.course.legal
    if not points:
        return []
    today = today or date.today()
    items = []
    for point in points:
        overdue = (
            ' <strong class="rk-problem">Ska granskas igen – fråga resursteamet om det fortfarande gäller.</strong>'
            if point.review_by < today
            else ""
        )
        items.append(
            f'<li><p>{text(point.text)}</p><p class="rk-small">Källa: {text(point.source)} · Kontrollerad '
            f"{point.checked.isoformat()} · Granskas senast {point.review_by.isoformat()}{overdue}</p></li>"
        )
    return [block(f'<h2 id="rk-lagen">Det säger lagen</h2><ul class="rk-legal">{"".join(items)}</ul>')]
