"""Issue 25: a module's text is in the first HTML response, read before any script runs, the same for everyone,
and it gives way to the widget page without being read out twice."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from resurskurs.catalog.load import load_catalog
from resurskurs.district.releases import start
from resurskurs.district.roster import Person, Role
from resurskurs.learners.store import AnswerStore
from resurskurs.schema import Course
from resurskurs.testing.browser import Guard, open_context, open_page, screenshot, serious_violations
from resurskurs.testing.server import PlayerServer
from resurskurs.ui.markup import text

COURSE = "?kurs=prova-pa"
PREVIEW = re.compile(r'<main id="rk-preview".*?</main>', re.DOTALL)
DRAFT = "Mitt utkast om lämningen i tamburen, bara mitt."


@pytest.fixture
def course(player_root: Path) -> Course:
    return load_catalog(player_root).module("prova-pa").course


def first_response(server: PlayerServer, query: str, person: Person | None) -> str:
    """The page as a plain HTTP client gets it: no script runs, nothing but what the server sent."""
    headers = {"Cookie": f"resurskurs_person={person.id}"} if person else {}
    with urllib.request.urlopen(urllib.request.Request(server.url + query, headers=headers), timeout=60) as response:
        return str(response.read().decode("utf-8"))


def preview_of(html: str) -> str:
    found = PREVIEW.search(html)
    assert found is not None, "the response carries no module text"
    return found.group(0)


def questions(course: Course) -> list[str]:
    return [item.question for item in course.preparation.knowledge_check.items]


PLACES = """() => [...document.querySelectorAll('#rk-main .rk-widget, #rk-main .rk-likert-option')]
    .map((node) => Math.round(node.getBoundingClientRect().top + window.scrollY))"""
KEEP_PLACES_AT_READY = (
    "new MutationObserver((changes, observer) => {"
    " const shell = document.getElementById('rk-main');"
    " if (!shell || shell.getAttribute('aria-busy') !== 'false') return;"
    f" observer.disconnect(); window.rkPlacesAtReady = ({PLACES})();"
    "}).observe(document, { attributes: true, attributeFilter: ['aria-busy'], subtree: true });"
)
"""Where each widget of ours and each step of the evaluation's scale stood the moment the page stopped being busy."""
NEVER_DRAWN = (
    "new MutationObserver((changes, observer) => {"
    " const page = document.querySelector('.rk-page'); if (!page) return; observer.disconnect();"
    " const stuck = document.createElement('div'); stuck.className = 'rk-widget rk-never-drawn'; page.prepend(stuck);"
    "}).observe(document, { childList: true, subtree: true });"
)
"""A widget whose script never arrives: placed in the page as the page appears, and never drawn."""


def held_back(route: Route) -> None:
    """Voilà's front-end never arrives: the page stays as its first response left it."""
    route.abort()


class DescribeTheFirstResponse:
    def it_carries_the_modules_title_introduction_and_questions_before_any_script(
        self, server: PlayerServer, learner: Person, course: Course
    ) -> None:
        html = first_response(server, COURSE, learner)
        preview = preview_of(html)
        assert html.index(preview) < html.index("window.voila_finish")
        for words in (course.title, course.summary, *questions(course)):
            assert text(words) in preview
        assert "<h1" in preview and "<ol>" in preview

    def it_is_the_same_for_everyone_and_carries_nothing_personal(
        self, server: PlayerServer, people: list[Person], course: Course
    ) -> None:
        first, second = [person for person in people if person.role is Role.STAFF][:2]
        AnswerStore(server.var, first.id).save("prova-pa", ("reflection",), DRAFT)
        previews = [preview_of(first_response(server, COURSE, person)) for person in (first, second)]
        assert previews[0] == previews[1]
        for person in (first, second):
            assert person.name not in previews[0] and person.id not in previews[0]
        assert DRAFT not in previews[0]
        for item in course.preparation.knowledge_check.items:
            for option in item.options:
                assert text(option.explanation) not in previews[0]

    def it_gives_no_course_text_to_an_unknown_module_an_overview_or_the_catalog(
        self, server: PlayerServer, learner: Person, course: Course
    ) -> None:
        for query in ("?kurs=finns-inte", "?vy=enhet&kurs=prova-pa", "", "?kurs=prova-pa&byt=1"):
            html = first_response(server, query, learner)
            assert PREVIEW.search(html) is None, query
            assert text(course.summary) not in html, query
            assert "Sidan laddas" in html

    def it_gives_no_course_text_to_a_visitor_nobody_has_signed_in(self, server: PlayerServer, course: Course) -> None:
        assert text(course.summary) not in first_response(server, COURSE, None)

    def it_shows_only_the_title_once_the_district_releases_modules_unit_by_unit(
        self, server: PlayerServer, learner: Person, course: Course
    ) -> None:
        start(server.var)
        preview = preview_of(first_response(server, COURSE, learner))
        assert text(course.title) in preview
        assert text(course.summary) not in preview
        assert all(text(question) not in preview for question in questions(course))


