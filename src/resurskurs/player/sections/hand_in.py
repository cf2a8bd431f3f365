"""Handing in: the checklist from the one progress rule, the button, the question before a hand-in that is
not complete or replaces one, and the outcome.

The hand-in is sent from a thread of its own, so drafts keep saving while the grader works.
"""

from __future__ import annotations

import logging
import threading

import ipywidgets as w

from resurskurs.core.progress import Step, missing, steps
from resurskurs.player.sections.feedback import resubmit_question, review_html
from resurskurs.player.session import SAVE_FAILED, ModuleSession
from resurskurs.ui.html import LiveBlock, block, heading
from resurskurs.ui.markup import text

SENDING = "Skickar din inlämning …"
SLOW = "Det tar en stund att ta emot inlämningen. Du kan fortsätta arbeta under tiden – allt sparas."
WHAT_LEAVES = (
    "När du lämnar in skickas dina kunskapsfrågor, din reflektion, din anteckning från Pröva i praktiken "
    "och din utvärdering till resursteamet. Din loggbok lämnas inte in."
)
INCOMPLETE = (
    "Lämnar du in nu blir modulen inlämnad men inte klar, och den räknas inte som klar för din rektor. "
    "Du kan lämna in igen när du har gjort resten."
)
log = logging.getLogger("resurskurs")


def checklist(session: ModuleSession) -> str:
    """The steps of the one progress rule; drawn again after every save, so it never lags behind the answers."""
    rows = "".join(
        f"<li>{'✓ Klart' if step.done else '○ Inte klart'}: {text(step.label)}</li>"
        for step in steps(session.module, session.answers)
    )
    return f'<ul class="rk-checklist">{rows}</ul>'


def question_html(left: list[Step], resubmit: str) -> str:
    """What is still missing, in the checklist's words, and (for a resubmission) what it replaces."""
    parts = []
    if left:
        rows = "".join(f"<li>{text(step.label)}</li>" for step in left)
        parts.append(
            f"<p><strong>Modulen är inte klar än.</strong> Det här saknas:</p><ul>{rows}</ul><p>{text(INCOMPLETE)}</p>"
        )
    if resubmit:
        parts.append(f"<p>{text(resubmit)}</p>")
    return f'<div role="alert" class="rk-hand-in-question">{"".join(parts)}</div>'


def hand_in_section(session: ModuleSession) -> list[w.Widget]:
    """Hand in the knowledge check, reflection, practice note and evaluation; the logbook stays private."""
    slug = session.course.slug
    ticks = LiveBlock(lambda: checklist(session))
    rubric = session.course.preparation.reflection.rubric
    outcome = block(review_html(session.review, rubric))
    status = block("")
    button = w.Button(description="Lämna in" if session.review is None else "Lämna in igen")
    button.add_class("rk-button")
    button.add_class("rk-primary")
    question = block("")
    again = w.Button(description="Ja, lämna in igen")
    cancel = w.Button(description="Avbryt")
    for choice in (again, cancel):
        choice.add_class("rk-button")
    again.add_class("rk-primary")
    confirm = w.VBox([question, w.HBox([again, cancel])], layout=w.Layout(display="none"))

    def slow() -> None:
        status.value = f'<p role="status">{text(SLOW)}</p>'

    def wait_for_answer() -> None:
        try:
            sent = session.backend.hand_in(slug, session.answers.hand_in(), slow)
        except Exception:
            log.exception("the hand-in of %s could not be sent", slug)
            accepted, messages = False, [SAVE_FAILED]
        else:
            accepted, messages = sent.accepted, sent.messages
        items = "".join(f"<li>{text(message)}</li>" for message in messages)
        role = "status" if accepted else "alert"
        status.value = f'<div role="{role}" class="{"rk-ok" if accepted else "rk-problem"}"><ul>{items}</ul></div>'
        if accepted:
            session.review = session.backend.own_reviews().get(slug)
            outcome.value = review_html(session.review, rubric)
            button.description = "Lämna in igen"
        session.redraw()
        button.disabled = False

    def hand_in(_: object) -> None:
        button.disabled = True
        status.value = f'<p role="status">{text(SENDING)}</p>'
        threading.Thread(target=wait_for_answer, name="hand-in", daemon=True).start()

    def ask(_: object) -> None:
        """A module with steps missing, or a resubmission (it replaces the one handed in), is confirmed first."""
        left = missing(session.module, session.answers)
        if session.review is None and not left:
            hand_in(_)
            return
        button.disabled = True
        status.value = ""
        question.value = question_html(left, resubmit_question(session.review) if session.review else "")
        again.description = "Ja, lämna in igen" if session.review else "Lämna in ändå"
        confirm.layout.display = "flex"

    def answered(choice: w.Button) -> None:
        confirm.layout.display = "none"
        question.value = ""
        if choice is again:
            hand_in(choice)
        else:
            button.disabled = False

    button.on_click(ask)
    again.on_click(answered)
    cancel.on_click(answered)
    return [heading("Lämna in", "rk-lamna-in", WHAT_LEAVES), ticks, outcome, button, confirm, status]
