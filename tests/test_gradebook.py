"""The gradebook layer: one engine per process, migrated own tables, hand-ins all or nothing and exactly once,
and the warm-kernel autograde scoring exactly as nbgrader's own command line."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.core.answers import HandIn
from resurskurs.gradebook import engine as gradebook_engine
from resurskurs.gradebook.engine import engine_for, migrated, reading
from resurskurs.gradebook.migrations import NBGRADER_INDEXES, VERSION_TABLE, current, downgrade, head, upgrade
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.gradebook.tables import ACTIVITY, EVALUATION, METADATA, PEOPLE
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.testing.postgres import DatabaseServer
from resurskurs.tracking import autograde, grader
from resurskurs.tracking import submit as receiving
from resurskurs.tracking.activity import write_activity
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.evaluation import write_evaluations
from resurskurs.tracking.submit import submit


def rows(db_url: str, statement: str) -> list[tuple[object, ...]]:
    with engine_for(db_url).connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(statement))]


class DescribeTheEngine:
    def it_is_made_once_per_process_and_url_and_reading_reuses_it(self, gradebook_url: str) -> None:
        migrated(gradebook_url)
        made = engine_for(gradebook_url)
        for _ in range(3):
            with reading(gradebook_url, PEOPLE.name) as connection:
                assert connection is not None
        assert engine_for(gradebook_url) is made
        assert engine_for(f"{gradebook_url}_other") is not made


def our_indexes(engine: sa.Engine) -> set[str]:
    """The indexes named in NBGRADER_INDEXES that nbgrader's tables carry (of the tables that exist)."""
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        tables = {table for table, _ in NBGRADER_INDEXES.values() if inspector.has_table(table)}
        found = {index["name"] for table in tables for index in inspector.get_indexes(table)}
    return found & set(NBGRADER_INDEXES)


def as_nbgrader_makes_them(gradebook_url: str, tmp_path: Path) -> list[str]:
    """What Alembic finds different from nbgrader's metadata in tables nbgrader's own `create_all` made on the same
    backend: nothing on SQLite; on PostgreSQL, course.id's UNIQUE, which reflection folds into the primary key."""
    from nbgrader.api import Base

    url = sa.make_url(gradebook_url)
    server = None
    if url.get_backend_name() == "sqlite":
        reference = f"sqlite:///{tmp_path / 'as-nbgrader.db'}"
    else:
        server = DatabaseServer(url.set(database="postgres").render_as_string(hide_password=False))
        reference = server.create_database()
    engine = sa.create_engine(reference)
    try:
        Base.metadata.create_all(engine)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        return [str(difference) for difference in differences]
    finally:
        engine.dispose()
        if server is not None:
            server.drop_database(reference)


FIRST_TABLES = (
    "resurskurs_person", "resurskurs_lead", "resurskurs_activity", "resurskurs_evaluation", "resurskurs_review"
)
"""The own tables as `create_all` made them before migrations (revision 0001's shape)."""


