"""Nothing a learner writes or sends can harm another person: the hand-in, review and draft paths.

Each specification sends what a browser never would (a forged queue file, a crafted widget value,
markup in a reflection) or breaks what a careless day breaks (a grader killed mid-hand-in, a
damaged draft, two tabs), and checks that the gradebook, the files and other people are untouched.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from resurskurs.backend.local import LocalBackend
from resurskurs.catalog.load import Catalog
from resurskurs.core.answers import Answers, HandIn
from resurskurs.demo.district import demo_district
from resurskurs.district.releases import start
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.learners.store import AnswerStore
from resurskurs.player.course_page import course_page as build_page
from resurskurs.player.sections.header import DAMAGED
from resurskurs.player.session import ModuleSession
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.tracking import grader, hand_in, handin_queue
from resurskurs.tracking.activity import sync_activity
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from resurskurs.tracking.submit import submit
from resurskurs.ui.html import descendants
from resurskurs.ui.widgets import ChoiceQuestion, FilmPlayer, LikertItem

HOSTILE = [
    '<img src="x" onerror="alert(1)">',
    "<script>alert(2)</script>",
    '<svg onload="alert(3)">',
    "[läs mer](javascript:alert(4)) och ![bild](http://127.0.0.1:9/spar.png)",
    '<iframe src="javascript:alert(5)"></iframe> <a href="http://127.0.0.1:9/">länk</a>',
]


@pytest.fixture
def staff(course_dir: CourseDir) -> list[Person]:
    people = [person for person in demo_district(staff=3, units=1, seed=8) if person.role is Role.STAFF]
    import_people(people, course_dir)
    return people


def formgrader_html(course_dir: CourseDir, person_id: str) -> str:
    """The autograded notebook as nbgrader's formgrader renders it for the reviewer (its own template)."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {
        "assignment_id": SLUG,
        "notebook_id": SLUG,
        "submission_id": "x",
        "index": 0,
        "total": 1,
        "base_url": "/",
        "student": person_id,
        "last_name": "",
        "first_name": "",
        "notebook_path": "/",
    }
    notebook = course_dir.root / "autograded" / person_id / SLUG / f"{SLUG}.ipynb"
    html, _ = HTMLExporter(config=config).from_filename(str(notebook), resources=resources)
    return str(html)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: Counter[tuple[str, tuple[str, ...]]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[(tag, tuple(sorted(name for name, _ in attrs)))] += 1


def elements(html: str) -> Counter[tuple[str, tuple[str, ...]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


class DescribeALearnersTextInTheFormgrader:
    @pytest.mark.parametrize("payload", HOSTILE)
    def it_adds_no_element_to_the_reviewers_page_and_shows_the_text(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], payload: str
    ) -> None:
        module = catalog.module(SLUG)
        plain, hostile = staff[0].id, staff[1].id
        words = "Jag satt bredvid ett barn vid lämningen."
        ordinary = answers_for(module, 1).model_copy(update={"reflection": f"{words}\n\nOch sedan lekte vi."})
        assert submit(course_dir, module, plain, ordinary).accepted
        practice = {"done": True, "note": payload}
        answers = answers_for(module, 1).model_copy(update={"reflection": f"{words}\n\n{payload}"})
        answers = answers.model_copy(update={"practice": answers.practice.model_copy(update=practice)})
        assert submit(course_dir, module, hostile, answers).accepted
        html = formgrader_html(course_dir, hostile)
        assert elements(html) - elements(formgrader_html(course_dir, plain)) == Counter()
        assert payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split(" ")[0] in html


class DescribeTheGraderQueue:
    def it_sets_aside_files_that_are_not_signed_requests_and_goes_on_grading(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person]
    ) -> None:
        folder = course_dir.queue
        handin_queue.prepare(folder)
        body = {"slug": SLUG, "person": staff[0].id, "answers": answers_for(catalog.module(SLUG), 2).model_dump()}
        forged = {"body": json.dumps({**body, "request": "f" * 32}), "signature": "0" * 64}
        for name, data in [
            ("a", b"not json"),
            ("b", b"[1, 2]"),
            ("c", b"\xff\xfe{}"),
            ("f" * 32, json.dumps(forged).encode()),
        ]:
            (folder / f"{name}{handin_queue.REQUEST}").write_bytes(data)
        good = handin_queue.enqueue(folder, body)
        assert grader.run(catalog, course_dir, once=True) == 1
        assert len(list((folder / handin_queue.REJECTED).iterdir())) == 4
        result = json.loads((folder / f"{good}{handin_queue.RESULT}").read_text(encoding="utf-8"))
        assert result["accepted"] is True
        assert list(reviews_for(course_dir.db_url, staff[0].id)) == [SLUG]

    def it_sets_aside_a_fifo_or_a_link_named_like_a_request_instead_of_hanging(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], tmp_path: Path
    ) -> None:
        folder = course_dir.queue
        handin_queue.prepare(folder)
        os.mkfifo(folder / f"{'a' * 32}{handin_queue.REQUEST}")
        outside = tmp_path / "outside.json"
        outside.write_text("{}", encoding="utf-8")
        (folder / f"{'b' * 32}{handin_queue.REQUEST}").symlink_to(outside)
        body = {"slug": SLUG, "person": staff[0].id, "answers": answers_for(catalog.module(SLUG), 2).model_dump()}
        good = handin_queue.enqueue(folder, body)
        with ThreadPoolExecutor(1) as pool:
            graded = pool.submit(grader.run, catalog, course_dir, True)
            assert graded.result(timeout=120) == 1
        assert len(list((folder / handin_queue.REJECTED).iterdir())) == 2
        assert json.loads((folder / f"{good}{handin_queue.RESULT}").read_text(encoding="utf-8"))["accepted"] is True
        assert outside.read_text(encoding="utf-8") == "{}"

    def it_refuses_a_module_not_released_to_the_persons_unit(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setenv("RESURSKURS_VAR", str(tmp_path / "service-var"))
        (tmp_path / "service-var").mkdir()
        start(tmp_path / "service-var")
        body = {"slug": SLUG, "person": staff[0].id, "answers": answers_for(catalog.module(SLUG), 2).model_dump()}
        request_id = handin_queue.enqueue(course_dir.queue, body)
        grader.run(catalog, course_dir, once=True)
        result = json.loads((course_dir.queue / f"{request_id}{handin_queue.RESULT}").read_text(encoding="utf-8"))
        assert result == {"accepted": False, "messages": [grader.NOT_RELEASED]}
        assert reviews_for(course_dir.db_url, staff[0].id) == {}

    @pytest.mark.parametrize(
        "change",
        [
            {"person": "../../../../tmp/resurskurs-x"},
            {"person": "eva.lund\n"},
            {"person": "finns.inte"},
            {"slug": "../source"},
            {"slug": "finns-inte"},
            {"timestamp": "2020-01-01T00:00:00+00:00"},
            {"answers": {"quiz": {"q1": {"selected": [99]}}}},
            {"answers": {"survey": {"likert": {"okand": 3}}}},
            {"answers": {"reflection": 12}},
        ],
    )
    def it_refuses_a_request_that_does_not_hold_and_changes_nothing(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], change: dict[str, Any], tmp_path: Path
    ) -> None:
        body = {"slug": SLUG, "person": staff[0].id, "answers": answers_for(catalog.module(SLUG), 2).model_dump()}
        before = snapshot(course_dir)
        request_id = handin_queue.enqueue(course_dir.queue, body | change)
        grader.run(catalog, course_dir, once=True)
        result = json.loads((course_dir.queue / f"{request_id}{handin_queue.RESULT}").read_text(encoding="utf-8"))
        assert result == {"accepted": False, "messages": [grader.REFUSED]}
        assert snapshot(course_dir) == before
        assert not Path("/tmp/resurskurs-x").exists()

    def it_stamps_the_time_itself(self, catalog: Catalog, course_dir: CourseDir, staff: list[Person]) -> None:
        body = {"slug": SLUG, "person": staff[0].id, "answers": answers_for(catalog.module(SLUG), 2).model_dump()}
        handin_queue.enqueue(course_dir.queue, body)
        grader.run(catalog, course_dir, once=True)
        stored = reviews_for(course_dir.db_url, staff[0].id)[SLUG].submitted_at.replace(tzinfo=UTC)
        assert abs(datetime.now(UTC) - stored) < timedelta(minutes=2)

    def it_finishes_once_a_request_claimed_by_a_grader_that_died(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person]
    ) -> None:
        folder = course_dir.queue
        body = {"slug": SLUG, "person": staff[0].id, "answers": answers_for(catalog.module(SLUG), 2).model_dump()}
        request_id = handin_queue.enqueue(folder, body)
        claimed = handin_queue.claim_next(folder)
        assert claimed is not None and claimed[0] == request_id
        assert grader.handle(catalog, course_dir, claimed[1])["accepted"] is True
        assert grader.run(catalog, course_dir, once=True) == 1
        result = json.loads((folder / f"{request_id}{handin_queue.RESULT}").read_text(encoding="utf-8"))
        assert result["accepted"] is True
        assert not (course_dir.root / "archive").exists()
        assert submissions(course_dir) == 1


