"""The evaluation answers of a submission, kept as rows so the views can count them per group.

Only the latest submission counts: a resubmission replaces the person's earlier answers.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from resurskurs.catalog.load import Module
from resurskurs.tracking.own_tables import EVALUATION, create_tables


def evaluation_rows(module: Module, person_id: str, answers: dict[str, Any]) -> list[dict[str, object]]:
    """Likert values 1–5 and non-empty open answers for the items this module asks."""
    survey = answers.get("survey") or {}
    likert = survey.get("likert") or {}
    open_answers = survey.get("open") or {}
    slug = module.course.slug
    rows: list[dict[str, object]] = []
    for item in module.course.survey.likert:
        value = likert.get(item.id)
        if isinstance(value, int) and 1 <= value <= 5:
            rows.append({"person_id": person_id, "slug": slug, "item_id": item.id, "value": value, "text": None})
    for question in module.course.survey.open:
        text = str(open_answers.get(question.id) or "").strip()
        if text:
            rows.append({"person_id": person_id, "slug": slug, "item_id": question.id, "value": None, "text": text})
    return rows


def record_evaluation(engine: sa.Engine, module: Module, person_id: str, answers: dict[str, Any]) -> None:
    write_evaluations(engine, [(person_id, module.course.slug)], evaluation_rows(module, person_id, answers))


def write_evaluations(engine: sa.Engine, keys: list[tuple[str, str]], rows: list[dict[str, object]]) -> None:
    """Replace the answers of every (person, slug) in `keys` with `rows`, in one transaction."""
    create_tables(engine)
    with engine.begin() as connection:
        connection.execute(EVALUATION.delete().where(sa.tuple_(EVALUATION.c.person_id, EVALUATION.c.slug).in_(keys)))
        if rows:
            connection.execute(EVALUATION.insert(), rows)