class DescribeTheSignedInPerson:
    @pytest.fixture
    def signed_in(self, player_root: Path, tmp_path: Path, people: list[Person],
                  learner: Person) -> Iterator[PlayerServer]:
        running = PlayerServer(player_root, tmp_path / "var", user=learner.id, demo=False, pool_size=1).start()
        yield running
        running.stop()

    def it_gets_the_very_text_a_demo_visitor_gets(
        self, signed_in: PlayerServer, learner: Person, course: Course
    ) -> None:
        AnswerStore(signed_in.var, learner.id).save("prova-pa", ("reflection",), DRAFT)
        html = first_response(signed_in, COURSE, None)
        preview = preview_of(html)
        assert text(course.summary) in preview
        assert learner.name not in preview and DRAFT not in preview


class DescribeWhileTheWidgetsLoad:
    @pytest.mark.parametrize("width", [390, 1024])
    def it_shows_the_text_at_once_in_the_pages_own_column(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard, course: Course, width: int
    ) -> None:
        context = open_context(browser, server, learner, guard)
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.route("**/voila.js", held_back)
        page.route("**/front-end-*.js", held_back)
        page.goto(server.url + COURSE)
        expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
        expect(page.get_by_role("status")).to_contain_text("Sidan laddas …")
        expect(page.get_by_text(questions(course)[0])).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"text-first-loading-{width}")
        assert serious_violations(page) == []
        context.close()


class DescribeOnceTheWidgetsHaveRendered:
    def it_hides_the_text_and_leaves_one_copy_for_assistive_technology(
        self, page: Page, server: PlayerServer, course: Course
    ) -> None:
        open_page(page, server.url + COURSE)
        page.locator(".rk-page h1").wait_for()
        expect(page.locator("#rk-preview")).to_be_hidden()
        expect(page.locator("#rk-preview")).to_have_attribute("aria-hidden", "true")
        expect(page.get_by_role("heading", name=course.title, level=1)).to_have_count(1)
        expect(page.get_by_role("main")).to_have_count(1)
        shell = page.locator("#rk-main")
        expect(shell).not_to_have_attribute("aria-hidden", "true")
        expect(shell).to_have_attribute("aria-busy", "false")
        expect(page.locator("#rk-waiting")).to_be_hidden()
        assert serious_violations(page) == []

    @pytest.mark.parametrize("width", [390, 1024])
    def it_moves_nothing_once_it_is_no_longer_busy_not_even_when_the_film_arrives(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard, width: int
    ) -> None:
        """Widget scripts draw in any order and a film's height comes with its first bytes: neither moves a thing."""
        context = open_context(browser, server, learner, guard)
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.add_init_script(KEEP_PLACES_AT_READY)
        open_page(page, server.url + COURSE)
        page.wait_for_function("document.querySelector('.rk-stage video').readyState >= 1", timeout=30_000)
        page.wait_for_timeout(300)
        at_ready = page.evaluate("window.rkPlacesAtReady")
        assert len(at_ready) >= 12
        assert page.evaluate(PLACES) == at_ready
        context.close()

    def it_shows_the_page_though_one_widget_is_never_drawn(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard, course: Course
    ) -> None:
        context = open_context(browser, server, learner, guard)
        page = context.new_page()
        page.add_init_script(NEVER_DRAWN)
        page.goto(server.url + COURSE)
        expect(page.locator("#rk-main")).to_have_attribute("aria-busy", "false", timeout=60_000)
        expect(page.locator(".rk-never-drawn")).to_be_empty()
        expect(page.locator("#rk-preview")).to_be_hidden()
        expect(page.get_by_role("heading", name=course.title, level=1)).to_have_count(1)
        context.close()

    def it_keeps_the_title_where_it_was(self, browser: Browser, server: PlayerServer, learner: Person,
                                        guard: Guard) -> None:
        """At 1,024 px the demo's "who" line is one line, as the loading line is: the title does not move."""
        context = open_context(browser, server, learner, guard)
        loading = context.new_page()
        loading.route("**/voila.js", held_back)
        loading.goto(server.url + COURSE)
        before = loading.locator("#rk-preview h1").bounding_box()
        rendered = open_page(context.new_page(), server.url + COURSE)
        rendered.locator(".rk-page h1").wait_for()
        after = rendered.locator(".rk-page h1").bounding_box()
        assert before is not None and after is not None
        assert abs(before["y"] - after["y"]) <= 8 and abs(before["x"] - after["x"]) <= 8
        context.close()
