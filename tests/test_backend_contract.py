"""One contract, two implementations: what a page may ask of shared state holds on one machine and through the
grader service alike.

`LocalBackend` answers from the gradebook and files; `HubBackend` asks the real service (hub/service.py), run
in-process on a loopback port in jupyter_server's fixture style, with a HubAuth that knows these people's tokens
instead of asking a hub (tests/hub starts the real hub for the same rules end to end).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tornado.httpserver
import tornado.netutil
from jupyterhub.services.auth import HubAuth

from resurskurs.backend import local as local_backend
from resurskurs.backend import person_lookup
from resurskurs.backend.contract import Backend, Refused
from resurskurs.backend.hub import HubBackend
from resurskurs.backend.local import LocalBackend
from resurskurs.backend.service_call import ServiceError
from resurskurs.backend.settings import Settings
from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.core.figures import DISTRICT
from resurskurs.core.progress import Status
from resurskurs.core.tally import module_figures
from resurskurs.district.releases import ReleaseRefused, release, start
from resurskurs.district.roster import Person, Role
from resurskurs.district.routines import ROUTINES_FILE, Routine, RoutineRefused, Shown
from resurskurs.hub.names import SERVICE_SCOPE
from resurskurs.hub.service import make_app
from resurskurs.learners.store import AnswerStore
from resurskurs.player.sections.follow_up import follow_up_survey_section
from resurskurs.player.session import ModuleSession
from resurskurs.testing.content import FOLLOW_UP, player_content
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.grader import handle
from resurskurs.tracking.privacy import PrivateText
from resurskurs.tracking.roster_import import import_people
from resurskurs.tracking.roster_sync import apply_sync, plan_sync
from resurskurs.tracking.submit import submit
from resurskurs.ui.widgets import TextAnswer

PREFIX = "/services/resurskurs-grader/"
A = Person("anna.berg", "Anna", "Berg", "anna.berg@example.org", "Solrosen", "Blå", Role.STAFF)
B = Person("bo.ek", "Bo", "Ek", "bo.ek@example.org", "Vitsippan", "Röd", Role.STAFF)
PRINCIPAL = Person("rut.lind", "Rut", "Lind", "rut.lind@example.org", "Solrosen", "Ledning", Role.PRINCIPAL)
TEAM = Person("eva.ros", "Eva", "Ros", "eva.ros@example.org", "Resursenheten", "Resursteamet", Role.RESOURCE_TEAM)
PEOPLE = [A, B, PRINCIPAL, TEAM]
MakeBackend = Callable[[Person], Backend]
MakeLookup = Callable[[Person], Callable[[str], Person | None]]


class TokenAuth(HubAuth):  # type: ignore[misc]
    """The hub's answer for a token, for these people only: each token is its person's, with the service's scope."""

    def get_user(self, handler: Any, *, sync: bool = True) -> dict[str, Any] | None:
        presented = handler.request.headers.get("Authorization", "").removeprefix("token ")
        name = presented.removeprefix("token-") if presented.startswith("token-") else None
        return None if name is None else {"name": name, "kind": "user", "scopes": [SERVICE_SCOPE], "groups": []}


