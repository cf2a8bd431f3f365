"""Part C: the task to try at work, ticked when done, with a note for the hand-in."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import Part
from resurskurs.ui.html import block
from resurskurs.ui.markup import bullets, part_heading, text
from resurskurs.ui.widgets import TextAnswer


def practice_section(session: ModuleSession) -> list[w.Widget]:
    practice = session.course.practice
    saved = session.answers.practice
    done = w.Checkbox(value=saved.done, description="Jag har prövat uppgiften", indent=False)
    note = TextAnswer(label=practice.note_prompt, value=saved.note, rows=5)
    done.observe(lambda change: session.save(("practice", "done"), change["new"]), names="value")
    note.observe(lambda change: session.save(("practice", "note"), change["new"], note), names="value")
    return [
        block(
            part_heading(Part.C, practice.minutes)
            + f"<p>{text(practice.task)}</p>"
            + bullets(practice.steps, ordered=True)
        ),
        done,
        note,
    ]
