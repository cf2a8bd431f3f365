"""Each hand-in's totals are kept beside nbgrader's grades by triggers, and always equal the grades summed now.

Every step goes through the product's own paths (real nbgrader hand-ins and autograde, a review as Granska
saves it, erasure); after each, the kept rows must equal `notebook_totals` run on the grades. Runs on SQLite,
and on PostgreSQL with RESURSKURS_TEST_DB=postgresql; the concurrent writers run on PostgreSQL always.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from resurskurs.catalog.load import Catalog
from resurskurs.demo.district import demo_district
from resurskurs.demo.plans import bulk_plans, plan_progress
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.engine import engine_for, migrated
from resurskurs.gradebook.hand_in_totals import attached, detach, notebook_totals, totals
from resurskurs.gradebook.migrations import downgrade, upgrade
from resurskurs.gradebook.nbgrader_tables import BASE_CELL, GRADE, GRADE_CELL
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.gradebook.tables import HAND_IN_TOTAL
from resurskurs.privacy.erase import erase, plan
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.testing.postgres import DatabaseServer
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from resurskurs.tracking.submit import submit
from tests.privacy_district import EVA, OLA, populate

Row = tuple[Any, ...]
LATER = datetime(2026, 12, 3, tzinfo=UTC)


def kept_and_summed(db_url: str) -> tuple[list[Row], list[Row]]:
    """HAND_IN_TOTAL's rows and `notebook_totals` over the grades, each sorted by notebook."""
    with engine_for(db_url).connect() as connection:
        assert attached(connection)
        kept = connection.execute(sa.select(HAND_IN_TOTAL).order_by(HAND_IN_TOTAL.c.notebook_id)).all()
        summed = connection.execute(notebook_totals().order_by(GRADE.c.notebook_id)).all()
    return [tuple(row) for row in kept], [tuple(row) for row in summed]


def assert_kept(db_url: str, hand_ins: int) -> None:
    kept, summed = kept_and_summed(db_url)
    assert kept == summed
    assert len(kept) == hand_ins


def a_knowledge_check_cell(db_url: str) -> str:
    with engine_for(db_url).connect() as connection:
        return str(
            connection.execute(
                sa.select(GRADE_CELL.c.id)
                .join(BASE_CELL, BASE_CELL.c.id == GRADE_CELL.c.id)
                .where(BASE_CELL.c.name != REFLECTION_ID)
                .order_by(BASE_CELL.c.name)
                .limit(1)
            ).scalar_one()
        )


