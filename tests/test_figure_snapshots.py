"""Figures that cannot be differenced over time: a unit's evaluation and follow-up figures are published as
snapshots that change only when at least five answers have come since the last one, on screen, in the report
and in decks, on one machine and through the grader service; erasure takes a person's text out of them."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pptx import Presentation
from typer.testing import CliRunner

from resurskurs.backend.contract import Backend
from resurskurs.backend.hub import HubBackend
from resurskurs.backend.local import LocalBackend
from resurskurs.backend.settings import Settings
from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.cli import app
from resurskurs.core.answers import SurveyAnswer
from resurskurs.core.disclosure import MIN_ANSWERS, UPDATES
from resurskurs.core.figures import DISTRICT, EvaluationFigures, LikertFigures
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook import snapshots
from resurskurs.gradebook.engine import migrated
from resurskurs.gradebook.snapshots import Survey, published
from resurskurs.gradebook.tables import EVALUATION, SNAPSHOT
from resurskurs.learners.follow_up import FollowUpStore
from resurskurs.overview.district_page import district_view
from resurskurs.overview.follow_up_section import follow_up_section
from resurskurs.privacy import erase, retention
from resurskurs.privacy.locate import Stores
from resurskurs.testing.content import FOLLOW_UP, player_content
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.evaluation import evaluation_rows, write_evaluations
from resurskurs.tracking.roster_import import import_people
from tests.test_backend_contract import service_on_loopback

SLUG = "prova-pa"
SOLEN, MANEN = "Förskolan Solen", "Förskolan Månen"
STAFF = [
    Person(f"prov.{i:02d}", "Alva", f"Provare{i}", f"prov.{i:02d}@stad.example.se", SOLEN if i < 20 else MANEN,
           "Blå", Role.STAFF)
    for i in range(30)
]  # fmt: skip
SOLEN_STAFF = [person for person in STAFF if person.unit == SOLEN]
MANEN_STAFF = [person for person in STAFF if person.unit == MANEN]
PRINCIPAL = Person("rut.lind", "Rut", "Lind", "rut.lind@stad.example.se", SOLEN, "Ledning", Role.PRINCIPAL)
TEAM = Person("eva.ros", "Eva", "Ros", "eva.ros@stad.example.se", "Resursenheten", "Resursteamet", Role.RESOURCE_TEAM)
FIRST = 6
"""Answers in Solen before the first view: enough to be shown."""
MakeBackend = Callable[[Person], Backend]


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    """The short player course with a 3-month follow-up."""
    content = player_content(tmp_path / "content")
    with (content / "courses" / SLUG / "course.yaml").open("a", encoding="utf-8") as course:
        course.write(FOLLOW_UP)
    loaded = load_catalog(content)
    assert loaded.problems == []
    return loaded


@pytest.fixture
def course_dir(tmp_path: Path, gradebook_url: str) -> CourseDir:
    directory = CourseDir(tmp_path / "exercises", gradebook_url)
    import_people([*STAFF, PRINCIPAL, TEAM], directory)
    return directory


@pytest.fixture
def var(tmp_path: Path) -> Path:
    folder = tmp_path / "var"
    folder.mkdir()
    return folder


def text_of(person: Person) -> str:
    return f"Mer tid till samtal, skriver nummer {person.last_name[-2:]}."


def answer(catalog: Catalog, course_dir: CourseDir, person: Person, value: int = 4, text: str | None = None) -> None:
    """The person's evaluation answer, written as the grader writes it when it takes a hand-in."""
    module = catalog.module(SLUG)
    survey = SurveyAnswer(likert={"e1": value}, open={"o1": text if text is not None else text_of(person)})
    write_evaluations(migrated(course_dir.db_url), [(person.id, SLUG)], evaluation_rows(module, person.id, survey))


def answered_in_gradebook(course_dir: CourseDir) -> int:
    with migrated(course_dir.db_url).connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.count(sa.distinct(EVALUATION.c.person_id)))).scalar_one()
        )


def texts(found: EvaluationFigures) -> list[str]:
    return [text for answers in found.open_answers.values() for text in answers]


@pytest.fixture(params=["one machine", "through the service"])
def backend_of(
    request: pytest.FixtureRequest, catalog: Catalog, course_dir: CourseDir, var: Path
) -> Iterator[MakeBackend]:
    if request.param == "one machine":
        yield lambda person: LocalBackend(person, catalog, course_dir, var)
        return
    with service_on_loopback(catalog, course_dir, var) as url:
        yield lambda person: HubBackend(person, Settings(grader_url=url, hub_token=f"token-{person.id}"))