class DescribeTheLearnersWait:
    @pytest.fixture
    def busy_service(self, course_dir: CourseDir) -> Iterator[None]:
        """A service that is alive (it beats) but never gets to the request."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(0.2):
                handin_queue.beat(course_dir.queue)

        handin_queue.beat(course_dir.queue)
        thread = threading.Thread(target=beat, daemon=True)
        thread.start()
        yield
        stop.set()
        thread.join()

    def it_waits_for_a_grader_that_is_still_starting(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person]
    ) -> None:
        starting = threading.Timer(2.0, lambda: grader.run(catalog, course_dir, once=True))
        starting.start()
        outcome = hand_in.send(course_dir, SLUG, staff[0].id, answers_for(catalog.module(SLUG), 2))
        starting.join()
        assert outcome.accepted, outcome.messages

    def it_answers_within_its_bound_and_leaves_the_request_for_the_service(
        self, catalog: Catalog, course_dir: CourseDir, busy_service: None, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(hand_in, "RESULT_SECONDS", 1.0)
        monkeypatch.setattr(hand_in, "SLOW_SECONDS", 0.3)
        slow: list[bool] = []
        answers = Answers.model_validate(
            {**answers_for(catalog.module(SLUG), 2).model_dump(), "logbook": {"stopp-1": "Min privata tanke om Kim"}}
        )
        outcome = hand_in.send(course_dir, SLUG, "eva.lund", answers.hand_in(), lambda: slow.append(True))
        assert outcome == hand_in.Outcome(False, [hand_in.STILL_HANDLED], pending=True)
        assert slow == [True]
        (waiting,) = course_dir.queue.glob(f"*{handin_queue.REQUEST}")
        assert "Min privata tanke" not in waiting.read_text(encoding="utf-8")
        assert "logbook" not in json.loads(json.loads(waiting.read_text(encoding="utf-8"))["body"])["answers"]


def snapshot(course_dir: CourseDir) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every file of the course directory but the queue, and every gradebook row a hand-in could add."""
    files = sorted(
        str(path.relative_to(course_dir.root))
        for path in course_dir.root.rglob("*")
        if course_dir.queue not in path.parents and path != course_dir.queue and "lock" not in path.name
    )
    engine = sa.create_engine(course_dir.db_url)
    try:
        with engine.connect() as connection:
            rows = [
                tuple(row)
                for table in ("student", "submitted_assignment", "grade", "resurskurs_evaluation")
                if sa.inspect(connection).has_table(table)
                for row in connection.execute(sa.text(f"select * from {table} order by 1"))
            ]
    finally:
        engine.dispose()
    return files, rows


