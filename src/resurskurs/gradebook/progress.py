"""The progress query: every staff member × module with status, score and dates, in a few set-based queries.

Runs on any SQLAlchemy URL (SQLite by default, PostgreSQL at scale). A principal's units are a
WHERE clause, so other units' people are never read into their kernel. People who have left the district
are not in the progress rows (never "behind"); their evaluation answers still count in their unit's figures.
Reflection texts are never selected here: principals see progress, not what anyone wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

import sqlalchemy as sa

from resurskurs.catalog.load import Catalog, Module
from resurskurs.core.disclosure import disclosed_units
from resurskurs.core.figures import EvaluationFigures, LikertFigures, ModuleFigures, ProgressRow
from resurskurs.core.progress import Stage, Status
from resurskurs.core.tally import module_figures
from resurskurs.district.roster import Role
from resurskurs.gradebook.engine import reading
from resurskurs.gradebook.nbgrader_tables import ASSIGNMENT, STUDENT, SUBMITTED
from resurskurs.gradebook.reviews import submission_totals
from resurskurs.gradebook.snapshots import Survey, published
from resurskurs.gradebook.tables import ACTIVITY, EVALUATION, PEOPLE


def _staff(units: Collection[str] | None) -> list[sa.ColumnElement[bool]]:
    only = [PEOPLE.c.role == Role.STAFF.value]
    return only if units is None else [*only, PEOPLE.c.unit.in_(sorted(units))]


TABLES = (SUBMITTED.name, PEOPLE.name, ACTIVITY.name)


def has_progress(db_url: str) -> bool:
    """Whether anyone has begun or handed in anything: the demo adds progress only to an empty gradebook."""
    with reading(db_url, *TABLES) as connection:
        if connection is None:
            return False
        return any(
            connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
            for table in (SUBMITTED, ACTIVITY)
        )


def progress_rows(db_url: str, slugs: Sequence[str], units: Collection[str] | None = None) -> list[ProgressRow]:
    """Staff of `units` (all units when None) × `slugs`, sorted by unit, work team and name: three queries.

    A hand-in keeps the percent of the draft by the one progress rule, so one handed in with steps missing
    is never 100 % (and never done)."""
    with reading(db_url, *TABLES) as connection:
        if connection is None:
            return []
        staff = _staff(units)
        people = connection.execute(
            sa.select(PEOPLE.c.id, STUDENT.c.first_name, STUDENT.c.last_name, PEOPLE.c.unit, PEOPLE.c.work_team)
            .join(STUDENT, STUDENT.c.id == PEOPLE.c.id)
            .where(*staff, PEOPLE.c.left_at.is_(None))
            .order_by(PEOPLE.c.unit, PEOPLE.c.work_team, STUDENT.c.first_name, STUDENT.c.last_name, PEOPLE.c.id)
        ).all()
        submitted = {
            (row.student_id, row.slug): row
            for row in connection.execute(
                submission_totals(
                    *staff,
                    ASSIGNMENT.c.name.in_(list(slugs)),
                    joined=SUBMITTED.join(PEOPLE, PEOPLE.c.id == SUBMITTED.c.student_id),
                )
            )
        }
        activity = {
            (person, slug): (started, updated, percent)
            for person, slug, started, updated, percent in connection.execute(
                sa.select(
                    ACTIVITY.c.person_id,
                    ACTIVITY.c.slug,
                    ACTIVITY.c.started_at,
                    ACTIVITY.c.updated_at,
                    ACTIVITY.c.percent,
                )
                .join(PEOPLE, PEOPLE.c.id == ACTIVITY.c.person_id)
                .where(*staff, ACTIVITY.c.slug.in_(list(slugs)))
            )
        }
    rows = []
    figures: tuple[int, float | None, float | None, datetime | None, datetime | None, datetime | None]
    for person_id, first, last, unit, team in people:
        for slug in slugs:
            started, updated, percent = activity.get((person_id, slug), (None, None, 0))
            sub = submitted.get((person_id, slug))
            if sub is not None:
                status = Status.REVIEWED if sub.reviewed else Status.SUBMITTED
                figures = (percent, float(sub.score or 0), float(sub.maximum or 0), started, updated, sub.submitted_at)
            else:
                status = Status.IN_PROGRESS if started is not None else Status.NOT_STARTED
                figures = (percent, None, None, started, updated, None)
            rows.append(ProgressRow(person_id, f"{first} {last}", unit, team, slug, status, *figures))
    return rows


def evaluations(db_url: str, catalog: Catalog) -> dict[tuple[str, str], EvaluationFigures]:
    """Per (unit, slug) and per (DISTRICT, slug): the units' published snapshots (`gradebook/snapshots.py`) and
    their sum for the district, only the groups `disclosure.disclosed` lets be shown.

    Always the whole district, so every output hides the same units against the same one total.
    Open answers come back sorted alphabetically, never with a name or in the order people answered.
    """
    with reading(db_url, EVALUATION.name) as connection:
        if connection is None:
            return {}
        joined = EVALUATION.join(PEOPLE, PEOPLE.c.id == EVALUATION.c.person_id)
        staff = _staff(None)
        answered = connection.execute(
            sa.select(PEOPLE.c.unit, EVALUATION.c.slug, sa.func.count(sa.distinct(EVALUATION.c.person_id)))
            .select_from(joined)
            .where(*staff)
            .group_by(PEOPLE.c.unit, EVALUATION.c.slug)
        ).all()
        likert = connection.execute(
            sa.select(PEOPLE.c.unit, EVALUATION.c.slug, EVALUATION.c.item_id, EVALUATION.c.value, sa.func.count())
            .select_from(joined)
            .where(*staff, EVALUATION.c.value.is_not(None))
            .group_by(PEOPLE.c.unit, EVALUATION.c.slug, EVALUATION.c.item_id, EVALUATION.c.value)
        ).all()
        texts = connection.execute(
            sa.select(PEOPLE.c.unit, EVALUATION.c.slug, EVALUATION.c.item_id, EVALUATION.c.text)
            .select_from(joined)
            .where(*staff, EVALUATION.c.text.is_not(None))
        ).all()
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0] * 5)
    written: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for unit, slug, item, value, n in likert:
        counts[unit, slug, item][int(value) - 1] += int(n)
    for unit, slug, item, text in texts:
        written[unit, slug, item].append(str(text))
    modules = {module.course.slug: module for module in catalog.modules}
    live = {
        (unit, slug): _evaluation(modules[slug], unit, int(n), counts, written)
        for unit, slug, n in answered
        if slug in modules
    }
    return disclosed_units(published(db_url, Survey.EVALUATION, live))


def _evaluation(
    module: Module,
    group: str,
    answered: int,
    counts: dict[tuple[str, str, str], list[int]],
    written: dict[tuple[str, str, str], list[str]],
) -> EvaluationFigures:
    slug, survey = module.course.slug, module.course.survey
    return EvaluationFigures(
        slug,
        group,
        answered,
        [
            LikertFigures(item.id, item.statement, tuple(counts.get((group, slug, item.id), [0] * 5)))
            for item in survey.likert
        ],
        {question.id: sorted(written.get((group, slug, question.id), [])) for question in survey.open},
    )


def unit_figures(db_url: str, catalog: Catalog, slug: str, unit: str) -> tuple[ModuleFigures, EvaluationFigures | None]:
    """One module in one unit: what a workshop deck shows about the group in the room.

    The evaluation is judged against the whole district, as on the resource team's page, so a deck
    never shows a unit that the page hides to keep another unit's answers from being worked out.
    """
    module = catalog.module(slug)
    rows = progress_rows(db_url, [slug], [unit])
    figures = module_figures(rows, {slug: module.course.title}, lambda row: unit)
    empty = ModuleFigures(slug, module.course.title, unit, {stage: 0 for stage in Stage}, None)
    return (figures[0] if figures else empty), evaluations(db_url, catalog).get((unit, slug))


def units_of_staff(db_url: str) -> dict[str, str]:
    """Person id → unit for the district's staff: the follow-up is counted per unit against the whole district."""
    with reading(db_url, PEOPLE.name) as connection:
        if connection is None:
            return {}
        rows = connection.execute(sa.select(PEOPLE.c.id, PEOPLE.c.unit).where(PEOPLE.c.role == Role.STAFF.value))
        return {str(person): str(unit) for person, unit in rows}
