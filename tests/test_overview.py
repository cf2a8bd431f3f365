"""Progress for principals and the resource team: the query, the evaluations, the synthetic district, reports."""

from __future__ import annotations

import csv
import io
import threading
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from typer.testing import CliRunner

from resurskurs.backend.local import LocalBackend
from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.cli import app
from resurskurs.core.answers import SurveyAnswer
from resurskurs.core.disclosure import MIN_ANSWERS
from resurskurs.core.figures import DISTRICT, DistrictFigures, EvaluationFigures
from resurskurs.core.progress import Stage, Status, progress, steps
from resurskurs.demo.district import demo_district
from resurskurs.demo.plans import Plan, bulk_plans, mixed_plans, plan_progress, submit_plans, write_drafts
from resurskurs.district.releases import load_releases
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.gradebook.progress import evaluations, progress_rows, unit_figures
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.learners.store import AnswerStore
from resurskurs.overview.district_page import district_reads
from resurskurs.overview.report import Table, csv_bytes, xlsx_bytes
from resurskurs.overview.unit_page import unit_tables
from resurskurs.testing.content import player_content
from resurskurs.tracking import grader
from resurskurs.tracking.activity import sync_activity
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.people import find_person
from resurskurs.tracking.roster_import import import_people
from tests.conftest import REPO
from tests.databases import DatabaseServer

SLUG = "prova-pa"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    loaded = load_catalog(player_content(tmp_path_factory.mktemp("content")))
    assert loaded.problems == []
    return loaded


def district_in(url: str, folder: Path, catalog: Catalog, people: list[Person], plans: list[Plan]) -> CourseDir:
    course_dir = CourseDir(folder / "exercises", url)
    import_people(people, course_dir)
    build(catalog, course_dir)
    bulk_plans(plans, catalog, course_dir)
    return course_dir


@pytest.fixture
def people() -> list[Person]:
    return demo_district(staff=24, units=2, seed=21)


@pytest.fixture
def plans(people: list[Person], catalog: Catalog) -> list[Plan]:
    return plan_progress(people, catalog, seed=21, now=NOW)


@pytest.fixture
def district(tmp_path: Path, gradebook_url: str, catalog: Catalog, people: list[Person], plans: list[Plan]) -> str:
    district_in(gradebook_url, tmp_path, catalog, people, plans)
    return gradebook_url


def day_of(value: object) -> object:
    """A date cell reads back as midnight; the table holds the day."""
    return value.date() if isinstance(value, datetime) else value


def units_of(people: list[Person]) -> list[str]:
    return sorted({person.unit for person in people if person.role is Role.STAFF})


class DescribeProgressQuery:
    def it_gives_a_principal_their_units_staff_and_nobody_elses(self, district: str, people: list[Person]) -> None:
        unit_a, unit_b = units_of(people)
        rows = progress_rows(district, [SLUG], [unit_a])
        staff_a = {p.id for p in people if p.unit == unit_a and p.role is Role.STAFF}
        assert {row.person_id for row in rows} == staff_a
        assert {row.unit for row in rows} == {unit_a}
        assert not {p.id for p in people if p.unit == unit_b} & {row.person_id for row in rows}

    def it_leaves_principals_and_the_resource_team_out_of_the_staff(self, district: str, people: list[Person]) -> None:
        rows = progress_rows(district, [SLUG])
        assert {row.person_id for row in rows} == {p.id for p in people if p.role is Role.STAFF}

    def it_agrees_with_the_plan_person_by_person(self, district: str, plans: list[Plan], catalog: Catalog) -> None:
        planned = {plan.person_id: plan for plan in plans if plan.slug == SLUG}
        for row in progress_rows(district, [SLUG]):
            plan = planned.get(row.person_id)
            if plan is None:
                assert row.status is Status.NOT_STARTED and row.percent == 0
                continue
            state = progress(catalog.module(SLUG), plan.answers, None)
            assert row.percent == state.percent, "a hand-in keeps the percent of the one rule, never a flat 100"
            if plan.submitted_at is None:
                assert row.status is Status.IN_PROGRESS
            else:
                assert row.status is (Status.REVIEWED if plan.review else Status.SUBMITTED)
                assert row.submitted_at == plan.submitted_at.replace(tzinfo=None)
                review = reviews_for(district, row.person_id)[SLUG]
                assert review.points == (plan.review.points if plan.review else None), "the learner sees each point"
        rows = progress_rows(district, [SLUG])
        assert len({row.status for row in rows}) == len(Status)
        assert {row.stage for row in rows} == set(Stage), "the demo shows hand-ins with steps missing too"

    def it_reads_the_same_scores_as_nbgraders_own_gradebook(self, tmp_path: Path, district: str) -> None:
        from nbgrader.api import Gradebook

        rows = [row for row in progress_rows(district, [SLUG]) if row.score is not None]
        assert rows
        with Gradebook(district, course_id="resurskurs") as gradebook:
            for row in rows:
                notebook = gradebook.find_submission_notebook(SLUG, SLUG, row.person_id)
                quiz = [grade for grade in notebook.grades if grade.name.startswith("test-")]
                assert row.score == sum(grade.score for grade in quiz)
                assert row.score_max == sum(grade.max_score for grade in quiz)
                assert (row.status is Status.REVIEWED) == (not notebook.needs_manual_grade)


