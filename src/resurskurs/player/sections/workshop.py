"""Parts B and D as the learner prepares for them: the group meeting's questions and the follow-up's."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import Part
from resurskurs.ui.html import block, bullets, part_heading


def workshop_section(session: ModuleSession) -> w.HTML:
    workshop, follow_up = session.course.workshop, session.course.follow_up
    return block(
        part_heading(Part.B, workshop.minutes)
        + "<p>Förbered dig gärna genom att fundera på frågorna innan ni ses.</p>"
        + bullets(workshop.questions)
        + part_heading(Part.D, follow_up.minutes)
        + bullets(follow_up.questions)
    )
