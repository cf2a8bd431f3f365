"""The knowledge check: each question with its explanations once the learner has tried it."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.schema import QuizItem
from resurskurs.ui.html import heading
from resurskurs.ui.widgets import ChoiceQuestion

RIGHT = "Rätt svar!"
NOT_QUITE = "Inte helt rätt. Läs förklaringarna och försök gärna igen."


def quiz_section(session: ModuleSession) -> list[w.Widget]:
    widgets: list[w.Widget] = [heading("Kunskapsfrågor", "rk-kunskapsfragor")]
    for number, item in enumerate(session.course.preparation.knowledge_check.items, start=1):
        previous = session.answers.quiz.get(item.id)
        question = ChoiceQuestion(
            number=number,
            question=item.question,
            kind=item.kind,
            options=[{"text": option.text} for option in item.options],
            selected=previous.selected if previous else [],
            attempts=previous.attempts if previous else 0,
        )
        if previous and previous.attempts:
            show_feedback(question, item)

        def checked(_: object, question: ChoiceQuestion = question, item: QuizItem = item) -> None:
            question.attempts += 1
            correct = show_feedback(question, item)
            answer = {"selected": question.selected, "attempts": question.attempts, "correct": correct}
            session.save(("quiz", item.id), answer)

        question.observe(checked, names="check")
        widgets.append(question)
    return widgets


def show_feedback(question: ChoiceQuestion, item: QuizItem) -> bool:
    """Show every option's explanation and a verdict; return whether the answer was right."""
    chosen = sorted(set(question.selected))
    question.feedback = [
        {"chosen": index in chosen, "correct": option.correct, "explanation": option.explanation}
        for index, option in enumerate(item.options)
    ]
    right = chosen == item.correct_indices
    question.verdict = RIGHT if right else NOT_QUITE
    return right
