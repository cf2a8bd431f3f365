"""The knowledge check: one verdict per try, the explanation of what the learner chose, and the right
answer only once they have found it or asked to see it."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.schema import QuizItem
from resurskurs.ui.html import heading
from resurskurs.ui.widgets import ChoiceQuestion

RIGHT = "Rätt svar!"
NOT_YET = "Inte rätt än. Läs förklaringen och försök igen, eller visa det rätta svaret."
SHOWN = "Här är det rätta svaret."


def points_intro(items: list[QuizItem]) -> str:
    """Why "9 av 11 poäng" can stand next to eight questions: points are per question, all or nothing."""
    total = sum(item.points for item in items)
    questions = f"{len(items)} frågor" if len(items) != 1 else "1 fråga"
    if total == len(items):
        rule = f"Varje fråga ger 1 poäng, {total} poäng totalt."
    else:
        rule = (
            f"De flesta frågor ger 1 poäng och några 2, {total} poäng totalt på {questions}. "
            "Poängen står vid varje fråga."
        )
    return (
        f"{rule} En fråga ger poäng när hela svaret är rätt. Du kan försöka flera gånger – "
        "det som räknas är svaret du har när du lämnar in."
    )


def quiz_section(session: ModuleSession) -> list[w.Widget]:
    items = session.course.preparation.knowledge_check.items
    widgets: list[w.Widget] = [heading("Kunskapsfrågor", "rk-kunskapsfragor", points_intro(items), level=3)]
    for number, item in enumerate(items, start=1):
        previous = session.answers.quiz.get(item.id)
        question = ChoiceQuestion(
            number=number,
            question=item.question,
            kind=item.kind,
            points=item.points,
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

        def revealed(_: object, question: ChoiceQuestion = question, item: QuizItem = item) -> None:
            show_feedback(question, item, reveal=True)

        question.observe(checked, names="check")
        question.observe(revealed, names="reveal")
        widgets.append(question)
    return widgets


def show_feedback(question: ChoiceQuestion, item: QuizItem, reveal: bool = False) -> bool:
    """One verdict, and explanations: of the options chosen, or of every option once the answer is right or
    the learner asked for it (a wrong first try does not give the answer away). Returns whether it was right."""
    chosen = sorted(set(question.selected))
    right = chosen == item.correct_indices
    everything = right or reveal
    question.feedback = [
        {"chosen": index in chosen, "correct": option.correct, "explanation": option.explanation}
        if everything or index in chosen
        else None
        for index, option in enumerate(item.options)
    ]
    question.verdict = RIGHT if right else SHOWN if reveal else NOT_YET
    return right
