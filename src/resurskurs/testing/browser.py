"""A pytest plugin: real player servers on loopback, started and stopped per test, driven by Debian's Chromium.

Every page is guarded: a request to anything but this machine is blocked and fails the test,
because school networks are closed and third-party requests would leak who takes which course.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright

from resurskurs.catalog.load import load_catalog
from resurskurs.demo.district import demo_district
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.testing.content import REPO, build_player_root
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS, PlayerServer
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people

ARTIFACTS = REPO / "test-artifacts"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SLOW_PHONE = 20
"""Chromium's CPU throttling: a page twenty times slower, as a cheap phone with other tabs open."""


@pytest.fixture(scope="session")
def player_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content root with one short course on the rendered demo clip."""
    root = build_player_root(tmp_path_factory.mktemp("player-root"))
    assert load_catalog(root).problems == []
    return root


PrepareVar = Callable[[str, Callable[[Path], list[Person]], Path], list[Person]]


@pytest.fixture(scope="session")
def prepared_var(tmp_path_factory: pytest.TempPathFactory) -> PrepareVar:
    """`prepare(key, make, var)`: a var/ folder made once per session by `make` and copied to `var` for each test.

    Importing people into nbgrader's gradebook and building the course take seconds per test; a copy of the
    same files takes milliseconds, and every test still gets a folder of its own to change.
    """
    made: dict[str, tuple[Path, list[Person]]] = {}

    def prepare(key: str, make: Callable[[Path], list[Person]], var: Path) -> list[Person]:
        if key not in made:
            template = tmp_path_factory.mktemp(key) / "var"
            made[key] = (template, make(template))
        template, people = made[key]
        shutil.copytree(template, var)
        return list(people)

    return prepare


def demo_people(var: Path) -> list[Person]:
    """The demo picker's roster, imported into the gradebook in `var` as `resurskurs demo` does."""
    people = demo_district(staff=4, units=1, seed=5)
    write_roster(people, var / "roster.csv")
    import_people(people, CourseDir(var / "exercises", f"sqlite:///{var / 'gradebook.db'}"))
    return people


@pytest.fixture
def people(tmp_path: Path, prepared_var: PrepareVar) -> list[Person]:
    """The demo picker's roster in the server's gradebook (tmp_path/var)."""
    return prepared_var("demo-people", demo_people, tmp_path / "var")


@pytest.fixture
def learner(people: list[Person]) -> Person:
    return next(person for person in people if person.role is Role.STAFF)


@pytest.fixture
def server(player_root: Path, tmp_path: Path, people: list[Person]) -> Iterator[PlayerServer]:
    running = PlayerServer(player_root, tmp_path / "var").start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class Guard:
    """Requests that tried to leave the machine."""

    outside: list[str] = field(default_factory=list)

    def __call__(self, route: Route) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def open_context(browser: Browser, server: PlayerServer, person: Person | None, guard: Guard) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1024, "height": 1366}, locale="sv-SE")
    context.route("**/*", guard)
    if person is not None:
        context.add_cookies([{"name": "resurskurs_person", "value": person.id, "url": server.url}])
    return context


@contextmanager
def slow_phone(page: Page) -> Iterator[None]:
    """The page's CPU throttled to a slow phone's while the block runs (loading a page, say), then at full speed."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_PHONE})
    try:
        yield
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        cdp.detach()


@pytest.fixture
def guard() -> Iterator[Guard]:
    watch = Guard()
    yield watch
    assert watch.outside == [], f"requests left the machine: {watch.outside}"


@pytest.fixture
def context(browser: Browser, server: PlayerServer, learner: Person, guard: Guard) -> Iterator[BrowserContext]:
    opened = open_context(browser, server, learner, guard)
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def open_page(page: Page, url: str) -> Page:
    """Go to `url` and wait until the page and every widget on it have been drawn."""
    page.goto(url)
    return drawn(page)


def drawn(page: Page, timeout_ms: float = 60_000) -> Page:
    """Wait until the page has appeared and every widget on it has been drawn (the shell is no longer busy)."""
    page.locator(".rk-page").first.wait_for(timeout=timeout_ms)
    page.locator("#rk-main[aria-busy='false']").wait_for(state="attached", timeout=timeout_ms)
    return page


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    file = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(file), full_page=True)
    return file


def serious_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