def submissions(course_dir: CourseDir) -> int:
    engine = sa.create_engine(course_dir.db_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("select count(*) from submitted_assignment")).scalar_one())
    finally:
        engine.dispose()


def widgets_of(root: Any, kind: type) -> list[Any]:
    return [widget for widget in descendants(root) if isinstance(widget, kind)]


def course_page(catalog: Catalog, course_dir: CourseDir, store: AnswerStore) -> tuple[ModuleSession, Any]:
    someone = Person(store.person_id, "Eva", "Lund", "eva.lund@example.org", "Solrosen", "Blå", Role.STAFF)
    backend = LocalBackend(someone, catalog, course_dir, store.folder.parent.parent)
    session = ModuleSession(catalog.module(SLUG), store, "/", backend, None)
    return session, build_page(session)


class DescribeWidgetValues:
    def it_stores_only_values_the_schema_and_the_course_allow(
        self, catalog: Catalog, course_dir: CourseDir, tmp_path: Path
    ) -> None:
        store = AnswerStore(tmp_path / "var", "eva.lund")
        _, tree = course_page(catalog, course_dir, store)
        (player,) = widgets_of(tree, FilmPlayer)
        player.watched = [[0, "x"]]
        player.watched = [[0.0, float("inf")]]
        question = widgets_of(tree, ChoiceQuestion)[0]
        question.selected = [99]
        question.check += 1
        widgets_of(tree, LikertItem)[0].value = 9
        assert not store.file(SLUG).exists() or store.load(SLUG).quiz == {}
        player.watched = [[0.0, 12.5]]
        assert store.load(SLUG).film.watched == [[0.0, 12.5]]
        assert store.load(SLUG).survey.likert == {}

    def it_keeps_the_draft_sync_going_past_a_draft_damaged_before_validation(
        self, catalog: Catalog, tmp_path: Path
    ) -> None:
        answers_root = tmp_path / "var" / "answers"
        (answers_root / "eva.lund").mkdir(parents=True)
        (answers_root / "eva.lund" / f"{SLUG}.json").write_text(
            json.dumps({"film": {"watched": [[0, "x"]]}, "reflection": "Det jag skrev"}), encoding="utf-8"
        )
        AnswerStore(tmp_path / "var", "kim.berg").save(SLUG, ("reflection",), "Också en text")
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'gradebook.db'}")
        try:
            assert sync_activity(catalog, answers_root, engine) == 2
        finally:
            engine.dispose()


