"""Real player servers on loopback, started and stopped per test, driven by Debian's Chromium.

Every page is guarded: a request to anything but this machine is blocked and fails the test,
because school networks are closed and third-party requests would leak who takes which course.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psutil
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright

from resurskurs.catalog.load import load_catalog
from resurskurs.district.demo import demo_district
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.films.demo_clip import make_demo_clip
from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
PLAYER_FIXTURE = Path(__file__).parents[1] / "fixtures" / "player"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PlayerServer:
    root: Path
    var: Path
    pool_size: int = 1
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> PlayerServer:
        env = {key: value for key, value in os.environ.items() if key not in {"RESURSKURS_USER", "JUPYTERHUB_USER"}}
        env |= {"RESURSKURS_ROOT": str(self.root), "RESURSKURS_VAR": str(self.var)}
        self.log = self.var / f"server-{self.port}.log"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "resurskurs", "serve", "--port", str(self.port), "--pool-size",
                 str(self.pool_size)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text()}")
            if "is filled with" in self.log.read_text(errors="replace"):
                return self
            time.sleep(0.2)
        raise TimeoutError(f"the kernel pool was not ready: {self.log.read_text()}")

    def kernels(self) -> list[psutil.Process]:
        assert self.process is not None
        children = psutil.Process(self.process.pid).children(recursive=True)
        return [child for child in children if "ipykernel_launcher" in " ".join(_cmdline(child))]

    def kill_hard(self) -> None:
        """kill -9 the server and its kernels, as a crash or an out-of-memory kill would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill_hard()


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


@pytest.fixture(scope="session")
def player_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content root with one short course on the rendered demo clip."""
    root = tmp_path_factory.mktemp("player-root")
    shutil.copytree(PLAYER_FIXTURE / "courses", root / "courses")
    (root / "films").mkdir()
    for file in (REPO / "films").glob("demo.*"):
        shutil.copy(file, root / "films" / file.name)
    make_demo_clip(load_catalog(root).films["demo"])
    assert load_catalog(root).problems == []
    return root


@pytest.fixture
def people(tmp_path: Path) -> list[Person]:
    people = demo_district(staff=4, units=1, seed=5)
    write_roster(people, tmp_path / "var" / "roster.csv")
    return people


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
    """Go to `url` and wait until the first page widget has rendered."""
    page.goto(url)
    page.locator(".rk-page").first.wait_for(timeout=60_000)
    return page


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    file = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(file), full_page=True)
    return file


def serious_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
