"""The progress query: every staff member × module with status, score and dates, in a few set-based queries.

Runs on any SQLAlchemy URL (SQLite by default, PostgreSQL at scale). A principal's units are a
WHERE clause, so other units' people are never read into their kernel. People who have left the district
are not in the progress rows (never "behind"); their evaluation answers still count in their unit's figures.
Reflection texts are never selected here: principals see progress, not what anyone wrote.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from typing import Any

import sqlalchemy as sa

from resurskurs.catalog.load import Catalog, Module
from resurskurs.core.disclosure import disclosed_units
from resurskurs.core.figures import (
    DISTRICT,
    DistrictFigures,
    EvaluationFigures,
    LikertFigures,
    ModuleFigures,
    ModuleWaiting,
    ProgressRow,
)
from resurskurs.core.progress import COMPLETE, Stage, Status, stage_of
from resurskurs.core.tally import module_figures
from resurskurs.district.roster import Role
from resurskurs.gradebook.engine import reading
from resurskurs.gradebook.hand_in_totals import totals
from resurskurs.gradebook.nbgrader_tables import ASSIGNMENT, STUDENT, SUBMITTED
from resurskurs.gradebook.reviews import submission_totals
from resurskurs.gradebook.snapshots import Survey, published_when_due
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


def gradebook_status(handed_in: bool, reviewed: bool, started: bool) -> Status:
    """A person's status in a module from the gradebook's facts: the one reading for rows and counts alike."""
    if handed_in:
        return Status.REVIEWED if reviewed else Status.SUBMITTED
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


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
                    totals(connection),
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
            status = gradebook_status(sub is not None, sub is not None and bool(sub.reviewed), started is not None)
            if sub is not None:
                figures = (percent, float(sub.score or 0), float(sub.maximum or 0), started, updated, sub.submitted_at)
            else:
                figures = (percent, None, None, started, updated, None)
            rows.append(ProgressRow(person_id, f"{first} {last}", unit, team, slug, status, *figures))
    return rows


FACTS = ("handed_in", "reviewed", "started", "complete")
"""What the gradebook says of a person in a module, the inputs of `gradebook_status` and `stage_of`: in SQL, one
`code` per person and module with bit i set where FACTS[i] holds."""
HANDED_IN = 1 << FACTS.index("handed_in")


def _read_by_the_rule() -> list[tuple[tuple[bool, ...], Status, Stage]]:
    """Every combination of FACTS with the status and stage the one rule gives it: the district's counts are
    generated from this table, so SQL never restates the rule."""
    read = []
    for facts in itertools.product((False, True), repeat=len(FACTS)):
        handed_in, reviewed, started, complete = facts
        status = gradebook_status(handed_in, reviewed, started)
        read.append((facts, status, stage_of(status, complete)))
    return read


def district_figures(db_url: str, titles: Mapping[str, str]) -> DistrictFigures:
    """The resource team's progress figures for the modules `titles` names, counted in the gradebook: the figures
    `module_figures`, `done_by_week` and the page's waiting table give from every `progress_rows` row, in two
    statements (the staff per unit, then `_district_counts`) that send back one row per unit and module and one
    per day, never one per person and module (180,000 at 20,000 staff).

    Stages, reviews and what waits are counted by the one rule (`_read_by_the_rule`), proven equal to the rows'
    counts in tests/test_district_figures.py.
    """
    slugs = list(titles)
    with reading(db_url, *TABLES) as connection:
        if connection is None:
            return DistrictFigures([], {}, {}, [], 0)
        roster = (
            sa.select(PEOPLE.c.id, PEOPLE.c.unit)
            .join(STUDENT, STUDENT.c.id == PEOPLE.c.id)
            .where(*_staff(None), PEOPLE.c.left_at.is_(None))
        )
        on_roster = roster.subquery("roster")
        staff = {
            str(unit): int(count)
            for unit, count in connection.execute(
                sa.select(on_roster.c.unit, sa.func.count()).group_by(on_roster.c.unit).order_by(on_roster.c.unit)
            )
        }
        counted = connection.execute(_district_counts(slugs, on_roster, totals(connection))).all()
    stages_in_order = list(Stage)
    empty = [0] * len(stages_in_order)
    found: dict[tuple[str, str], tuple[list[int], int, float, int]] = {}
    handed_in: dict[date, int] = {}
    waiting: dict[str, tuple[int, datetime | None]] = {}
    reflections_waiting = 0
    for kind, unit, slug, day, people, *per_stage, reviewed, waits, first_waiting, share_sum, shares in counted:
        if kind == WAITING:
            reflections_waiting = int(people or 0)
        elif kind == DAY:
            if day is not None:
                handed_in[_day(day)] = int(people)
        else:
            for key in ((DISTRICT, slug), (unit, slug)):
                had, were, total, many = found.get(key, (empty, 0, 0.0, 0))
                summed = [a + int(b) for a, b in zip(had, per_stage, strict=True)]
                found[key] = (summed, were + int(reviewed), total + float(share_sum or 0), many + int(shares))
            if waits:
                count, first = waiting.get(slug, (0, None))
                earliest = [when for when in (first, first_waiting) if when is not None]
                waiting[slug] = (count + int(waits), min(earliest) if earliest else None)
    not_started = stage_of(gradebook_status(False, False, False), False)
    figures = []
    for group, size in [(DISTRICT, sum(staff.values())), *staff.items()] if staff else []:
        for slug in slugs:
            counts, reviewed, total, many = found.get((group, slug), (empty, 0, 0.0, 0))
            stages = dict(zip(stages_in_order, counts, strict=True))
            stages[not_started] += size - sum(counts)
            figures.append(ModuleFigures(slug, titles[slug], group, stages, total / many if many else None, reviewed))
    return DistrictFigures(
        figures,
        staff,
        dict(sorted(handed_in.items())),
        [ModuleWaiting(slug, *waiting[slug]) for slug in slugs if slug in waiting],
        reflections_waiting,
    )


def _district_counts(slugs: list[str], roster: sa.Subquery, totals: sa.FromClause) -> sa.CompoundSelect[Any]:
    """One statement, told apart by `kind`. MODULE: per unit and module, the staff on the roster who have begun or
    handed in: how many at each stage, reviewed and waiting (by `_read_by_the_rule`), the sum and number of
    knowledge-check shares, the oldest hand-in waiting. DAY: hand-ins per day. WAITING: the reflections Granska
    lists (`waiting_for_review`, anyone's). A hand-in is one with grades, as in `submission_totals`, which reads
    each hand-in's `totals` (`hand_in_totals.totals`)."""
    hand_ins = submission_totals(totals, ASSIGNMENT.c.name.in_(slugs)).cte("hand_ins")
    begun = (
        sa.select(ACTIVITY.c.person_id, ACTIVITY.c.slug, ACTIVITY.c.started_at, ACTIVITY.c.percent)
        .where(ACTIVITY.c.slug.in_(slugs))
        .subquery("begun")
    )
    person = sa.func.coalesce(begun.c.person_id, hand_ins.c.student_id)
    maximum = sa.func.coalesce(hand_ins.c.maximum, 0)
    flags = {
        "handed_in": hand_ins.c.student_id.is_not(None),
        "reviewed": hand_ins.c.reviewed,
        "started": begun.c.started_at.is_not(None),
        "complete": sa.func.coalesce(begun.c.percent, 0) >= COMPLETE,
    }
    facts = (
        sa.select(
            roster.c.unit,
            sa.func.coalesce(begun.c.slug, hand_ins.c.slug).label("slug"),
            sum((_flag(flags[name]) * (1 << bit) for bit, name in enumerate(FACTS)), sa.literal(0)).label("code"),
            sa.case((maximum != 0, sa.cast(sa.func.coalesce(hand_ins.c.score, 0), sa.Float) / maximum)).label("share"),
            hand_ins.c.submitted_at,
        )
        .select_from(
            begun.outerjoin(
                hand_ins,
                (hand_ins.c.student_id == begun.c.person_id) & (hand_ins.c.slug == begun.c.slug),
                full=True,
            )
            .join(roster, roster.c.id == person)
        )
        .cte("facts")
    )
    codes = {
        sum(int(value) << bit for bit, value in enumerate(combination)): (status, stage)
        for combination, status, stage in _read_by_the_rule()
    }

    def where(wanted: Callable[[Status, Stage], bool]) -> sa.ColumnElement[bool]:
        return facts.c.code.in_(sorted(code for code, read in codes.items() if wanted(*read)))

    def count(wanted: Callable[[Status, Stage], bool]) -> sa.ColumnElement[int]:
        return sa.func.sum(_flag(where(wanted)))

    nothing = sa.null()
    per_module = sa.select(
        sa.literal(MODULE).label("kind"),
        facts.c.unit,
        facts.c.slug,
        nothing.label("day"),
        sa.func.count().label("people"),
        *(count(partial(_at, each)).label(each.value) for each in Stage),
        count(lambda status, _: status is Status.REVIEWED).label("reviewed"),
        count(lambda status, _: status is Status.SUBMITTED).label("waiting"),
        sa.func.min(sa.case((where(lambda status, _: status is Status.SUBMITTED), facts.c.submitted_at))).label(
            "first_waiting"
        ),
        sa.func.sum(facts.c.share).label("share_sum"),
        sa.func.count(facts.c.share).label("shares"),
    ).group_by(facts.c.unit, facts.c.slug)
    rest = [nothing] * (len(Stage) + 5)
    day = sa.func.date(facts.c.submitted_at, type_=sa.Date)
    per_day = (
        sa.select(sa.literal(DAY), nothing, nothing, day, sa.func.count(), *rest)
        .where(facts.c.code.op("&")(HANDED_IN) == HANDED_IN)
        .group_by(day)
    )
    reflections = sa.select(
        sa.literal(WAITING), nothing, nothing, nothing, sa.func.sum(hand_ins.c.reflections_waiting), *rest
    ).join(STUDENT, STUDENT.c.id == hand_ins.c.student_id)
    return sa.union_all(per_module, per_day, reflections)


MODULE, DAY, WAITING = "module", "day", "waiting"
"""The kinds of row `_district_counts` gives."""


def _at(wanted: Stage, _: Status, found: Stage) -> bool:
    return found is wanted


def _flag(condition: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    """1 where `condition` holds, else 0 (also where it is NULL), alike on SQLite and PostgreSQL."""
    return sa.case((condition, 1), else_=0)


def _day(value: date | str) -> date:
    """SQLite gives `date()` back as text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def evaluations(db_url: str, catalog: Catalog) -> dict[tuple[str, str], EvaluationFigures]:
    """Per (unit, slug) and per (DISTRICT, slug): the units' published snapshots (`gradebook/snapshots.py`) and
    their sum for the district, only the groups `disclosure.disclosed` lets be shown.

    Always the whole district, so every output hides the same units against the same one total. How many
    answered is counted for every unit; the answers themselves only for the units whose snapshot is due.
    Open answers come back sorted alphabetically, never with a name or in the order people answered.
    """
    modules = {module.course.slug: module for module in catalog.modules}
    with reading(db_url, EVALUATION.name) as connection:
        if connection is None:
            return {}
        answers = sa.select(EVALUATION.c.person_id, EVALUATION.c.slug).distinct().subquery("answers")
        answered = {
            (str(unit), str(slug)): int(n)
            for unit, slug, n in connection.execute(
                sa.select(PEOPLE.c.unit, answers.c.slug, sa.func.count())
                .select_from(answers.join(PEOPLE, PEOPLE.c.id == answers.c.person_id))
                .where(*_staff(None))
                .group_by(PEOPLE.c.unit, answers.c.slug)
            )
            if slug in modules
        }

    def live(keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], EvaluationFigures]:
        return _live_evaluations(db_url, modules, {key: answered.get(key, 0) for key in keys})

    return disclosed_units(published_when_due(db_url, Survey.EVALUATION, answered, live))


def _live_evaluations(
    db_url: str, modules: Mapping[str, Module], answered: Mapping[tuple[str, str], int]
) -> dict[tuple[str, str], EvaluationFigures]:
    """The live figures of the (unit, slug) groups in `answered` that anyone answered: counts and open answers."""
    units = sorted({unit for unit, _ in answered})
    with reading(db_url, EVALUATION.name) as connection:
        if connection is None:
            return {}
        joined = EVALUATION.join(PEOPLE, PEOPLE.c.id == EVALUATION.c.person_id)
        staff = _staff(units)
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
    return {
        (unit, slug): _evaluation(modules[slug], unit, n, counts, written)
        for (unit, slug), n in answered.items()
        if n and slug in modules
    }


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
