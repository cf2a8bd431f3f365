"""The course page: the module's parts in the order of the cycle, A → B → C → D, then the evaluation and
the hand-in. The status, the part list and the checklist follow the learner's answers as they are saved."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.sections.easy_read import easy_read_section
from resurskurs.player.sections.film import film_section
from resurskurs.player.sections.flashcards import flashcards_section
from resurskurs.player.sections.follow_up import baseline_section, follow_up_survey_section
from resurskurs.player.sections.hand_in import hand_in_section
from resurskurs.player.sections.header import header, jump_bar
from resurskurs.player.sections.legal import legal_section
from resurskurs.player.sections.practice import practice_section
from resurskurs.player.sections.quiz import quiz_section
from resurskurs.player.sections.reading import reading_section
from resurskurs.player.sections.reflection import reflection_section
from resurskurs.player.sections.routines import routines_section
from resurskurs.player.sections.survey import survey_section
from resurskurs.player.sections.workshop import follow_up_section, workshop_section
from resurskurs.player.session import ModuleSession
from resurskurs.ui.html import live_blocks, page


def course_page(session: ModuleSession) -> w.VBox:
    root = page(
        [
            *header(session),
            jump_bar(),
            *baseline_section(session),
            *film_section(session),
            *easy_read_section(session),
            *quiz_section(session),
            *reflection_section(session),
            *flashcards_section(session),
            workshop_section(session),
            *practice_section(session),
            *routines_section(session),
            follow_up_section(session),
            *survey_section(session),
            *hand_in_section(session),
            *follow_up_survey_section(session),
            *legal_section(session),
            reading_section(session),
        ]
    )
    live = live_blocks(root)

    def redraw() -> None:
        for block in live:
            block.refresh()

    session.on_saved(redraw)
    return root
