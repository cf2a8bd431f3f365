"""The top of a module: title, who it is for, the learner's status and the four parts with their times."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.core.progress import progress
from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import PARTS, Part
from resurskurs.ui.html import block, bullets, duration, text

DAMAGED = (
    "Vi kunde inte läsa allt du hade sparat i den här modulen. En kopia av det sparade finns kvar, och "
    "resursteamet kan hjälpa dig att få tillbaka det. Det du skriver nu sparas som vanligt."
)


def header(session: ModuleSession) -> w.HTML:
    course = session.course
    state = progress(session.module, session.answers, session.review)
    minutes = {
        Part.A: course.preparation.minutes,
        Part.B: course.workshop.minutes,
        Part.C: course.practice.minutes,
        Part.D: course.follow_up.minutes,
    }
    rows = "".join(
        f"<li><strong>{part}</strong> {text(PARTS[part].short)}: {duration(minutes[part])}</li>" for part in Part
    )
    notice = f'<div role="alert" class="rk-problem"><p>{text(DAMAGED)}</p></div>' if session.damaged else ""
    return block(
        f'<p><a href="?">← Alla moduler</a></p><h1>{text(course.title)}</h1>{notice}'
        f'<p class="rk-lead">{text(course.summary)}</p>'
        f'<p class="rk-meta">För: {text(", ".join(course.audience))} · Tid totalt: ca {duration(course.minutes)}'
        f' · <span class="rk-status">{text(state.label)}</span></p>'
        f"<h2>Det här lär du dig</h2>{bullets(course.learning_goals)}"
        f'<h2>Modulens fyra delar</h2><ol class="rk-cycle">{rows}</ol>'
    )