class DescribeEachHandInsTotals:
    def it_has_one_notebook_per_module_so_a_hand_in_is_one_row(self, catalog: Catalog, course_dir: CourseDir) -> None:
        with course_dir.gradebook() as gradebook:
            notebooks = {module.course.slug: gradebook.find_assignment(module.course.slug).notebooks
                         for module in catalog.modules}
        assert {slug: [notebook.name for notebook in found] for slug, found in notebooks.items()} == {
            slug: [slug] for slug in notebooks
        }

    def it_keeps_them_equal_to_the_grades_through_review_resubmission_a_new_maximum_and_erasure(
        self, tmp_path: Path, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        url = course_dir.db_url
        district = populate(catalog, course_dir, tmp_path / "var")
        assert_kept(url, hand_ins=2)
        eva = reviews_for(url, EVA.id)[SLUG]
        assert eva.reviewed and eva.has_feedback
        assert not reviews_for(url, OLA.id)[SLUG].reviewed

        module = catalog.module(SLUG)
        assert submit(course_dir, module, EVA.id, answers_for(module, 5), now=LATER).accepted
        assert_kept(url, hand_ins=2)
        again = reviews_for(url, EVA.id)[SLUG]
        assert again.has_feedback and not again.reviewed, "a resubmission waits for a new review"

        with engine_for(url).begin() as connection:
            connection.execute(
                GRADE_CELL.update()
                .where(GRADE_CELL.c.id == a_knowledge_check_cell(url))
                .values(max_score=GRADE_CELL.c.max_score + 2)
            )
        assert_kept(url, hand_ins=2)
        assert reviews_for(url, OLA.id)[SLUG].quiz_max == reviews_for(url, EVA.id)[SLUG].quiz_max == again.quiz_max + 2

        erase(district.stores, plan(district.stores, OLA.id))
        assert_kept(url, hand_ins=1)

    def it_counts_the_hand_ins_made_before_the_triggers_when_it_is_migrated(
        self, tmp_path: Path, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        url = course_dir.db_url
        populate(catalog, course_dir, tmp_path / "var")
        engine = migrated(url)
        downgrade(engine, "0005")
        with engine.connect() as connection:
            assert not sa.inspect(connection).has_table(HAND_IN_TOTAL.name)
            assert not attached(connection)
        module = catalog.module(SLUG)
        assert submit(course_dir, module, OLA.id, answers_for(module, 6), now=LATER).accepted
        upgrade(engine)
        assert_kept(url, hand_ins=2)

    def it_puts_its_triggers_on_nbgraders_tables_made_after_its_own_before_anyone_hands_in(
        self, tmp_path: Path, catalog: Catalog, gradebook_url: str
    ) -> None:
        engine = migrated(gradebook_url)
        with engine.connect() as connection:
            assert sa.inspect(connection).has_table(HAND_IN_TOTAL.name)
            assert not attached(connection), "nbgrader's tables are not there yet"
        course_dir = CourseDir(tmp_path / "exercises", gradebook_url)
        build(catalog, course_dir)
        with engine.connect() as connection:
            assert attached(connection)
        module = catalog.module(SLUG)
        assert submit(course_dir, module, EVA.id, answers_for(module, 2)).accepted
        assert_kept(gradebook_url, hand_ins=1)

    def it_counts_a_bulk_load_once_and_every_hand_in_after_it(self, catalog: Catalog, course_dir: CourseDir) -> None:
        """The bulk load (benchmarks, large demos) takes the triggers off while its rows go in and puts them back."""
        url = course_dir.db_url
        people = demo_district(staff=24, units=2, seed=21)
        import_people(people, course_dir)
        plans = plan_progress(people, catalog, seed=21, now=LATER)
        handed_in = bulk_plans(plans, catalog, course_dir)
        assert handed_in == sum(plan.submitted_at is not None for plan in plans) > 0
        assert_kept(url, hand_ins=handed_in)
        module = catalog.module(SLUG)
        newcomer = next(plan.person_id for plan in plans if plan.slug == SLUG and plan.submitted_at is None)
        assert submit(course_dir, module, newcomer, answers_for(module, 4), now=LATER).accepted
        assert_kept(url, hand_ins=handed_in + 1)

    def it_sums_the_grades_themselves_where_the_triggers_are_not_in_place(
        self, tmp_path: Path, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        url = course_dir.db_url
        populate(catalog, course_dir, tmp_path / "var")
        kept = reviews_for(url, OLA.id)
        with engine_for(url).begin() as connection:
            detach(connection)
        with engine_for(url).connect() as connection:
            assert totals(connection) is not HAND_IN_TOTAL
        assert reviews_for(url, OLA.id) == kept
        with engine_for(url).begin() as connection:
            connection.execute(GRADE.update().where(GRADE.c.auto_score.is_not(None)).values(auto_score=0))
        now = reviews_for(url, OLA.id)[SLUG]
        assert now.quiz_score == 0 < kept[SLUG].quiz_score, "read from the grades, not the kept row"


class DescribeTwoWritersOfOneHandIn:
    """An autograde and a review of the same hand-in at the same moment, on PostgreSQL: the second waits for the
    first to recount, so neither fails on the other's row and the totals end equal to the grades."""

    def it_recounts_one_after_the_other(
        self, tmp_path: Path, catalog: Catalog, postgres_server: DatabaseServer
    ) -> None:
        url = postgres_server.create_database()
        try:
            course_dir = CourseDir(tmp_path / "exercises", url)
            build(catalog, course_dir)
            module = catalog.module(SLUG)
            assert submit(course_dir, module, EVA.id, answers_for(module, 2)).accepted
            with engine_for(url).connect() as connection:
                first, second = connection.execute(sa.select(GRADE.c.id).order_by(GRADE.c.id).limit(2)).scalars()
            holding, failures = threading.Event(), []

            def write(grade: str, hold: bool) -> None:
                try:
                    with engine_for(url).begin() as connection:
                        connection.execute(GRADE.update().where(GRADE.c.id == grade).values(manual_score=1.0))
                        if hold:
                            holding.set()
                            connection.execute(sa.text("SELECT pg_sleep(0.5)"))
                except Exception as failed:
                    failures.append(failed)

            writers = [threading.Thread(target=write, args=(first, True))]
            writers[0].start()
            assert holding.wait(10)
            writers.append(threading.Thread(target=write, args=(second, False)))
            writers[1].start()
            for writer in writers:
                writer.join(20)
            assert failures == []
            assert_kept(url, hand_ins=1)
            with engine_for(url).connect() as connection:
                assert connection.execute(sa.select(GRADE.c.manual_score).where(GRADE.c.id == second)).scalar() == 1.0
        finally:
            engine_for(url).dispose()
            postgres_server.drop_database(url)
