"""The 3-month follow-up counted per unit and for the district, shown only where `disclosure.disclosed` lets it be,
and published as the units' snapshots (`gradebook/snapshots.py`): the same rules as the end-of-module evaluation.
Beside each rating, the change since the same people's baseline. The answers are `learners/follow_up.py`'s files;
the snapshots live in the gradebook beside the evaluation's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from resurskurs.catalog.load import Catalog, Module
from resurskurs.core.answers import SurveyAnswer
from resurskurs.core.disclosure import MIN_ANSWERS, disclosed_units
from resurskurs.core.figures import DISTRICT, EvaluationFigures, LikertFigures
from resurskurs.gradebook.snapshots import Survey, published
from resurskurs.learners.follow_up import BASELINE_FOLDER, FollowUpStore


def _counts(ratings: Iterable[int]) -> tuple[int, ...]:
    counts = [0] * 5
    for rating in ratings:
        counts[rating - 1] += 1
    return tuple(counts)


def figures(
    module: Module, group: str, answers: Mapping[str, SurveyAnswer], baselines: Mapping[str, SurveyAnswer]
) -> EvaluationFigures:
    """One group's follow-up in the evaluation's shape, open answers sorted so no order points to a person.

    Each rating item also carries the change since before the module, counted over the people who rated it both
    times, and only when at least MIN_ANSWERS did: a smaller paired group could be told apart in the figures."""
    survey = module.course.follow_up_survey
    assert survey is not None
    given = {p: a for p, a in answers.items() if a.likert or any(text.strip() for text in a.open.values())}
    answered = list(given.values())
    likert = []
    for item in survey.likert:
        pairs = [
            (baselines[p].likert[item.id], a.likert[item.id])
            for p, a in given.items()
            if item.id in a.likert and p in baselines and item.id in baselines[p].likert
        ]
        if len(pairs) < MIN_ANSWERS:
            pairs = []
        likert.append(
            LikertFigures(
                item.id,
                item.statement,
                _counts(a.likert[item.id] for a in answered if item.id in a.likert),
                _counts(before for before, _ in pairs) if pairs else (),
                _counts(now for _, now in pairs) if pairs else (),
            )
        )
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
        by_unit: dict[str, dict[str, SurveyAnswer]] = defaultdict(dict)
        for person_id, answer in FollowUpStore(root, module.course.slug).all().items():
            if person_id in units_of:
                by_unit[units_of[person_id]][person_id] = answer
        baselines = FollowUpStore(root, module.course.slug, BASELINE_FOLDER).all()
        for unit, answers in by_unit.items():
            found = figures(module, unit, answers, baselines)
            if found.answered:
                live[unit, module.course.slug] = found
    return disclosed_units(published(db_url, Survey.FOLLOW_UP, live))


def visible_follow_ups(
    root: Path, catalog: Catalog, units_of: Mapping[str, str], units: Sequence[str], db_url: str
) -> list[EvaluationFigures]:
    """The disclosed follow-up of the given units and of the district (for comparison); nothing else."""
    shown = follow_ups(root, catalog, units_of, db_url)
    return [found for (group, _), found in sorted(shown.items()) if group in units or group == DISTRICT]
