"""The follow-up about three months after the hand-in: what the learner now does differently in practice.

It is asked only once it is due (the module's `after_days` after the hand-in), so the question is about
practice, not about the film. Its rating items are asked once before too, until the hand-in, so principals can
see what changed (`baseline_section`). The answers are kept by `learners/follow_up.py`. An open answer is saved
as it is typed, so the privacy guard looks at it here first, and says what to change; the backend looks again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import ipywidgets as w

from resurskurs.learners.follow_up import due_at, is_due
from resurskurs.player.session import SAVE_FAILED, ModuleSession
from resurskurs.schema.vocabulary import LIKERT_SCALE
from resurskurs.tracking.privacy import PrivateText, refuse_private
from resurskurs.ui.html import block, heading
from resurskurs.ui.markup import text
from resurskurs.ui.widgets import LikertItem, TextAnswer

NOT_SAVED = "Svaret är inte sparat."


def follow_up_survey_section(session: ModuleSession, now: datetime | None = None) -> list[w.Widget]:
    course = session.course
    survey, due = course.follow_up_survey, due_at(course, session.review)
    if survey is None or due is None:
        return []
    if not is_due(course, session.review, now or datetime.now(UTC)):
        return [
            block(
                '<h2 id="rk-uppfoljning">Uppföljning om tre månader</h2><p>Från '
                f"{due.date().isoformat()} får du några frågor här om vad du gör annorlunda i ditt arbete "
                "efter modulen.</p>"
            )
        ]
    person_id = session.store.person_id
    store = session.backend.follow_up(course.slug)
    saved = store.load(person_id)
    widgets: list[w.Widget] = [
        heading(
            "Uppföljning – vad gör du annorlunda nu?",
            "rk-uppfoljning",
            "Det har gått ungefär tre månader sedan du lämnade in modulen. Svaren redovisas bara för grupper "
            "där minst fem har svarat, aldrig med namn.",
        )
    ]

    def save(kind: str, item_id: str, value: Any, widget: TextAnswer | None = None) -> None:
        try:
            if kind == "open":
                refuse_private(value)
            store.save(person_id, course, kind, item_id, value)
        except PrivateText as refused:
            if widget is not None:
                widget.error = f"{NOT_SAVED} {refused}"
            return
        except (OSError, ValueError):
            if widget is not None:
                widget.error = SAVE_FAILED
            return
        if widget is not None:
            widget.error = ""
            widget.saved = f"Sparat {datetime.now():%H:%M}"

    for item in survey.likert:
        likert = LikertItem(statement=item.statement, scale=list(LIKERT_SCALE), value=saved.likert.get(item.id, 0))
        likert.observe(lambda change, item_id=item.id: save("likert", item_id, change["new"]), names="value")
        widgets.append(likert)
    for question in survey.open:
        answer = TextAnswer(label=question.question, value=saved.open.get(question.id, ""), rows=3)

        def wrote(change: dict[str, Any], question_id: str = question.id, answer: TextAnswer = answer) -> None:
            save("open", question_id, change["new"], answer)

        answer.observe(wrote, names="value")
        widgets.append(answer)
    widgets.append(block(f'<p class="rk-small">{text("Svaren sparas när du skriver eller väljer.")}</p>'))
    return widgets


def baseline_section(session: ModuleSession) -> list[w.Widget]:
    """The follow-up's rating items before the module, while the person has not handed it in."""
    course = session.course
    survey = course.follow_up_survey
    if survey is None or not survey.likert or session.review is not None:
        return []
    person_id = session.store.person_id
    store = session.backend.baseline(course.slug)
    saved = store.load(person_id)
    widgets: list[w.Widget] = [
        heading(
            "Innan du börjar – hur gör du i dag?",
            "rk-innan",
            f"{len(survey.likert)} korta frågor om hur du arbetar nu. Samma frågor kommer igen ungefär tre "
            "månader efter modulen, så att ni kan se vad som har förändrats. Svaren redovisas bara för grupper "
            "där minst fem har svarat, aldrig med namn. Du kan hoppa över dem.",
        )
    ]
    note = block("")

    def save(item_id: str, value: int) -> None:
        try:
            store.save(person_id, course, "likert", item_id, value)
        except (OSError, ValueError) as error:
            note.value = f'<p class="rk-error" role="alert">{text(str(error) or SAVE_FAILED)}</p>'
            return
        note.value = f'<p class="rk-small" role="status">Sparat {datetime.now():%H:%M}</p>'

    for item in survey.likert:
        likert = LikertItem(statement=item.statement, scale=list(LIKERT_SCALE), value=saved.likert.get(item.id, 0))
        likert.observe(lambda change, item_id=item.id: save(item_id, change["new"]), names="value")
        widgets.append(likert)
    widgets.append(note)
    return widgets