@contextmanager
def service_on_loopback(catalog: Catalog, course_dir: CourseDir, var: Path) -> Iterator[str]:
    """The grader service's routes on a port of their own, in a thread with its own event loop."""
    ready = threading.Event()
    running: dict[str, Any] = {}

    def serve() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        workers = ThreadPoolExecutor(1)
        app = make_app(
            catalog, course_dir, lambda body: handle(catalog, course_dir, body), workers, PREFIX, var,
            hub_auth=TokenAuth(api_token="unused", api_url="http://127.0.0.1:9/hub/api"),
        )  # fmt: skip
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        running.update(loop=loop, port=sockets[0].getsockname()[1])
        ready.set()
        loop.run_forever()
        server.stop()
        workers.shutdown()
        loop.close()

    thread = threading.Thread(target=serve, name="service", daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield f"http://127.0.0.1:{running['port']}{PREFIX}"
    finally:
        running["loop"].call_soon_threadsafe(running["loop"].stop)
        thread.join(10)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    """The short player course with a 3-month follow-up, as the hub's specs have it."""
    content = player_content(tmp_path / "content")
    with (content / "courses" / SLUG / "course.yaml").open("a", encoding="utf-8") as course:
        course.write(FOLLOW_UP)
    loaded = load_catalog(content)
    assert loaded.problems == []
    return loaded


@pytest.fixture
def var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "var"
    folder.mkdir()
    monkeypatch.setenv("RESURSKURS_VAR", str(folder))
    local_backend._reported.clear()
    return folder


@pytest.fixture(params=["one machine", "through the service"])
def backend_of(
    request: pytest.FixtureRequest, catalog: Catalog, course_dir: CourseDir, var: Path
) -> Iterator[MakeBackend]:
    import_people(PEOPLE, course_dir)
    if request.param == "one machine":
        yield lambda person: LocalBackend(person, catalog, course_dir, var)
        return
    with service_on_loopback(catalog, course_dir, var) as url:
        yield lambda person: HubBackend(person, Settings(grader_url=url, hub_token=f"token-{person.id}"))


@pytest.fixture(params=["one machine", "through the service"])
def lookup_of(
    request: pytest.FixtureRequest, catalog: Catalog, course_dir: CourseDir, var: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MakeLookup]:
    """Who a signed-in id is, as a person's own page asks it (`person_lookup`, the seam the pages use)."""
    import_people(PEOPLE, course_dir)
    if request.param == "one machine":
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", course_dir.db_url)
        yield lambda person: person_lookup(Settings())
        return
    with service_on_loopback(catalog, course_dir, var) as url:
        yield lambda person: person_lookup(Settings(grader_url=url, hub_token=f"token-{person.id}"))


def hand_in_long_ago(catalog: Catalog, course_dir: CourseDir, person: Person, days: int = 200) -> None:
    module = catalog.module(SLUG)
    submit(course_dir, module, person.id, answers_for(module, 2), now=datetime.now(UTC) - timedelta(days=days))


class DescribeWhoASignedInIdIs:
    def it_finds_each_person_as_the_roster_has_them(self, lookup_of: MakeLookup) -> None:
        assert [lookup_of(person)(person.id) for person in PEOPLE] == PEOPLE

    def it_finds_nobody_for_a_leaver(self, lookup_of: MakeLookup, course_dir: CourseDir) -> None:
        apply_sync(plan_sync([A, PRINCIPAL, TEAM], course_dir.db_url), course_dir, datetime.now(UTC))
        assert lookup_of(B)(B.id) is None
        assert lookup_of(A)(A.id) == A

    def it_answers_through_the_service_for_the_tokens_own_person_only(
        self, catalog: Catalog, course_dir: CourseDir, var: Path
    ) -> None:
        import_people(PEOPLE, course_dir)
        with service_on_loopback(catalog, course_dir, var) as url:
            anna = person_lookup(Settings(grader_url=url, hub_token=f"token-{A.id}"))
            assert (anna(A.id), anna(B.id)) == (A, None)
            assert person_lookup(Settings(grader_url=url, hub_token="not-a-token"))(A.id) is None

    def it_does_not_call_a_person_unknown_when_the_service_cannot_be_reached(self) -> None:
        """The page then says something went wrong and that what was written is kept, not "we cannot find you"."""
        unreachable = Settings(grader_url="http://127.0.0.1:9/services/resurskurs-grader/", hub_token="token-anna")
        with pytest.raises(ServiceError):
            person_lookup(unreachable)(A.id)


class DescribeALearnersPageUnderTheHub:
    def it_is_built_from_the_service_without_the_gradebooks_code_and_keeps_no_copy(
        self, catalog: Catalog, course_dir: CourseDir, var: Path, tmp_path: Path
    ) -> None:
        """A person's kernel under the hub asks the service who they are: it keeps no copy of the gradebook in their
        home and never loads SQLAlchemy, nbgrader or Alembic (about 11 MB of every person's kernel)."""
        import_people(PEOPLE, course_dir)
        home = tmp_path / "home" / ".resurskurs"
        code = (
            "import json, os, sys; import ipywidgets as w; from resurskurs.server import pages\n"
            "from resurskurs.ui.html import descendants\n"
            f"built = pages.page_for('kurs={SLUG}', dict(os.environ))\n"
            "shown = ''.join(widget.value for widget in descendants(built) if isinstance(widget, w.HTML))\n"
            "loaded = sorted({name.split('.')[0] for name in sys.modules} & {'sqlalchemy', 'nbgrader', 'alembic'})\n"
            "print(json.dumps({'shown': shown, 'loaded': loaded}))"
        )
        with service_on_loopback(catalog, course_dir, var) as url:
            environ = {
                **{key: value for key, value in os.environ.items() if not key.startswith(("RESURSKURS_", "JUPYTER"))},
                "RESURSKURS_ROOT": str(tmp_path / "content"),
                "RESURSKURS_VAR": str(home),
                "RESURSKURS_GRADER_URL": url,
                "JUPYTERHUB_API_TOKEN": f"token-{A.id}",
                "JUPYTERHUB_USER": A.id,
            }
            ran = subprocess.run(
                [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=120, check=False
            )
        assert ran.returncode == 0, ran.stderr
        page = json.loads(ran.stdout.strip().splitlines()[-1])
        assert A.name in page["shown"] and catalog.module(SLUG).course.title in page["shown"]
        assert page["loaded"] == []
        assert not list(home.rglob("*.db")), "no gradebook file in the person's home"


class DescribeProgressAndFigures:
    def it_gives_a_principal_their_units_and_nobody_else_any(self, backend_of: MakeBackend) -> None:
        rows = backend_of(PRINCIPAL).progress()
        assert {row.person_id for row in rows} == {A.id} and {row.unit for row in rows} == {"Solrosen"}
        with pytest.raises(Refused):
            backend_of(PRINCIPAL).progress(["Vitsippan"])
        with pytest.raises(Refused):
            backend_of(A).progress()
        with pytest.raises(Refused):
            backend_of(A).evaluations()

    def it_gives_the_resource_team_the_whole_district(self, backend_of: MakeBackend) -> None:
        rows = backend_of(TEAM).progress()
        assert {row.person_id for row in rows} == {A.id, B.id}
        assert {(row.person_id, row.status) for row in rows if row.slug == SLUG} == {
            (A.id, Status.NOT_STARTED),
            (B.id, Status.NOT_STARTED),
        }

    def it_shows_a_hand_in_as_handed_in_and_keeps_deck_figures_to_the_units_one_leads(
        self, backend_of: MakeBackend, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        hand_in_long_ago(catalog, course_dir, A)
        rows = {row.person_id: row for row in backend_of(PRINCIPAL).progress() if row.slug == SLUG}
        assert rows[A.id].status is Status.SUBMITTED
        progress, _ = backend_of(PRINCIPAL).unit_figures(SLUG, "Solrosen")
        assert progress.handed_in == 1 and progress.done == 0, "handed in with nothing else done is not done"
        with pytest.raises(Refused):
            backend_of(PRINCIPAL).unit_figures(SLUG, "Vitsippan")
        assert list(backend_of(A).own_reviews()) == [SLUG]
        assert backend_of(B).own_reviews() == {}


class DescribeTheDistrictsFigures:
    def it_counts_what_the_rows_show_for_the_resource_team_and_nobody_else(
        self, backend_of: MakeBackend, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        hand_in_long_ago(catalog, course_dir, A)
        team = backend_of(TEAM)
        counted = team.district_figures()
        rows = team.progress()
        titles = {module.course.slug: module.course.title for module in catalog.modules}
        from_rows = module_figures(rows, titles, lambda _: DISTRICT) + module_figures(rows, titles, lambda r: r.unit)
        assert counted.modules == from_rows
        assert counted.staff == {"Solrosen": 1, "Vitsippan": 1}
        assert [(found.slug, found.waiting) for found in counted.waiting] == [(SLUG, 1)]
        assert counted.reflections_waiting == len(team.reviews().waiting(titles)) == 1
        assert sum(counted.handed_in.values()) == 1
        for person in (PRINCIPAL, A):
            with pytest.raises(Refused, match="Siffrorna för hela förvaltningen är för resursteamet"):
                backend_of(person).district_figures()


class DescribeGranska:
    def it_is_for_the_resource_team_only_and_says_so_in_the_same_words(self, backend_of: MakeBackend) -> None:
        for person in (A, PRINCIPAL):
            with pytest.raises(Refused, match=r"^Granska är för resursteamet\.$"):
                backend_of(person).reviews().units()
        assert backend_of(TEAM).reviews().units() == ["Solrosen", "Vitsippan"]


class DescribeTheLearnersFeedback:
    def it_gives_the_learner_the_point_per_rubric_criterion_the_resource_team_gave(
        self, backend_of: MakeBackend, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        hand_in_long_ago(catalog, course_dir, A)
        assert backend_of(TEAM).reviews().save(TEAM, catalog.module(SLUG), A.id, [1], "Fint!") == 1.0
        review = backend_of(A).own_reviews()[SLUG]
        assert (review.points, review.reflection_score, review.comment) == ((1,), 1.0, "Fint!")


class DescribeReleases:
    def it_lets_a_principal_release_to_their_unit_only_and_staff_not_at_all(
        self, backend_of: MakeBackend, var: Path
    ) -> None:
        start(var)
        now = datetime.now(UTC)
        made = backend_of(PRINCIPAL).releases().release(SLUG, ["Solrosen"], date(2027, 2, 1), PRINCIPAL, now)
        assert [(r.slug, r.unit) for r in made.releases] == [(SLUG, "Solrosen")]
        with pytest.raises(ReleaseRefused):
            backend_of(PRINCIPAL).releases().release(SLUG, ["Vitsippan"], date(2027, 2, 1), PRINCIPAL, now)
        yesterday = now.astimezone().date() - timedelta(days=1)
        with pytest.raises(ReleaseRefused, match=r"^Datumet har redan varit\."):
            backend_of(PRINCIPAL).releases().release(SLUG, ["Solrosen"], yesterday, PRINCIPAL, now)
        with pytest.raises(ReleaseRefused):
            backend_of(A).releases().release(SLUG, ["Solrosen"], date(2027, 2, 1), A, now)
        assert backend_of(B).releases().load().releases == ()
        assert backend_of(A).releases().load().opens(A, SLUG)
        assert not backend_of(B).releases().load().opens(B, SLUG)


class DescribeTheFollowUp:
    def it_takes_answers_only_once_due_and_only_the_persons_own(
        self, backend_of: MakeBackend, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        survey = catalog.module(SLUG).course.follow_up_survey
        assert survey is not None
        item = survey.likert[0].id
        with pytest.raises(ValueError):
            backend_of(A).follow_up(SLUG).save(A.id, catalog.module(SLUG).course, "likert", item, 4)
        hand_in_long_ago(catalog, course_dir, A)
        saved = backend_of(A).follow_up(SLUG).save(B.id, catalog.module(SLUG).course, "likert", item, 4)
        assert saved.likert == {item: 4}
        assert backend_of(B).follow_up(SLUG).load(A.id).likert == {}

    @pytest.mark.parametrize(
        ("answer", "said"),
        [
            ("Jag väntar längre nu, Maja klär på sig själv.", "Det ser ut som ett namn (”Maja”)"),
            ("En flicka som heter Noor är lugnare vid lämningen.", "Texten verkar nämna ett barns namn (”Noor”)"),
            ("Hans nummer 210314-0006 står i pärmen.", "person- eller samordningsnummer (”210314-0006”)"),
        ],
    )
    def it_refuses_an_open_answer_that_names_someone_saying_what_to_change(
        self, backend_of: MakeBackend, catalog: Catalog, course_dir: CourseDir, answer: str, said: str
    ) -> None:
        course = catalog.module(SLUG).course
        survey = course.follow_up_survey
        assert survey is not None
        item = survey.open[0].id
        hand_in_long_ago(catalog, course_dir, A)
        with pytest.raises(PrivateText) as refused:
            backend_of(A).follow_up(SLUG).save(A.id, course, "open", item, answer)
        assert said in str(refused.value)
        assert str(refused.value).endswith("så att ingen kan kännas igen.")
        assert backend_of(A).follow_up(SLUG).load(A.id).open == {}
        clean = "Jag väntar längre nu, barnet klär på sig själv."
        assert backend_of(A).follow_up(SLUG).save(A.id, course, "open", item, clean).open == {item: clean}

    def it_warns_on_the_page_and_keeps_the_last_clean_answer(
        self, backend_of: MakeBackend, catalog: Catalog, course_dir: CourseDir, var: Path
    ) -> None:
        hand_in_long_ago(catalog, course_dir, A)
        backend = backend_of(A)
        session = ModuleSession(catalog.module(SLUG), AnswerStore(var, A.id), "/", backend, backend.own_reviews()[SLUG])
        (answer,) = [widget for widget in follow_up_survey_section(session) if isinstance(widget, TextAnswer)]
        answer.value = "Ett barn klär på sig själv nu."
        assert answer.error == ""
        answer.value = "Ett barn, kompisen Ali, klär på sig själv nu."
        assert answer.error == (
            "Svaret är inte sparat. Texten verkar nämna ett barns namn (”kompisen Ali”). Skriv hellre till exempel "
            "”ett barn” eller ”en treåring”, så att ingen kan kännas igen."
        )
        assert list(backend.follow_up(SLUG).load(A.id).open.values()) == ["Ett barn klär på sig själv nu."]
        answer.value = "Ett barn, en kompis, klär på sig själv nu."
        assert answer.error == ""
        assert list(backend.follow_up(SLUG).load(A.id).open.values()) == ["Ett barn, en kompis, klär på sig själv nu."]


class DescribeTheBaseline:
    def it_takes_the_follow_ups_ratings_before_the_hand_in_and_none_after(
        self, backend_of: MakeBackend, catalog: Catalog, course_dir: CourseDir, var: Path
    ) -> None:
        course = catalog.module(SLUG).course
        survey = course.follow_up_survey
        assert survey is not None
        item, question = survey.likert[0].id, survey.open[0].id
        assert backend_of(A).baseline(SLUG).save(B.id, course, "likert", item, 2).likert == {item: 2}
        assert backend_of(B).baseline(SLUG).load(A.id).likert == {}
        assert (var / "follow-up-baseline" / SLUG / f"{A.id}.json").is_file()
        with pytest.raises(ValueError):
            backend_of(A).baseline(SLUG).save(A.id, course, "open", question, "Jag gör så här.")
        start(var)
        with pytest.raises(ValueError, match="inte öppnad"):
            backend_of(B).baseline(SLUG).save(B.id, course, "likert", item, 3)
        release(var, SLUG, [A.unit], date(2027, 2, 1), None, datetime.now(UTC))
        hand_in_long_ago(catalog, course_dir, A)
        with pytest.raises(ValueError, match="innan du har lämnat in"):
            backend_of(A).baseline(SLUG).save(A.id, course, "likert", item, 5)
        assert backend_of(A).baseline(SLUG).load(A.id).likert == {item: 2}


class DescribeTheAuditTrail:
    def it_records_granskas_read_and_shows_the_newest_entries_to_the_resource_team_only(
        self, backend_of: MakeBackend, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        hand_in_long_ago(catalog, course_dir, A)
        assert backend_of(TEAM).reviews().text(A.id, SLUG)
        lines = backend_of(TEAM).audit_trail(10)
        assert len(lines) == 1 and lines[0].endswith(f"{TEAM.id} läste reflektionen för {A.id} i {SLUG}")
        for person in (A, PRINCIPAL):
            with pytest.raises(Refused, match="Loggen över personuppgifter är för resursteamet"):
                backend_of(person).audit_trail(10)


class DescribeActivity:
    def it_takes_one_report_per_interval_and_none_for_a_module_not_released(
        self, backend_of: MakeBackend, var: Path
    ) -> None:
        backend_of(A).record_activity(SLUG, 30)
        with pytest.raises(Refused):
            backend_of(A).record_activity(SLUG, 100)
        rows = {row.person_id: row for row in backend_of(TEAM).progress() if row.slug == SLUG}
        assert (rows[A.id].status, rows[A.id].percent) == (Status.IN_PROGRESS, 30)
        start(var)
        with pytest.raises(Refused):
            backend_of(B).record_activity(SLUG, 10)


class DescribeLocalRoutines:
    """Item 12 of issue 23: a principal fills in their unit's routines, the resource team the district's."""

    OWN = Routine(id="tolkbokning", text="Ring tolkförmedlingen dagen innan.", contact="Expeditionen, 08-123 45 67")

    def it_shows_staff_their_units_routine_before_the_districts_and_no_other_units(
        self, backend_of: MakeBackend, var: Path
    ) -> None:
        (var / ROUTINES_FILE).write_text("routines:\n- id: tolkbokning\n  text: Boka tolk via växeln.\n")
        backend_of(PRINCIPAL).routines().save("Solrosen", self.OWN)
        mine = backend_of(A).routines().load()
        assert mine.shown("tolkbokning", A.unit) == Shown(self.OWN, by_unit=True)
        assert not mine.shown("orosanmalan", A.unit).routine.filled
        theirs = backend_of(B).routines().load()
        assert theirs.shown("tolkbokning", B.unit).routine.text == "Boka tolk via växeln."
        assert theirs.book.units == {}, "another unit's section never reaches Vitsippan's staff"

    def it_lets_a_principal_change_only_units_they_lead_and_staff_nothing_naming_who_may(
        self, backend_of: MakeBackend, var: Path
    ) -> None:
        with pytest.raises(Refused) as other_unit:
            backend_of(PRINCIPAL).routines().save("Vitsippan", self.OWN)
        said = "Rutinerna för Vitsippan fylls i av rektorn för Vitsippan eller av resursteamet."
        assert str(other_unit.value) == said
        with pytest.raises(Refused) as district:
            backend_of(PRINCIPAL).routines().save(None, self.OWN)
        assert str(district.value) == "Förvaltningens rutiner fylls i av resursteamet."
        with pytest.raises(Refused, match="rektorn för Solrosen"):
            backend_of(A).routines().save("Solrosen", self.OWN)
        assert not (var / ROUTINES_FILE).exists()

    def it_lets_the_resource_team_fill_in_the_districts_and_any_units_on_the_roster(
        self, backend_of: MakeBackend
    ) -> None:
        team = backend_of(TEAM).routines()
        team.save(None, Routine(id="orosanmalan", text="Ring rektorn samma dag."))
        team.save("Vitsippan", self.OWN)
        with pytest.raises(RoutineRefused, match="ingen personal på Förskolan Okänd"):
            team.save("Förskolan Okänd", self.OWN)
        seen = backend_of(B).routines().load()
        assert seen.shown("orosanmalan", B.unit) == Shown(Routine(id="orosanmalan", text="Ring rektorn samma dag."))
        assert seen.shown("tolkbokning", B.unit).by_unit
        emptied = team.save("Vitsippan", Routine(id="tolkbokning"))
        assert emptied.section("Vitsippan") == {} and not emptied.shown("tolkbokning", B.unit).routine.filled

    def it_refuses_a_routine_that_names_a_child_and_keeps_the_file_as_it_was(
        self, backend_of: MakeBackend, var: Path
    ) -> None:
        named = Routine(id="orosanmalan", text="Om flickan Maja är ledsen vid lämningen, ring rektorn.")
        with pytest.raises(RoutineRefused, match=r"barns namn \(”flickan Maja”\)"):
            backend_of(PRINCIPAL).routines().save("Solrosen", named)
        assert not (var / ROUTINES_FILE).exists()

    def it_saves_nothing_over_a_file_it_cannot_read_and_says_where_it_is_wrong(
        self, backend_of: MakeBackend, var: Path
    ) -> None:
        broken = "routines:\n- id: tolk\n  text: Ring växeln.\n"
        (var / ROUTINES_FILE).write_text(broken)
        with pytest.raises(RoutineRefused, match="filen med rutinerna har ett fel"):
            backend_of(PRINCIPAL).routines().save("Solrosen", self.OWN)
        assert (var / ROUTINES_FILE).read_text() == broken
        problem = backend_of(A).routines().load().problem
        assert problem is not None and "routines.yaml:2:3: routines[0].id: no local-routine slot 'tolk'" in problem