class DescribeDrafts:
    def it_merges_two_tabs_per_answer(self, catalog: Catalog, course_dir: CourseDir, tmp_path: Path) -> None:
        store = AnswerStore(tmp_path / "var", "eva.lund")
        (_, first_tree), (second, second_tree) = (course_page(catalog, course_dir, store) for _ in range(2))
        for tree, index in ((first_tree, 0), (second_tree, 1)):
            question = widgets_of(tree, ChoiceQuestion)[index]
            question.selected = [0]
            question.check += 1
        stops = [stop.id for stop in catalog.module(SLUG).course.stops]
        widgets_of(first_tree, FilmPlayer)[0].logbook = {stops[0]: "Från första fliken"}
        widgets_of(second_tree, FilmPlayer)[0].logbook = {stops[-1]: "Från andra fliken"}
        saved = store.load(SLUG)
        items = [item.id for item in catalog.module(SLUG).course.preparation.knowledge_check.items]
        assert sorted(saved.quiz) == sorted(items[:2])
        assert saved.logbook == {stops[0]: "Från första fliken", stops[-1]: "Från andra fliken"}
        assert second.answers == saved

    def it_tells_the_learner_about_a_damaged_draft_and_keeps_a_copy(
        self, catalog: Catalog, course_dir: CourseDir, tmp_path: Path
    ) -> None:
        store = AnswerStore(tmp_path / "var", "eva.lund")
        store.file(SLUG).parent.mkdir(parents=True)
        store.file(SLUG).write_text('{"reflection": "Halv text', encoding="utf-8")
        page, tree = course_page(catalog, course_dir, store)
        assert DAMAGED in tree.children[0].value
        page.save(("reflection",), "Ny text")
        (kept,) = store.set_aside(SLUG)
        assert kept.read_text(encoding="utf-8") == '{"reflection": "Halv text'
        assert store.load(SLUG).reflection == "Ny text"

    def it_hands_in_nothing_of_the_private_logbook(self) -> None:
        answers = Answers.model_validate({"reflection": "Text", "logbook": {"stopp-1": "Privat"}})
        assert "logbook" not in answers.hand_in().model_dump()
        assert "logbook" not in HandIn.model_fields
