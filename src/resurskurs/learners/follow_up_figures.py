"""The 3-month follow-up counted per unit and for the district, shown only where `disclosure.disclosed` lets it be,
and published as the units' snapshots (`gradebook/snapshots.py`): the same rules as the end-of-module evaluation.
The answers are `learners/follow_up.py`'s files; the snapshots live in the gradebook beside the evaluation's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from resurskurs.catalog.load import Catalog, Module
from resurskurs.core.answers import SurveyAnswer
from resurskurs.core.disclosure import disclosed_units
from resurskurs.core.figures import DISTRICT, EvaluationFigures, LikertFigures
from resurskurs.gradebook.snapshots import Survey, published
from resurskurs.learners.follow_up import FollowUpStore


def figures(module: Module, group: str, answers: Sequence[SurveyAnswer]) -> EvaluationFigures:
    """One group's follow-up in the evaluation's shape, open answers sorted so no order points to a person."""
    survey = module.course.follow_up_survey
    assert survey is not None
    answered = [a for a in answers if a.likert or any(text.strip() for text in a.open.values())]
    likert = []
    for item in survey.likert:
        counts = [0] * 5
        for answer in answered:
            if item.id in answer.likert:
                counts[answer.likert[item.id] - 1] += 1
        likert.append(LikertFigures(item.id, item.statement, tuple(counts)))
    written = {q.id: sorted(t.strip() for a in answered if (t := a.open.get(q.id, "")).strip()) for q in survey.open}
    return EvaluationFigures(module.course.slug, group, len(answered), likert, written)


def follow_ups(
    root: Path, catalog: Catalog, units_of: Mapping[str, str], db_url: str
) -> dict[tuple[str, str], EvaluationFigures]:
    """Per (unit, slug) and (DISTRICT, slug): the units' snapshots and their sum, only what `disclosed` lets be
    shown; staff answers only."""
    live: dict[tuple[str, str], EvaluationFigures] = {}
    for module in catalog.modules:
        if module.course.follow_up_survey is None:
            continue
        by_unit: dict[str, list[SurveyAnswer]] = defaultdict(list)
        for person_id, answer in FollowUpStore(root, module.course.slug).all().items():
            if person_id in units_of:
                by_unit[units_of[person_id]].append(answer)
        for unit, answers in by_unit.items():
            found = figures(module, unit, answers)
            if found.answered:
                live[unit, module.course.slug] = found
    return disclosed_units(published(db_url, Survey.FOLLOW_UP, live))


def visible_follow_ups(
    root: Path, catalog: Catalog, units_of: Mapping[str, str], units: Sequence[str], db_url: str
) -> list[EvaluationFigures]:
    """The disclosed follow-up of the given units and of the district (for comparison); nothing else."""
    shown = follow_ups(root, catalog, units_of, db_url)
    return [found for (group, _), found in sorted(shown.items()) if group in units or group == DISTRICT]
