"""Parts B and D as the learner prepares for them: the group meeting's questions and the follow-up's.

They are two sections, so the page can follow the cycle: B before the practice task (C), D after it.
"""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import Part
from resurskurs.ui.html import block
from resurskurs.ui.markup import bullets, part_heading


def workshop_section(session: ModuleSession) -> w.HTML:
    workshop = session.course.workshop
    return block(
        part_heading(Part.B, workshop.minutes)
        + "<p>Förbered dig gärna genom att fundera på frågorna innan ni ses.</p>"
        + bullets(workshop.questions)
    )


def follow_up_section(session: ModuleSession) -> w.HTML:
    follow_up = session.course.follow_up
    return block(
        part_heading(Part.D, follow_up.minutes)
        + "<p>När ni har prövat i praktiken ses ni igen och pratar om de här frågorna.</p>"
        + bullets(follow_up.questions)
    )
