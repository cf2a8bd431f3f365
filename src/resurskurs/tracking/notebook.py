"""The nbgrader source notebook of a module, derived from the course schema.

Knowledge-check items become autograded answer cells with hidden tests and the item's points;
the reflection assignment becomes a manually graded answer with its rubric beside it; the
practice note and the survey are plain, ungraded cells. The logbook at the film's stops is
private and never part of a submission. Cell ids are fixed, so building twice gives the same file.
"""

from __future__ import annotations

import json
from typing import Any

import nbformat
from nbformat import NotebookNode

from resurskurs.gradebook.cells import ANSWERS, PRACTICE_ID, REFLECTION_ID, SURVEY, SURVEY_ID
from resurskurs.schema import Course, QuizItem


def _nbgrader(
    grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False, points: int = 0
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "solution": solution,
        "locked": locked,
        "grade_id": grade_id,
        "schema_version": 3,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _markdown(cell_id: str, source: str, **nbgrader: Any) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source, id=cell_id)
    if nbgrader:
        cell.metadata.update(_nbgrader(cell_id, **nbgrader))
    return cell


def _code(cell_id: str, source: str, **nbgrader: Any) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source, id=cell_id)
    if nbgrader:
        cell.metadata.update(_nbgrader(cell_id, **nbgrader))
    return cell


def answer_cell_id(item: QuizItem) -> str:
    return f"svar-{item.id}"


def test_cell_id(item: QuizItem) -> str:
    return f"test-{item.id}"


def answer_source(item: QuizItem, selected: list[int]) -> str:
    return f"{ANSWERS}[{item.id!r}] = {sorted(selected)!r}"


def _quiz(item: QuizItem, number: int) -> list[NotebookNode]:
    options = "\n".join(f"{index}. {option.text}" for index, option in enumerate(item.options))
    kind = "Ett svar är rätt." if item.kind == "single" else "Ett eller flera svar är rätt."
    correct = item.correct_indices
    return [
        _markdown(f"fraga-{item.id}", f"### Fråga {number}\n\n{item.question}\n\n{kind}\n\n{options}", locked=True),
        _code(
            answer_cell_id(item), f"### BEGIN SOLUTION\n{answer_source(item, correct)}\n### END SOLUTION", solution=True
        ),
        _code(
            test_cell_id(item),
            f"### BEGIN HIDDEN TESTS\nassert sorted({ANSWERS}.get({item.id!r}, [])) == "
            f"{correct!r}\n### END HIDDEN TESTS",
            grade=True,
            locked=True,
            points=item.points,
        ),
    ]


def source_notebook(course: Course) -> NotebookNode:
    reflection = course.preparation.reflection
    rubric = "\n".join(f"- **{c.criterion}**: {c.description}" for c in reflection.rubric)
    cells = [
        _markdown(
            "inledning",
            f"# {course.title}\n\nInlämning från resurskurs: kunskapsfrågor, reflektionsuppgift, "
            "pröva i praktiken och utvärdering.",
            locked=True,
        ),
        _code("forberedelse", f"{ANSWERS} = {{}}", locked=True),
    ]
    for number, item in enumerate(course.preparation.knowledge_check.items, start=1):
        cells += _quiz(item, number)
    cells += [
        _markdown(
            "reflektion-uppgift",
            f"## Reflektionsuppgift\n\n{reflection.prompt}\n\nMinst {reflection.min_words} ord.",
            locked=True,
        ),
        _markdown(REFLECTION_ID, "Skriv din reflektion här.", grade=True, solution=True, points=len(reflection.rubric)),
        _markdown("bedomningsstod", f"### Bedömningsstöd för resursteamet\n\n{rubric}", locked=True),
        _markdown(
            "praktik-uppgift",
            f"## Pröva i praktiken\n\n{course.practice.task}\n\n{course.practice.note_prompt}",
            locked=True,
        ),
        _markdown(PRACTICE_ID, ""),
        _code(SURVEY_ID, f"{SURVEY} = {{}}"),
    ]
    cells[-2].metadata["resurskurs"] = {"answer": "practice"}
    cells[-1].metadata["resurskurs"] = {"answer": "survey"}
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update(
        {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "resurskurs": {"slug": course.slug, "rubric": [c.model_dump() for c in reflection.rubric]},
        }
    )
    return notebook


def survey_source(likert: dict[str, int], open_answers: dict[str, str]) -> str:
    payload = {"likert": likert, "open": open_answers}
    return f"{SURVEY} = {json.dumps(payload, ensure_ascii=False, indent=1)}"
