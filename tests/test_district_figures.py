"""The district's progress counted in the gradebook equals what the per-person rows give by the one rule.

`district_figures` counts stages, reviews, what waits and hand-ins per day in SQL; `progress_rows` with
`module_figures`, `done_by_week` and the page's old waiting table are the reference. Both read one generated
district, varied where the rule has edges: people who have left, a principal who has begun, hand-ins without an
activity row, percents just under and at 100, a reviewed reflection handed in again, modules outside the ones
asked for. Runs on SQLite, and on PostgreSQL with RESURSKURS_TEST_DB=postgresql.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.core.figures import DISTRICT, DistrictFigures, ModuleFigures, ProgressRow
from resurskurs.core.progress import Stage, Status
from resurskurs.core.tally import by_week, done_by_week, module_figures
from resurskurs.demo.district import demo_district
from resurskurs.demo.plans import bulk_plans, plan_progress
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.engine import migrated
from resurskurs.gradebook.nbgrader_tables import BASE_CELL, GRADE
from resurskurs.gradebook.progress import district_figures, progress_rows
from resurskurs.gradebook.tables import ACTIVITY, PEOPLE
from resurskurs.tracking.activity import write_activity
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.grading import waiting_reviews
from resurskurs.tracking.roster_import import import_people
from tests.conftest import REPO

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded = load_catalog(REPO)
    assert loaded.problems == []
    return loaded


def titles_of(catalog: Catalog) -> dict[str, str]:
    return {module.course.slug: module.course.title for module in catalog.modules}


def varied_district(url: str, folder: Path, catalog: Catalog, seed: int) -> list[Person]:
    """A generated district, then the edges of the rule written into it by hand."""
    people = demo_district(staff=90, units=7, seed=seed)
    course_dir = CourseDir(folder / "exercises", url)
    import_people(people, course_dir)
    build(catalog, course_dir)
    bulk_plans(plan_progress(people, catalog, seed, NOW), catalog, course_dir)
    engine = migrated(url)
    staff = [person for person in people if person.role is Role.STAFF]
    principal = next(person for person in people if person.role is Role.PRINCIPAL)
    slugs = list(titles_of(catalog))
    write_activity(
        engine,
        [{"person_id": principal.id, "slug": slugs[0], "updated_at": NOW.replace(tzinfo=None), "percent": 100}],
    )
    with engine.begin() as connection:
        connection.execute(
            PEOPLE.update().where(PEOPLE.c.id.in_([p.id for p in staff[::11]])).values(left_at=NOW.replace(tzinfo=None))
        )
        begun = connection.execute(
            sa.select(ACTIVITY.c.person_id, ACTIVITY.c.slug).order_by(ACTIVITY.c.person_id)
        ).all()
        for index, (person, slug) in enumerate(begun[::3]):
            connection.execute(
                ACTIVITY.update()
                .where(ACTIVITY.c.person_id == person, ACTIVITY.c.slug == slug)
                .values(percent=99 if index % 2 else 100)
            )
        for person, slug in begun[1::13]:
            connection.execute(ACTIVITY.delete().where(ACTIVITY.c.person_id == person, ACTIVITY.c.slug == slug))
        reflections = sa.select(BASE_CELL.c.id).where(BASE_CELL.c.name == REFLECTION_ID).scalar_subquery()
        graded = connection.execute(
            sa.select(GRADE.c.id).where(GRADE.c.cell_id.in_(reflections), GRADE.c.manual_score.is_not(None))
        ).scalars()
        again = sorted(graded)[::4]
        connection.execute(GRADE.update().where(GRADE.c.id.in_(again)).values(needs_manual_grade=True))
    return people


def with_approximate_means(figures: list[ModuleFigures]) -> list[ModuleFigures]:
    """The mean knowledge-check share is a float summed in another order by the database."""
    return [
        replace(f, mean_score_share=None if f.mean_score_share is None else pytest.approx(f.mean_score_share))
        for f in figures
    ]


def waiting_from_rows(rows: list[ProgressRow]) -> dict[str, tuple[int, datetime]]:
    """The district page's waiting table as it was computed from the rows: per module, how many and the oldest."""
    waiting: dict[str, list[datetime]] = {}
    for row in rows:
        if row.status is Status.SUBMITTED and row.submitted_at is not None:
            waiting.setdefault(row.slug, []).append(row.submitted_at)
    return {slug: (len(found), min(found)) for slug, found in waiting.items()}


class DescribeTheDistrictsFiguresCountedInTheGradebook:
    @pytest.mark.parametrize("seed", [3, 17])
    def it_equals_the_per_person_rows_by_the_one_rule(
        self, gradebook_url: str, tmp_path: Path, catalog: Catalog, seed: int
    ) -> None:
        people = varied_district(gradebook_url, tmp_path, catalog, seed)
        titles = titles_of(catalog)
        for asked in (titles, dict(list(titles.items())[2:5])):
            rows = progress_rows(gradebook_url, list(asked))
            counted = district_figures(gradebook_url, asked)
            district = module_figures(rows, asked, lambda _: DISTRICT)
            by_unit = module_figures(rows, asked, lambda row: row.unit)
            assert with_approximate_means(district + by_unit) == counted.modules
            staff: dict[str, int] = {}
            for row in rows:
                if row.slug == next(iter(asked)):
                    staff[row.unit] = staff.get(row.unit, 0) + 1
            assert list(counted.staff.items()) == list(staff.items())
            assert by_week(counted.handed_in) == done_by_week(rows)
            assert {w.slug: (w.waiting, w.oldest) for w in counted.waiting} == waiting_from_rows(rows)
        left = {person.id for person in people if person.role is Role.STAFF} - {row.person_id for row in rows}
        assert left, "some staff have left, and the rows leave them out"
        shown = {stage for figures in counted.modules for stage, n in figures.counts.items() if n}
        assert shown == set(Stage), "every stage is counted somewhere"
        assert any(figures.reviewed for figures in counted.modules) and counted.waiting

    def it_counts_the_reflections_waiting_as_granska_lists_them(
        self, gradebook_url: str, tmp_path: Path, catalog: Catalog
    ) -> None:
        varied_district(gradebook_url, tmp_path, catalog, 5)
        slugs = list(titles_of(catalog))
        for asked in (slugs, slugs[:2]):
            counted = district_figures(gradebook_url, {slug: slug for slug in asked}).reflections_waiting
            assert counted == len(waiting_reviews(gradebook_url, asked)) > 0

    def it_is_empty_before_there_is_a_gradebook(self, tmp_path: Path, catalog: Catalog) -> None:
        counted = district_figures(f"sqlite:///{tmp_path / 'none.db'}", titles_of(catalog))
        assert counted == DistrictFigures([], {}, {}, [], 0)