class DescribeTheMigrations:
    def it_upgrades_a_gradebook_from_before_keeping_its_rows(self, gradebook_url: str) -> None:
        before = sa.create_engine(gradebook_url)
        as_in_0001 = sa.MetaData()
        for table in METADATA.sorted_tables:
            if table.name in FIRST_TABLES:
                columns = [column for column in table.c if column.name not in ("left_at", "points")]
                sa.Table(
                    table.name,
                    as_in_0001,
                    *(sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable) for c in columns),
                )
        as_in_0001.create_all(before)
        with before.begin() as connection:
            connection.execute(PEOPLE.insert().values(id="eva.lund", unit="Ekorren", work_team="Gul", role="staff"))
        before.dispose()
        engine = migrated(gradebook_url)
        with engine.connect() as connection:
            assert current(connection) == head() == "0006"
            assert connection.execute(sa.select(PEOPLE.c.id)).scalars().all() == ["eva.lund"]
            assert sa.inspect(connection).has_table(VERSION_TABLE)
            assert not sa.inspect(connection).has_table("alembic_version"), "nbgrader's version table is its own"

    def it_lets_nbgrader_version_its_own_tables_when_the_grader_starts_on_an_empty_gradebook(
        self, tmp_path: Path, catalog: Catalog, gradebook_url: str
    ) -> None:
        assert (
            grader.run(
                catalog, CourseDir(tmp_path / "fresh", gradebook_url), once=True, answers_root=tmp_path / "answers"
            )
            == 0
        )
        assert len(rows(gradebook_url, "select version_num from alembic_version")) == 1
        assert rows(gradebook_url, f"select version_num from {VERSION_TABLE}") == [(head(),)]

    def it_makes_nbgraders_tables_and_version_as_nbgrader_would_without_running_a_command(
        self, tmp_path: Path, gradebook_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from nbgrader.api import Base, get_alembic_version

        def refused(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"a process was started: {args}")

        with monkeypatch.context() as no_commands:
            no_commands.setattr(subprocess, "Popen", refused)
            with CourseDir(tmp_path / "exercises", gradebook_url).gradebook() as gradebook:
                gradebook.add_student("eva.lund", first_name="Eva", last_name="Lund")
        with engine_for(gradebook_url).connect() as connection:
            made_here = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert [str(difference) for difference in made_here] == as_nbgrader_makes_them(gradebook_url, tmp_path)
        monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        assert rows(gradebook_url, "select version_num from alembic_version") == [(get_alembic_version(),)]
        assert rows(gradebook_url, "select id from student") == [("eva.lund",)]

    def it_indexes_nbgrader_tables_for_the_progress_query_and_takes_the_indexes_away_on_downgrade(
        self, tmp_path: Path, gradebook_url: str
    ) -> None:
        with CourseDir(tmp_path / "exercises", gradebook_url).gradebook():
            pass
        engine = migrated(gradebook_url)
        assert our_indexes(engine) == set(NBGRADER_INDEXES)
        downgrade(engine, "0004")
        with engine.connect() as connection:
            assert current(connection) == "0004"
        assert our_indexes(engine) == set()
        upgrade(engine)
        assert our_indexes(engine) == set(NBGRADER_INDEXES)

    def it_indexes_nbgrader_tables_made_after_its_own_at_the_next_upgrade(
        self, tmp_path: Path, gradebook_url: str
    ) -> None:
        engine = migrated(gradebook_url)
        assert our_indexes(engine) == set()
        with CourseDir(tmp_path / "exercises", gradebook_url).gradebook():
            pass
        upgrade(engine)
        assert our_indexes(engine) == set(NBGRADER_INDEXES)

    def it_makes_exactly_the_tables_the_code_declares(self, gradebook_url: str) -> None:
        engine = migrated(gradebook_url)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
            assert compare_metadata(context, METADATA) == []


class DescribeWritingManyRowsAtOnce:
    """A first sync of a whole district's drafts has more (person, module) pairs than one PostgreSQL statement
    takes parameters; they go in batches, in one transaction, with the same outcome as one statement."""

    def it_keeps_each_first_start_and_replaces_each_evaluation_across_batches(
        self, gradebook_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(gradebook_engine, "KEYS_PER_STATEMENT", 2)
        engine = migrated(gradebook_url)
        first, later = datetime(2024, 1, 1), datetime(2024, 2, 1)
        people = [f"person{n}" for n in range(5)]
        write_activity(engine, [{"person_id": p, "slug": SLUG, "updated_at": first, "percent": 10} for p in people])
        write_activity(engine, [{"person_id": p, "slug": SLUG, "updated_at": later, "percent": 50} for p in people])
        with engine.connect() as connection:
            found = connection.execute(sa.select(ACTIVITY.c.started_at, ACTIVITY.c.updated_at, ACTIVITY.c.percent))
            assert sorted(found) == [(first, later, 50)] * 5
        keys = [(p, SLUG) for p in people]
        answer = {"slug": SLUG, "item_id": "nytta", "text": None}
        write_evaluations(engine, keys, [{"person_id": p, "value": 2, **answer} for p in people])
        write_evaluations(engine, keys, [{"person_id": p, "value": 4, **answer} for p in people])
        assert rows(gradebook_url, f"select count(*), min(value) from {EVALUATION.name}") == [(5, 4)]


class DescribeAHandIn:
    def it_leaves_neither_submission_nor_evaluation_when_the_evaluation_cannot_be_written(
        self, catalog: Catalog, course_dir: CourseDir, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        module = catalog.module(SLUG)

        def broken(*_: object) -> None:
            raise sa.exc.OperationalError("insert", {}, Exception("disk full"))

        monkeypatch.setattr(receiving, "write_evaluations", broken)
        assert not submit(course_dir, module, "eva.lund", answers_for(module, 2)).accepted
        assert reviews_for(course_dir.db_url, "eva.lund") == {}
        assert rows(course_dir.db_url, f"select count(*) from {EVALUATION.name}") == [(0,)]
        assert not course_dir.submitted("eva.lund", SLUG).exists()

    def it_keeps_the_previous_hand_in_and_its_evaluation_when_a_resubmission_fails(
        self, catalog: Catalog, course_dir: CourseDir, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        module = catalog.module(SLUG)
        assert submit(course_dir, module, "eva.lund", answers_for(module, 2)).accepted
        before = reviews_for(course_dir.db_url, "eva.lund")[SLUG]
        evaluation = rows(course_dir.db_url, f"select item_id, value from {EVALUATION.name}")
        monkeypatch.setattr(
            receiving,
            "write_evaluations",
            lambda *_: (_ for _ in ()).throw(sa.exc.DBAPIError("insert", {}, Exception("connection lost"))),
        )
        assert not submit(course_dir, module, "eva.lund", answers_for(module, 3)).accepted
        assert reviews_for(course_dir.db_url, "eva.lund")[SLUG] == before
        assert rows(course_dir.db_url, f"select item_id, value from {EVALUATION.name}") == evaluation == [("e1", 4)]


def _hand_in_in_a_process(content: str, exercises: str, db_url: str, index: int, request_id: str) -> bool:
    """A grader worker of its own: loads the catalog and handles one hand-in for eva.lund."""
    module = load_catalog(Path(content)).module(SLUG)
    result = submit(
        CourseDir(Path(exercises), db_url), module, "eva.lund", answers_for(module, index), request_id=request_id
    )
    return result.accepted


class DescribeSeveralWorkers:
    def it_records_two_concurrent_hand_ins_of_one_person_and_module_once_each(
        self, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        arguments = [(str(catalog.root), str(course_dir.root), course_dir.db_url, n, f"{n:032x}") for n in (2, 3)]
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            assert pool.starmap(_hand_in_in_a_process, arguments) == [True, True]
        assert rows(course_dir.db_url, "select count(*) from submitted_assignment") == [(1,)]
        assert rows(course_dir.db_url, "select count(*) from student where id = 'eva.lund'") == [(1,)]
        request = (course_dir.submitted("eva.lund", SLUG) / receiving.REQUEST_FILE).read_text(encoding="utf-8")
        assert request in {f"{n:032x}" for n in (2, 3)}
        assert len(list((course_dir.root / "archive" / "eva.lund" / SLUG).iterdir())) == 1

    def it_handles_the_same_request_twice_as_once(self, catalog: Catalog, course_dir: CourseDir) -> None:
        module = catalog.module(SLUG)
        first = submit(course_dir, module, "eva.lund", answers_for(module, 2), request_id="a" * 32)
        again = submit(course_dir, module, "eva.lund", answers_for(module, 2), request_id="a" * 32)
        assert first.accepted and again.accepted and first.timestamp == again.timestamp
        assert not (course_dir.root / "archive").exists()


ANSWER_SETS = {
    "all right": {"fraga-bas": "right", "fraga-lek": "right"},
    "all wrong": {"fraga-bas": "wrong", "fraga-lek": "wrong"},
    "mixed": {"fraga-bas": "right", "fraga-lek": "wrong"},
    "empty": {},
}


def hand_in_of(catalog: Catalog, choice: dict[str, str]) -> HandIn:
    items = catalog.module(SLUG).course.preparation.knowledge_check.items
    quiz = {}
    for item in items:
        if item.id in choice:
            wrong = [i for i, option in enumerate(item.options) if not option.correct][:1]
            quiz[item.id] = {"selected": item.correct_indices if choice[item.id] == "right" else wrong}
    return HandIn.model_validate(
        {"quiz": quiz, "reflection": "", "practice": {"done": False, "note": ""}, "survey": {"likert": {}, "open": {}}}
    )


class DescribeTheWarmAutograde:
    def it_scores_every_answer_set_exactly_as_nbgraders_command_line(
        self, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        module = catalog.module(SLUG)
        grades = (
            "select s.student_id, c.name, g.auto_score, g.needs_manual_grade from grade g "
            "join submitted_notebook n on n.id = g.notebook_id join submitted_assignment s on s.id = n.assignment_id "
            "join base_cell c on c.id = g.cell_id where s.student_id = '{}' order by c.name"
        )
        for number, choice in enumerate(ANSWER_SETS.values()):
            answers = hand_in_of(catalog, choice)
            assert submit(course_dir, module, f"warm{number}", answers).accepted
            target = course_dir.submitted(f"cli{number}", SLUG)
            target.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["cp", "-r", str(course_dir.submitted(f"warm{number}", SLUG)), str(target)], check=True)
            subprocess.run(
                [
                    str(Path(sys.executable).with_name("nbgrader")),
                    "autograde",
                    SLUG,
                    "--student",
                    f"cli{number}",
                    "--force",
                    "--create",
                    f"--CourseDirectory.root={course_dir.root}",
                    f"--CourseDirectory.db_url={course_dir.db_url}",
                ],
                check=True,
                capture_output=True,
            )
            warm = [row[1:] for row in rows(course_dir.db_url, grades.format(f"warm{number}"))]
            cli = [row[1:] for row in rows(course_dir.db_url, grades.format(f"cli{number}"))]
            assert warm == cli and len(warm) == 3
        scores = {
            student: score
            for student, score in rows(
                course_dir.db_url,
                (
                    "select s.student_id, sum(g.auto_score) from grade g "
                    "join submitted_notebook n on n.id = g.notebook_id "
                    "join submitted_assignment s on s.id = n.assignment_id join base_cell c on c.id = g.cell_id "
                    "where c.name like 'test-%' group by s.student_id"
                ),
            )
        }
        assert [scores[f"warm{n}"] for n in range(4)] == [2.0, 0.0, 1.0, 0.0]

    def it_starts_its_kernel_before_the_first_hand_in_and_grades_on_that_kernel(
        self, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        try:
            autograde.warm_up(course_dir)
            kernel = autograde._kernels["python3"]
            started = kernel.kernel_id
            assert kernel.has_kernel and started
            assert submit(course_dir, catalog.module(SLUG), "eva.lund", answers_for(catalog.module(SLUG), 1)).accepted
            assert autograde._kernels["python3"].kernel_id == started
        finally:
            autograde.shut_down_kernels()
        assert autograde._kernels == {}


@pytest.fixture(autouse=True)
def _fresh_engines() -> object:
    """Each test's database is dropped afterwards: no pooled connection of this process may outlive it."""
    yield
    gradebook_engine.dispose_all()
