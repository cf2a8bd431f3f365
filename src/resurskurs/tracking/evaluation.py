"""The evaluation answers of a submission, kept as rows so the views can count them per group.

Only the latest submission counts: a resubmission replaces the person's earlier answers.
"""

from __future__ import annotations

import sqlalchemy as sa

from resurskurs.catalog.load import Module
from resurskurs.core.answers import SurveyAnswer
from resurskurs.gradebook.engine import in_batches
from resurskurs.gradebook.migrations import upgrade
from resurskurs.gradebook.tables import EVALUATION


def evaluation_rows(module: Module, person_id: str, survey: SurveyAnswer) -> list[dict[str, object]]:
    """Likert values 1–5 and non-empty open answers for the items this module asks."""
    likert, open_answers = survey.likert, survey.open
    slug = module.course.slug
    rows: list[dict[str, object]] = []
    for item in module.course.survey.likert:
        value = likert.get(item.id)
        if value is not None:
            rows.append({"person_id": person_id, "slug": slug, "item_id": item.id, "value": value, "text": None})
    for question in module.course.survey.open:
        text = open_answers.get(question.id, "").strip()
        if text:
            rows.append({"person_id": person_id, "slug": slug, "item_id": question.id, "value": None, "text": text})
    return rows


def write_evaluations(engine: sa.Engine, keys: list[tuple[str, str]], rows: list[dict[str, object]]) -> None:
    """Replace the answers of every (person, slug) in `keys` with `rows`, in one transaction."""
    upgrade(engine)
    with engine.begin() as connection:
        answered = sa.tuple_(EVALUATION.c.person_id, EVALUATION.c.slug)
        for batch in in_batches(keys):
            connection.execute(EVALUATION.delete().where(answered.in_(batch)))
        if rows:
            connection.execute(EVALUATION.insert(), rows)
