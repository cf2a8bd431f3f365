"""The end-of-module evaluation: statements on the schema's agreement scale and open questions."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import LIKERT_SCALE
from resurskurs.ui.html import heading
from resurskurs.ui.widgets import LikertItem, TextAnswer


def survey_section(session: ModuleSession) -> list[w.Widget]:
    survey = session.course.survey
    likert_values, open_values = session.answers.survey.likert, session.answers.survey.open
    widgets: list[w.Widget] = [
        heading(
            "Utvärdering",
            "rk-utvardering",
            "Dina svar hjälper resursteamet att göra modulerna bättre. "
            "Svaren redovisas bara för grupper, aldrig med namn.",
        )
    ]
    for item in survey.likert:
        likert = LikertItem(statement=item.statement, scale=list(LIKERT_SCALE), value=likert_values.get(item.id, 0))

        def rated(change: dict[str, Any], item_id: str = item.id) -> None:
            session.save(("survey", "likert", item_id), change["new"])

        likert.observe(rated, names="value")
        widgets.append(likert)
    for question in survey.open:
        answer = TextAnswer(label=question.question, value=open_values.get(question.id, ""), rows=3)

        def wrote(change: dict[str, Any], question_id: str = question.id, answer: TextAnswer = answer) -> None:
            session.save(("survey", "open", question_id), change["new"], answer)

        answer.observe(wrote, names="value")
        widgets.append(answer)
    return widgets