class DescribeTheDemoHeldToTheProgressRule:
    """Every seeded module reads the same in the player's checklist, the gradebook and the principal's view."""

    def it_seeds_every_module_through_the_one_rule(self, people: list[Person], catalog: Catalog) -> None:
        plans = plan_progress(people, catalog, seed=21, now=NOW)
        assert {plan.slug for plan in plans} == {module.course.slug for module in catalog.modules}
        for plan in plans:
            module = catalog.module(plan.slug)
            quiz = plan.answers.quiz
            for item in module.course.preparation.knowledge_check.items:
                if item.id in quiz:
                    right = sorted(quiz[item.id].selected) == item.correct_indices
                    assert quiz[item.id].correct == right, "the checklist counts what the player shows as right"
            state = progress(module, plan.answers)
            assert state.status is Status.IN_PROGRESS
            if plan.submitted_at is None:
                assert state.percent < 100
        handed_in = [plan for plan in plans if plan.submitted_at]
        complete = [plan for plan in handed_in if progress(catalog.module(plan.slug), plan.answers).percent == 100]
        assert complete and len(complete) < len(handed_in), "most hand-ins complete, some with steps missing"

    def it_scores_the_knowledge_check_as_the_checklist_counts_it(
        self, district: str, plans: list[Plan], catalog: Catalog
    ) -> None:
        module = catalog.module(SLUG)
        items = module.course.preparation.knowledge_check.items
        planned = {plan.person_id: plan for plan in plans if plan.slug == SLUG and plan.submitted_at}
        for row in progress_rows(district, [SLUG]):
            if row.person_id in planned:
                answers = planned[row.person_id].answers
                right = sum(item.points for item in items if item.id in answers.quiz and answers.quiz[item.id].correct)
                assert row.score == right
                assert f"{sum(1 for q in answers.quiz.values() if q.correct)} av {len(items)} rätt" in (
                    steps(module, answers)[1].label
                )


class DescribeTheSignedInPerson:
    def it_is_read_from_the_gradebook_by_id_alone_as_the_roster_has_them(
        self, district: str, people: list[Person]
    ) -> None:
        for role in Role:
            person = next(p for p in people if p.role is role)
            assert find_person(district, person.id) == person
        assert find_person(district, "okand.person") is None

    def it_keeps_every_unit_a_principal_leads(self, district: str, people: list[Person], tmp_path: Path) -> None:
        principal = next(p for p in people if p.role is Role.PRINCIPAL)
        leader = replace(principal, more_units=tuple(u for u in units_of(people) if u != principal.unit))
        import_people([leader], CourseDir(tmp_path / "exercises", district))
        assert find_person(district, leader.id) == leader and len(leader.units) == 2
        import_people([principal], CourseDir(tmp_path / "exercises", district))
        assert find_person(district, leader.id) == principal

    def it_is_nobody_before_a_roster_is_imported(self, tmp_path: Path) -> None:
        assert find_person(f"sqlite:///{tmp_path / 'gradebook.db'}", "amira.lindqvist") is None
        assert not (tmp_path / "gradebook.db").exists()