class DescribeAUnitsEvaluationOverTime:
    def it_leaves_both_views_identical_when_one_more_has_answered(
        self, catalog: Catalog, course_dir: CourseDir, backend_of: MakeBackend
    ) -> None:
        for person in SOLEN_STAFF[:FIRST]:
            answer(catalog, course_dir, person)
        before = {who.id: backend_of(who).evaluations() for who in (PRINCIPAL, TEAM)}
        assert before[PRINCIPAL.id][SOLEN, SLUG].answered == FIRST
        answer(catalog, course_dir, SOLEN_STAFF[FIRST], value=1, text="Det sjunde svaret.")
        assert answered_in_gradebook(course_dir) == FIRST + 1
        after = {who.id: backend_of(who).evaluations() for who in (PRINCIPAL, TEAM)}
        assert after == before
        assert "Det sjunde svaret." not in texts(after[TEAM.id][SOLEN, SLUG])

    def it_changes_when_five_more_have_answered(
        self, catalog: Catalog, course_dir: CourseDir, backend_of: MakeBackend
    ) -> None:
        for person in SOLEN_STAFF[:FIRST]:
            answer(catalog, course_dir, person)
        first = backend_of(PRINCIPAL).evaluations()
        newcomers = SOLEN_STAFF[FIRST : FIRST + MIN_ANSWERS]
        for person in newcomers[:-1]:
            answer(catalog, course_dir, person, value=2)
            assert backend_of(PRINCIPAL).evaluations() == first
        answer(catalog, course_dir, newcomers[-1], value=2)
        shown = backend_of(PRINCIPAL).evaluations()
        for group in (SOLEN, DISTRICT):
            assert shown[group, SLUG].answered == FIRST + MIN_ANSWERS
            assert shown[group, SLUG].likert[0].counts == (0, MIN_ANSWERS, 0, FIRST, 0)
            assert sorted(texts(shown[group, SLUG])) == sorted(text_of(p) for p in SOLEN_STAFF[: FIRST + MIN_ANSWERS])

    def it_keeps_a_changed_answer_out_until_five_more_have_answered(
        self, catalog: Catalog, course_dir: CourseDir, backend_of: MakeBackend
    ) -> None:
        for person in SOLEN_STAFF[:FIRST]:
            answer(catalog, course_dir, person)
        before = backend_of(TEAM).evaluations()
        answer(catalog, course_dir, SOLEN_STAFF[0], value=5, text="Jag ändrade mig.")
        assert backend_of(TEAM).evaluations() == before

    def it_counts_a_unit_in_the_district_only_from_its_fifth_answer(
        self, catalog: Catalog, course_dir: CourseDir, backend_of: MakeBackend
    ) -> None:
        for person in [*SOLEN_STAFF[:FIRST], *MANEN_STAFF[: MIN_ANSWERS - 1]]:
            answer(catalog, course_dir, person)
        shown = backend_of(TEAM).evaluations()
        assert shown[DISTRICT, SLUG] == EvaluationFigures(
            SLUG, DISTRICT, FIRST, shown[SOLEN, SLUG].likert, shown[SOLEN, SLUG].open_answers
        )
        assert (MANEN, SLUG) not in shown
        answer(catalog, course_dir, MANEN_STAFF[MIN_ANSWERS - 1])
        shown = backend_of(TEAM).evaluations()
        assert shown[MANEN, SLUG].answered == MIN_ANSWERS
        assert shown[DISTRICT, SLUG].answered == FIRST + MIN_ANSWERS

    def it_follows_five_answers_going_as_it_follows_five_coming(
        self, catalog: Catalog, course_dir: CourseDir, backend_of: MakeBackend
    ) -> None:
        for person in SOLEN_STAFF[: FIRST + MIN_ANSWERS]:
            answer(catalog, course_dir, person)
        assert backend_of(TEAM).evaluations()[SOLEN, SLUG].answered == FIRST + MIN_ANSWERS
        gone = SOLEN_STAFF[: MIN_ANSWERS - 1]
        write_evaluations(migrated(course_dir.db_url), [(person.id, SLUG) for person in gone], [])
        assert backend_of(TEAM).evaluations()[SOLEN, SLUG].answered == FIRST + MIN_ANSWERS
        write_evaluations(migrated(course_dir.db_url), [(SOLEN_STAFF[MIN_ANSWERS - 1].id, SLUG)], [])
        assert backend_of(TEAM).evaluations()[SOLEN, SLUG].answered == FIRST


