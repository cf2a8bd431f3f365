"""Submissions tracked by the real nbgrader: build, submit, autograde, gradebook, review, feedback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from resurskurs.catalog.load import Catalog
from resurskurs.demo.district import demo_district
from resurskurs.district.roster import MAX_LENGTHS, Role, read_roster, write_roster
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.testing.hand_ins import SLUG, answers_for, expected_score
from resurskurs.tracking import hand_in, handin_queue
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.hand_in import NO_SERVICE, send
from resurskurs.tracking.roster_import import PEOPLE, import_people
from resurskurs.tracking.submit import SubmissionError, autograde, submit
from tests.databases import unreachable_like


class DescribeBuild:
    def it_releases_a_notebook_without_the_answers_and_rebuilds_as_a_no_op(
        self, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        released = course_dir.release(SLUG).read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in released and "BEGIN SOLUTION" not in released
        source = nbformat.read(course_dir.source(SLUG), as_version=4)
        points = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
                  for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")}
        assert points == {"test-fraga-bas": 1, "test-fraga-lek": 1, REFLECTION_ID: 1}
        submitted = course_dir.submitted("someone", SLUG)
        submitted.mkdir(parents=True)
        (submitted / "keep.txt").write_text("mine", encoding="utf-8")
        before = course_dir.release(SLUG).stat().st_mtime_ns
        assert [result.changed for result in build(catalog, course_dir)] == [False]
        assert course_dir.release(SLUG).stat().st_mtime_ns == before
        assert (submitted / "keep.txt").read_text(encoding="utf-8") == "mine"


class DescribeSubmit:
    def it_grades_thirty_staff_and_reports_one_corrupt_notebook_without_touching_the_rest(
        self, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        module = catalog.module(SLUG)
        staff = [p for p in demo_district(staff=30, units=2, seed=4) if p.role is Role.STAFF]
        import_people(staff, course_dir)
        expected = {}
        for index, person in enumerate(staff):
            answers = answers_for(module, index)
            assert submit(course_dir, module, person.id, answers).accepted
            expected[person.id] = expected_score(module, answers)
        scores = {p.id: reviews_for(course_dir.db_url, p.id)[SLUG].quiz_score for p in staff}
        assert scores == expected
        assert len(set(scores.values())) > 1

        broken = staff[7].id
        (course_dir.submitted(broken, SLUG) / f"{SLUG}.ipynb").write_text("{ not json", encoding="utf-8")
        errors = []
        for person in staff:
            try:
                autograde(course_dir, SLUG, person.id)
            except SubmissionError as error:
                errors.append(str(error))
        assert len(errors) == 1
        assert errors[0].startswith(f"{course_dir.submitted(broken, SLUG) / f'{SLUG}.ipynb'}: the submitted notebook "
                                    "cannot be read")
        assert {p.id: reviews_for(course_dir.db_url, p.id)[SLUG].quiz_score for p in staff} == expected

    def it_keeps_earlier_submissions_and_counts_the_newest(self, catalog: Catalog, course_dir: CourseDir) -> None:
        module = catalog.module(SLUG)
        first, second = answers_for(module, 1), answers_for(module, 6)
        assert submit(course_dir, module, "eva.lund", first).accepted
        assert submit(course_dir, module, "eva.lund", second).accepted
        assert reviews_for(course_dir.db_url, "eva.lund")[SLUG].quiz_score == expected_score(module, second)
        (kept,) = (course_dir.root / "archive" / "eva.lund" / SLUG).iterdir()
        assert "Min reflektion nummer 1 " in (kept / f"{SLUG}.ipynb").read_text(encoding="utf-8")

    def it_holds_back_a_reflection_naming_a_child_and_stores_nothing(
        self, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        named = {"reflection": "Pojken Omar, 850709-9805, grät."}
        answers = answers_for(catalog.module(SLUG), 2).model_copy(update=named)
        result = submit(course_dir, catalog.module(SLUG), "eva.lund", answers)
        assert not result.accepted
        assert [message.split(":")[0] for message in result.messages] == ["Reflektionsuppgiften"] * 2
        assert "person- eller samordningsnummer (”850709-9805”)" in " ".join(result.messages)
        assert not course_dir.submitted("eva.lund", SLUG).exists()
        assert reviews_for(course_dir.db_url, "eva.lund") == {}

    def it_puts_the_previous_submission_back_when_grading_fails(
        self, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        module = catalog.module(SLUG)
        assert submit(course_dir, module, "eva.lund", answers_for(module, 2)).accepted
        before = (course_dir.submitted("eva.lund", SLUG) / f"{SLUG}.ipynb").read_text(encoding="utf-8")
        broken = CourseDir(course_dir.root, unreachable_like(course_dir.db_url))
        result = submit(broken, module, "eva.lund", answers_for(module, 3))
        assert not result.accepted
        assert result.messages[0].startswith("Inlämningen gick inte att ta emot just nu. Ingenting är förlorat")
        assert (course_dir.submitted("eva.lund", SLUG) / f"{SLUG}.ipynb").read_text(encoding="utf-8") == before


class DescribeReview:
    def it_shows_the_resource_teams_grade_and_comment_as_feedback(
        self, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        from nbgrader.api import Gradebook

        assert submit(course_dir, catalog.module(SLUG), "eva.lund", answers_for(catalog.module(SLUG), 2)).accepted
        assert reviews_for(course_dir.db_url, "eva.lund")[SLUG].reviewed is False
        with Gradebook(course_dir.db_url, course_id="resurskurs") as gradebook:
            grade = gradebook.find_grade(REFLECTION_ID, SLUG, SLUG, "eva.lund")
            grade.manual_score = 1
            grade.needs_manual_grade = False  # as nbgrader's formgrader GradeHandler does on a manual score
            comment = gradebook.find_comment(REFLECTION_ID, SLUG, SLUG, "eva.lund")
            comment.manual_comment = "Fint att du kopplar till trygg bas. Pröva gärna igen vid hämtning."
            gradebook.db.commit()
        review = reviews_for(course_dir.db_url, "eva.lund")[SLUG]
        assert review.reviewed is True
        assert review.comment == "Fint att du kopplar till trygg bas. Pröva gärna igen vid hämtning."


class DescribeConcurrentSubmits:
    def it_lands_twenty_submits_from_separate_processes(self, tmp_path: Path, catalog: Catalog,
                                                        course_dir: CourseDir) -> None:
        env = {**os.environ, "RESURSKURS_ROOT": str(catalog.root), "RESURSKURS_GRADEBOOK_URL": course_dir.db_url}
        (catalog.root / "exercises").symlink_to(course_dir.root)
        template = demo_district(staff=1, units=1, seed=2)[0]
        import_people([replace(template, id=f"person{n}") for n in range(20)], course_dir)
        service = subprocess.Popen([sys.executable, "-m", "resurskurs", "grader"], env=env)
        deadline = time.monotonic() + 60
        while not handin_queue.service_alive(course_dir.queue, 5) and time.monotonic() < deadline:
            time.sleep(0.1)
        script = ("import sys\nfrom resurskurs.core.answers import HandIn\n"
                  "from resurskurs.tracking.course_dir import CourseDir\n"
                  "from resurskurs.tracking.hand_in import send\n"
                  "answers = HandIn.model_validate_json(sys.argv[2])\n"
                  "outcome = send(CourseDir.default(), 'prova-pa', sys.argv[1], answers)\n"
                  "print(json.dumps([outcome.accepted, outcome.messages]))")
        module = catalog.module(SLUG)
        try:
            senders = [
                subprocess.Popen([sys.executable, "-c", "import json\n" + script, f"person{n}",
                                  answers_for(module, n).model_dump_json()],
                                 env=env, stdout=subprocess.PIPE, text=True)
                for n in range(20)
            ]
            outcomes = [json.loads(sender.communicate(timeout=300)[0]) for sender in senders]
        finally:
            service.terminate()
            service.wait(timeout=30)
        assert [accepted for accepted, _ in outcomes] == [True] * 20
        for n in range(20):
            assert reviews_for(course_dir.db_url, f"person{n}")[SLUG].quiz_score == expected_score(
                module, answers_for(module, n))


class DescribeRosterImport:
    def it_makes_students_and_keeps_unit_and_role_beside_them(self, course_dir: CourseDir) -> None:
        import sqlalchemy as sa

        people = demo_district(staff=3, units=1, seed=2)
        assert import_people(people, course_dir) == len(people)
        assert import_people(people, course_dir) == len(people)
        engine = sa.create_engine(course_dir.db_url)
        with engine.connect() as connection:
            rows = connection.execute(sa.select(PEOPLE.c.id, PEOPLE.c.unit, PEOPLE.c.role)).all()
            students = connection.execute(sa.text("select id, first_name from student")).all()
        engine.dispose()
        assert sorted(rows) == sorted((p.id, p.unit, p.role.value) for p in people)
        assert sorted(students) == sorted((p.id, p.first_name) for p in people)

    def it_leaves_out_rows_longer_than_the_gradebook_holds(self, tmp_path: Path, course_dir: CourseDir) -> None:
        people = demo_district(staff=2, units=1, seed=2)
        long = replace(people[0], id="lang.namn", first_name="A" * 129)
        write_roster([*people, long], tmp_path / "roster.csv")
        roster = read_roster(tmp_path / "roster.csv")
        assert [(p.line, p.field, p.message) for p in roster.problems] == [
            (len(people) + 2, "first_name", "129 characters; the gradebook holds at most 128")
        ]
        assert import_people(roster.people, course_dir) == len(people)

    def it_checks_the_same_widths_as_the_gradebook_columns(self) -> None:
        from nbgrader.api import Student

        widths = {name: Student.__table__.c[name].type.length for name in ("first_name", "last_name", "email")}
        widths |= {name: PEOPLE.c[name].type.length for name in ("unit", "work_team")}
        assert widths == MAX_LENGTHS


class DescribeSendingWithoutAService:
    def it_says_so_in_swedish_and_leaves_nothing_queued(
        self, catalog: Catalog, course_dir: CourseDir, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(hand_in, "NO_SERVICE_SECONDS", 0.5)
        outcome = send(course_dir, SLUG, "eva.lund", answers_for(catalog.module(SLUG), 2))
        assert not outcome.accepted
        assert outcome.messages == [NO_SERVICE]
        assert list(course_dir.queue.glob("*.json")) == []
        assert not course_dir.submitted("eva.lund", SLUG).exists()


class DescribeTheCommandLine:
    def it_imports_a_roster_reporting_bad_rows_and_prints_progress(
        self, tmp_path: Path, catalog: Catalog, course_dir: CourseDir, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from typer.testing import CliRunner

        from resurskurs.cli import app
        from resurskurs.district.roster import write_roster

        var = tmp_path / "var"
        people = demo_district(staff=2, units=1, seed=8)
        write_roster(people, var / "roster.csv")
        with (var / "roster.csv").open("a", encoding="utf-8") as roster:
            roster.write("bad id,X,Y,x@forskola.example,Förskolan Ekorren,Avdelning Gul,staff\n")
        monkeypatch.setenv("RESURSKURS_ROOT", str(catalog.root))
        monkeypatch.setenv("RESURSKURS_VAR", str(var))
        monkeypatch.setenv("RESURSKURS_EXERCISES", str(course_dir.root))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", course_dir.db_url)
        runner = CliRunner()

        imported = runner.invoke(app, ["roster", "import", str(var / "roster.csv")])
        assert imported.exit_code == 1
        assert f"roster.csv:{len(people) + 2}:1: id: id 'bad id' should be lower-case" in imported.output
        assert f"imported {len(people)} people; 1 row(s) left out" in imported.output

        staff = [p for p in people if p.role is Role.STAFF]
        module = catalog.module(SLUG)
        assert submit(course_dir, module, staff[0].id, answers_for(module, 6)).accepted
        shown = runner.invoke(app, ["progress", "--json", "--unit", staff[0].unit])
        assert shown.exit_code == 0, shown.output
        rows = {row["person"]: row for row in json.loads(shown.output)}
        submitted_at = rows[staff[0].id].pop("submitted_at")
        assert rows[staff[0].id] == {"person": staff[0].id, "unit": staff[0].unit, "work_team": staff[0].work_team,
                                     "module": SLUG, "status": "submitted", "complete": False, "percent": 0,
                                     "score": expected_score(module, answers_for(module, 6)), "max_score": 2.0,
                                     "started_at": None}
        assert submitted_at is not None
        assert rows[staff[1].id]["status"] == "not_started"