class DescribeSyntheticDistrict:
    def it_gives_the_same_progress_through_the_real_submit_path_as_in_bulk(
        self, tmp_path: Path, catalog: Catalog
    ) -> None:
        people = demo_district(staff=6, units=1, seed=4)
        plans = plan_progress(people, catalog, seed=4, now=NOW)
        assert [plan for plan in plans if plan.submitted_at]
        bulk = district_in(f"sqlite:///{tmp_path / 'bulk.db'}", tmp_path / "bulk", catalog, people, plans)
        real = CourseDir(tmp_path / "real" / "exercises", f"sqlite:///{tmp_path / 'real.db'}")
        import_people(people, real)
        build(catalog, real)
        submit_plans(plans, catalog, real)
        assert progress_rows(real.db_url, [SLUG]) == progress_rows(bulk.db_url, [SLUG])
        assert (real.submitted(plans[0].person_id, SLUG) / f"{SLUG}.ipynb").is_file() == bool(plans[0].submitted_at)

    def it_gives_the_same_progress_mixed_and_keeps_notebooks_for_what_waits_for_review(
        self, tmp_path: Path, catalog: Catalog
    ) -> None:
        people = demo_district(staff=12, units=1, seed=4)
        plans = plan_progress(people, catalog, seed=4, now=NOW)
        waiting = [plan for plan in plans if plan.submitted_at and plan.review is None and plan.slug == SLUG]
        reviewed = [plan for plan in plans if plan.review is not None and plan.slug == SLUG]
        assert waiting and reviewed
        bulk = district_in(f"sqlite:///{tmp_path / 'bulk.db'}", tmp_path / "bulk", catalog, people, plans)
        mixed = CourseDir(tmp_path / "mixed" / "exercises", f"sqlite:///{tmp_path / 'mixed.db'}")
        import_people(people, mixed)
        build(catalog, mixed)
        assert mixed_plans(plans, catalog, mixed) == sum(1 for plan in plans if plan.submitted_at)
        assert progress_rows(mixed.db_url, [SLUG]) == progress_rows(bulk.db_url, [SLUG])
        assert all((mixed.submitted(plan.person_id, SLUG) / f"{SLUG}.ipynb").is_file() for plan in waiting)
        assert not any(mixed.submitted(plan.person_id, SLUG).exists() for plan in reviewed)

    def it_is_the_same_district_for_the_same_seed(self, people: list[Person], catalog: Catalog) -> None:
        assert plan_progress(people, catalog, 3, NOW) == plan_progress(people, catalog, 3, NOW)
        assert plan_progress(people, catalog, 3, NOW) != plan_progress(people, catalog, 4, NOW)

    def it_fills_a_demo_only_once_so_real_progress_is_never_replaced(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RESURSKURS_VAR", str(tmp_path / "var"))
        monkeypatch.setenv("RESURSKURS_EXERCISES", str(tmp_path / "exercises"))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", f"sqlite:///{tmp_path / 'gradebook.db'}")
        first = CliRunner().invoke(app, ["demo", "--staff", "8", "--units", "2", "--via", "gradebook"])
        assert first.exit_code == 0, first.output
        assert "handed in" in first.output
        releases = load_releases(tmp_path / "var")
        assert releases.started and releases.releases, "what the demo's staff have begun is released"
        assert len(releases.releases) < 2 * len(load_catalog(REPO).modules), "and some modules wait for a principal"
        second = CliRunner().invoke(app, ["demo", "--staff", "8", "--units", "2", "--via", "gradebook"])
        assert second.exit_code == 0 and "left as it is" in second.output


class DescribeBackends:
    def it_gives_identical_results_on_sqlite_and_postgresql(
        self,
        tmp_path: Path,
        postgres_server: DatabaseServer,
        catalog: Catalog,
        people: list[Person],
        plans: list[Plan],
    ) -> None:
        postgresql = postgres_server.create_database()
        try:
            sqlite = f"sqlite:///{tmp_path / 'gradebook.db'}"
            district_in(sqlite, tmp_path / "sqlite", catalog, people, plans)
            district_in(postgresql, tmp_path / "postgresql", catalog, people, plans)
            for units in (None, units_of(people)[:1]):
                assert progress_rows(postgresql, [SLUG], units) == progress_rows(sqlite, [SLUG], units)
                assert progress_rows(sqlite, [SLUG], units)
            assert evaluations(postgresql, catalog) == evaluations(sqlite, catalog) != {}
        finally:
            postgres_server.drop_database(postgresql)


class DescribeTheDistrictPagesReads:
    def it_reads_the_counts_and_the_evaluation_side_by_side_and_gets_what_each_read_alone_gives(
        self, tmp_path: Path, district: str, catalog: Catalog, people: list[Person]
    ) -> None:
        team = next(person for person in people if person.role is Role.RESOURCE_TEAM)
        course_dir = CourseDir(tmp_path / "exercises", district)
        backend = LocalBackend(team, catalog, course_dir, tmp_path / "var")
        both_reading = threading.Barrier(2, timeout=30)

        class Watched(LocalBackend):
            """The real backend, each read waiting until the other has started too: read one after the other,
            the first waits in vain and the barrier breaks."""

            def district_figures(self) -> DistrictFigures:
                both_reading.wait()
                return super().district_figures()

            def evaluations(self) -> dict[tuple[str, str], EvaluationFigures]:
                both_reading.wait()
                return super().evaluations()

        watched = Watched(team, catalog, course_dir, tmp_path / "var")
        counted, evaluated = district_reads(watched)
        assert (counted, evaluated) == (backend.district_figures(), backend.evaluations())
        assert sum(counted.staff.values()) == sum(person.role is Role.STAFF for person in people)
        assert evaluated != {}


def answered_per_unit(plans: list[Plan], people: list[Person]) -> Counter[str]:
    """How many in each unit handed in an evaluation answer of SLUG."""
    unit = {person.id: person.unit for person in people}
    return Counter(
        unit[plan.person_id]
        for plan in plans
        if plan.submitted_at and plan.slug == SLUG and plan.answers.survey != SurveyAnswer()
    )


class DescribeEvaluations:
    def it_shows_a_unit_only_when_at_least_five_answered_and_counts_no_hidden_unit_in_the_total(
        self, district: str, catalog: Catalog, plans: list[Plan], people: list[Person]
    ) -> None:
        answered = answered_per_unit(plans, people)
        found = evaluations(district, catalog)
        assert sorted(answered.values())[0] < MIN_ANSWERS <= sorted(answered.values())[-1]
        shown = {group: n for group, n in answered.items() if n >= MIN_ANSWERS}
        assert {group for group in answered if (group, SLUG) in found} == set(shown)
        assert found[DISTRICT, SLUG].answered == sum(shown.values())

    def it_counts_every_likert_answer_and_lists_open_answers_without_names(
        self, district: str, catalog: Catalog, plans: list[Plan], people: list[Person]
    ) -> None:
        answered = answered_per_unit(plans, people)
        unit = {person.id: person.unit for person in people}
        handed_in = [
            plan
            for plan in plans
            if plan.submitted_at and plan.slug == SLUG and answered[unit[plan.person_id]] >= MIN_ANSWERS
        ]
        figures = evaluations(district, catalog)[DISTRICT, SLUG]
        for item in figures.likert:
            expected = Counter(plan.answers.survey.likert.get(item.item_id) for plan in handed_in)
            assert item.counts == tuple(expected.get(step, 0) for step in range(1, 6))
        written = sorted(text for plan in handed_in for text in plan.answers.survey.open.values())
        assert sorted(text for texts in figures.open_answers.values() for text in texts) == written
        names = {person.first_name for person in people}
        assert not any(name in text for texts in figures.open_answers.values() for text in texts for name in names)


class DescribeActivity:
    def it_turns_drafts_into_in_progress_with_the_players_percent(
        self, tmp_path: Path, gradebook_url: str, catalog: Catalog, people: list[Person], plans: list[Plan]
    ) -> None:
        course_dir = district_in(gradebook_url, tmp_path, catalog, people, [])
        started = [plan for plan in plans if plan.slug == SLUG and plan.submitted_at is None]
        write_drafts(started, tmp_path / "var")
        import sqlalchemy as sa

        assert sync_activity(catalog, tmp_path / "var" / "answers", sa.create_engine(course_dir.db_url)) == len(started)
        rows = {row.person_id: row for row in progress_rows(course_dir.db_url, [SLUG])}
        for plan in started:
            assert rows[plan.person_id].status is Status.IN_PROGRESS
            assert rows[plan.person_id].percent == progress(catalog.module(SLUG), plan.answers).percent

    def it_records_the_evaluation_when_the_grader_takes_a_submission(
        self, tmp_path: Path, gradebook_url: str, catalog: Catalog, people: list[Person], plans: list[Plan]
    ) -> None:
        course_dir = district_in(gradebook_url, tmp_path, catalog, people, [])
        unit = {person.id: person.unit for person in people}
        evaluated = [plan for plan in plans if plan.slug == SLUG and plan.submitted_at and plan.answers.survey.likert]
        (largest, _), *_ = Counter(unit[plan.person_id] for plan in evaluated).most_common()
        handed = [plan for plan in evaluated if unit[plan.person_id] == largest][:MIN_ANSWERS]
        for plan in handed:
            request = {
                "slug": SLUG,
                "person": plan.person_id,
                "answers": plan.answers.hand_in().model_dump(),
                "request": uuid.uuid4().hex,
            }
            assert grader.handle(catalog, course_dir, request)["accepted"] is True
        assert evaluations(course_dir.db_url, catalog)[DISTRICT, SLUG].answered == MIN_ANSWERS
        assert AnswerStore(tmp_path / "var", handed[0].person_id).load_all() == {}


class DescribeReport:
    def it_writes_an_xlsx_with_the_same_numbers_as_the_principals_view(
        self,
        tmp_path: Path,
        district: str,
        catalog: Catalog,
        people: list[Person],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        unit = units_of(people)[0]
        monkeypatch.setenv("RESURSKURS_ROOT", str(catalog.root))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", district)
        write_roster(people, tmp_path / "roster.csv")
        result = CliRunner().invoke(app, ["report", "--unit", unit, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")])
        assert result.exit_code == 0, result.output
        titles = {module.course.slug: module.course.title for module in catalog.modules}
        shown = unit_tables(progress_rows(district, [SLUG], [unit]), titles)
        workbook = load_workbook(tmp_path / "r.xlsx")
        for table in shown:
            sheet = [[day_of(value) for value in row] for row in workbook[table.title].iter_rows(values_only=True)]
            assert sheet == [table.header, *table.rows]
        staff = sum(1 for p in people if p.unit == unit and p.role is Role.STAFF)
        assert workbook["Moduler"]["A1"].value == "Modul", "one unit's report names the unit once, not per row"
        assert workbook["Moduler"]["B2"].value == staff

    def it_writes_the_same_per_person_rows_to_csv_as_to_the_excel_file(
        self, tmp_path: Path, district: str, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RESURSKURS_ROOT", str(catalog.root))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", district)
        for file_format in ("xlsx", "csv"):
            output = str(tmp_path / f"r.{file_format}")
            result = CliRunner().invoke(app, ["report", "--format", file_format, "-o", output])
            assert result.exit_code == 0, result.output
        rows = progress_rows(district, [module.course.slug for module in catalog.modules])
        assert f"{len(rows)} rows of progress" in result.output
        sheet = list(load_workbook(tmp_path / "r.xlsx")["Personer"].iter_rows(values_only=True))
        written = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
        assert len(written) == len(sheet) == len(rows) + 1
        assert written[0] == list(sheet[0])
        assert [line[2] for line in written[1:]] == [row[2] for row in sheet[1:]], "the same people in the same order"
        assert {line[4] for line in written[1:]} >= {"Inte påbörjad", "Klar, granskad"}

    def it_sizes_columns_to_their_content_and_writes_days_as_dates(self) -> None:
        title = "Trygga relationer, lek och lärande i förskolan utifrån anknytningsteorin"
        header = ["Namn", "Modul", "Inlämnad", "Medel"]
        table = Table("Personer", header, [["Eva Lund", title, date(2026, 11, 30), 4.2]])
        sheet = load_workbook(io.BytesIO(xlsx_bytes([table])))["Personer"]
        assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd"
        assert sheet["C2"].value == datetime(2026, 11, 30)
        widths = {column: sheet.column_dimensions[column].width for column in "ABCD"}
        assert widths["A"] >= len("Eva Lund") and widths["B"] >= 60 and 10 <= widths["C"] <= 14, widths
        rows = csv_bytes(table).decode("utf-8-sig").splitlines()
        assert rows[1].endswith(';"2026-11-30";"4,2"')

    def it_names_an_unknown_unit_instead_of_writing_an_empty_report(
        self, tmp_path: Path, district: str, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RESURSKURS_ROOT", str(catalog.root))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", district)
        result = CliRunner().invoke(app, ["report", "--unit", "Förskolan Saknas", "-o", str(tmp_path / "r.xlsx")])
        assert result.exit_code == 1
        assert "Förskolan Saknas" in result.output and not (tmp_path / "r.xlsx").exists()


class DescribeAUnitsWorkshopDeck:
    def it_charts_the_units_progress_natively_and_adds_its_evaluation_from_five_answers(
        self, tmp_path: Path, district: str, catalog: Catalog, people: list[Person], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RESURSKURS_ROOT", str(catalog.root))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", district)
        for unit in units_of(people):
            deck_file = tmp_path / f"{unit}.pptx"
            result = CliRunner().invoke(app, ["slides", SLUG, "--unit", unit, "-o", str(deck_file)])
            assert result.exit_code == 0, result.output
            deck = Presentation(str(deck_file))
            charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
            figures, evaluation = unit_figures(district, catalog, SLUG, unit)
            assert [list(chart.plots[0].series[0].values) for chart in charts][:1] == [
                [float(figures.counts[stage]) for stage in Stage]
            ]
            titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
            assert any(title.startswith("Utvärdering") for title in titles) == (evaluation is not None)