class DescribeManyViewingAtOnce:
    def it_publishes_one_snapshot_that_every_view_shows(
        self, course_dir: CourseDir, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Views that each find a new snapshot due, with one answer between what they counted, agree on one,
        even when each is slow between reading the snapshot and writing its own."""
        read = snapshots._answered

        def slowly(connection: sa.Connection, survey: Survey) -> dict[tuple[str, str], int]:
            found = read(connection, survey)
            time.sleep(0.2)
            return found

        monkeypatch.setattr(snapshots, "_answered", slowly)
        migrated(course_dir.db_url)
        published(course_dir.db_url, Survey.EVALUATION, {(SOLEN, SLUG): figures(FIRST)})
        counted = [figures(FIRST + MIN_ANSWERS + i % 2) for i in range(8)]
        start = threading.Barrier(len(counted))
        seen: list[EvaluationFigures] = []
        failures: list[BaseException] = []

        def view(live: EvaluationFigures) -> None:
            start.wait()
            try:
                seen.append(published(course_dir.db_url, Survey.EVALUATION, {(SOLEN, SLUG): live})[SOLEN, SLUG])
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=view, args=(live,)) for live in counted]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert failures == [] and len(seen) == len(counted)
        assert len({found.answered for found in seen}) == 1 and seen[0].answered > FIRST
        with migrated(course_dir.db_url).connect() as connection:
            assert connection.execute(sa.select(sa.func.count()).select_from(SNAPSHOT)).scalar_one() == 1


def figures(answered: int) -> EvaluationFigures:
    """A unit's live evaluation with `answered` answers, all agreeing."""
    return EvaluationFigures(SLUG, SOLEN, answered, [LikertFigures("e1", "Lätt", (0, 0, 0, answered, 0))], {})


class DescribeWhatThePagesTheReportAndTheDecksShow:
    def it_says_on_the_district_page_when_the_figures_change_and_shows_the_same_after_one_more(
        self, catalog: Catalog, course_dir: CourseDir, var: Path
    ) -> None:
        for person in SOLEN_STAFF[:FIRST]:
            answer(catalog, course_dir, person)

        def evaluation_part() -> str:
            backend = LocalBackend(TEAM, catalog, course_dir, var)
            page = "".join(str(getattr(widget, "value", "")) for widget in district_view(catalog, backend, ""))
            return page[page.index("<h2>Utvärderingen</h2>") : page.index("<h2>Bildspel")]

        before = evaluation_part()
        assert UPDATES in before and "uppdateras när fem till har svarat" in before
        answer(catalog, course_dir, SOLEN_STAFF[FIRST], value=1, text="Det sjunde svaret.")
        assert evaluation_part() == before

    def it_writes_the_same_report_and_the_same_deck_after_one_more(
        self, tmp_path: Path, catalog: Catalog, course_dir: CourseDir, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RESURSKURS_ROOT", str(catalog.root))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", course_dir.db_url)
        for person in SOLEN_STAFF[:FIRST]:
            answer(catalog, course_dir, person)

        def outputs() -> tuple[list[tuple[object, ...]], list[str]]:
            report, deck = tmp_path / "rapport.xlsx", tmp_path / "bildspel.pptx"
            result = CliRunner().invoke(app, ["report", "--format", "xlsx", "-o", str(report)])
            assert result.exit_code == 0, result.output
            result = CliRunner().invoke(app, ["slides", SLUG, "--unit", SOLEN, "-o", str(deck)])
            assert result.exit_code == 0, result.output
            rows = list(load_workbook(report)["Utvärdering"].iter_rows(values_only=True))
            said = [
                shape.text_frame.text + slide.notes_slide.notes_text_frame.text
                for slide in Presentation(str(deck)).slides
                if slide.shapes.title is not None and slide.shapes.title.text.startswith("Utvärdering")
                for shape in slide.shapes
                if shape.has_text_frame
            ]
            return rows, said

        rows, said = outputs()
        assert any(str(FIRST) in str(row) for row in rows[1:]) and any(UPDATES in text for text in said)
        answer(catalog, course_dir, SOLEN_STAFF[FIRST], value=1, text="Det sjunde svaret.")
        assert outputs() == (rows, said)
        for person in SOLEN_STAFF[FIRST + 1 : FIRST + MIN_ANSWERS]:
            answer(catalog, course_dir, person, value=1)
        assert outputs() != (rows, said)


class DescribeTheFollowUpOverTime:
    def it_shows_the_principal_the_same_follow_up_until_five_more_have_answered(
        self, catalog: Catalog, course_dir: CourseDir, var: Path, backend_of: MakeBackend
    ) -> None:
        store, course = FollowUpStore(var, SLUG), catalog.module(SLUG).course
        for person in SOLEN_STAFF[:FIRST]:
            store.save(person.id, course, "likert", "prova-f1", 4)
        before = backend_of(PRINCIPAL).follow_up_figures([SOLEN])
        section = "".join(str(getattr(w, "value", "")) for w in follow_up_section(catalog, before))
        assert [found.answered for found in before] == [FIRST, FIRST] and UPDATES in section
        for count, person in enumerate(SOLEN_STAFF[FIRST : FIRST + MIN_ANSWERS], start=1):
            store.save(person.id, course, "open", "prova-g1", f"Jag gör på ett nytt sätt, nummer {count}.")
            after = backend_of(PRINCIPAL).follow_up_figures([SOLEN])
            assert (after == before) == (count < MIN_ANSWERS)
        assert [found.answered for found in after] == [FIRST + MIN_ANSWERS] * 2


class DescribeErasure:
    def it_takes_the_erased_persons_open_answers_out_of_the_snapshots_and_keeps_the_counts(
        self, catalog: Catalog, course_dir: CourseDir, var: Path
    ) -> None:
        leaving = SOLEN_STAFF[0]
        store, course = FollowUpStore(var, SLUG), catalog.module(SLUG).course
        for person in SOLEN_STAFF[:FIRST]:
            answer(catalog, course_dir, person)
            store.save(person.id, course, "likert", "prova-f1", 3)
            store.save(person.id, course, "open", "prova-g1", f"Uppföljning från {person.last_name}.")
        team = LocalBackend(TEAM, catalog, course_dir, var)
        assert text_of(leaving) in texts(team.evaluations()[SOLEN, SLUG])
        assert f"Uppföljning från {leaving.last_name}." in texts(team.follow_up_figures([SOLEN])[1])
        stores = Stores(course_dir.db_url, var, course_dir.root)
        erase.erase(stores, erase.plan(stores, leaving.id))
        shown = team.evaluations()[SOLEN, SLUG]
        follow_up = team.follow_up_figures([SOLEN])[1]
        assert shown.answered == FIRST and shown.likert[0].counts == (0, 0, 0, FIRST, 0)
        assert sorted(texts(shown)) == sorted(text_of(p) for p in SOLEN_STAFF[1:FIRST])
        assert follow_up.answered == FIRST and len(texts(follow_up)) == FIRST - 1
        with migrated(course_dir.db_url).connect() as connection:
            stored = " ".join(connection.execute(sa.select(SNAPSHOT.c.figures)).scalars())
        assert text_of(leaving) not in stored and leaving.last_name not in stored


class DescribeRetention:
    def it_takes_the_open_answers_that_pass_their_date_out_of_the_snapshots_and_keeps_the_counts(
        self, catalog: Catalog, course_dir: CourseDir, var: Path
    ) -> None:
        store, course = FollowUpStore(var, SLUG), catalog.module(SLUG).course
        for person in SOLEN_STAFF[:FIRST]:
            store.save(person.id, course, "likert", "prova-f1", 3)
            store.save(person.id, course, "open", "prova-g1", f"Uppföljning från {person.last_name}.")
        team = LocalBackend(TEAM, catalog, course_dir, var)
        old = f"Uppföljning från {SOLEN_STAFF[0].last_name}."
        assert old in texts(team.follow_up_figures([SOLEN])[1])
        long_ago = time.time() - 800 * 86400
        os.utime(store.file(SOLEN_STAFF[0].id), (long_ago, long_ago))
        run = retention.retain(Stores(course_dir.db_url, var, course_dir.root))
        assert run.counts["follow_up"] == 1
        shown = team.follow_up_figures([SOLEN])[1]
        assert shown.answered == FIRST and old not in texts(shown) and len(texts(shown)) == FIRST - 1
