"""A real JupyterHub from deploy/jupyterhub_config.py, started once per test module.

Only the authenticator (DummyAuthenticator), the spawner (SimpleLocalProcessSpawner) and ports are
overridden; the hub's database and the gradebook are fresh databases on the PostgreSQL server the test
session starts (tests/databases.py). Everything the hub starts is ended through the hub and then checked
by PID; anything left is killed and named in the failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
import requests
from playwright.sync_api import Browser, Playwright

from resurskurs.catalog.load import load_catalog
from resurskurs.district.roster import Person, Role
from resurskurs.testing.content import FOLLOW_UP, player_content
from resurskurs.testing.hand_ins import SLUG
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from tests.databases import DatabaseServer, free_port

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "jupyterhub_config.py"
LEARNERS = [f"pedagog.{number:02d}" for number in range(1, 51)]
"""The load test's simulated learners: they log in and hand in through the hub, with no server of their own."""
PEOPLE = [
    Person("anna.berg", "Anna", "Berg", "anna.berg@forskola.example", "Solrosen", "Blå", Role.STAFF),
    Person("bo.ek", "Bo", "Ek", "bo.ek@forskola.example", "Vitsippan", "Röd", Role.STAFF),
    Person("rut.lind", "Rut", "Lind", "rut.lind@forskola.example", "Solrosen", "Ledning", Role.PRINCIPAL),
    Person("cia.holm", "Cia", "Holm", "cia.holm@forskola.example", "Lärkan", "Gul", Role.STAFF),
    Person("dan.falk", "Dan", "Falk", "dan.falk@forskola.example", "Lärkan", "Gul", Role.STAFF),
    Person("ida.nord", "Ida", "Nord", "ida.nord@forskola.example", "Solrosen", "Blå", Role.STAFF),
    Person("eva.ros", "Eva", "Ros", "eva.ros@forskola.example", "Resursenheten", "Resursteamet", Role.RESOURCE_TEAM),
    *(
        Person(name, "Pedagog", name[-2:], f"{name}@forskola.example", "Tallen", "Grön", Role.STAFF)
        for name in LEARNERS
    ),
]
STARTED_SECONDS = 90
STOPPED_SECONDS = 60


@dataclass
class Hub:
    url: str
    grader_url: str
    gradebook_url: str
    course_dir: CourseDir
    process: subprocess.Popen[bytes]
    log: Path
    started_in: float = 0.0
    stopped_in: float = 0.0
    seen: dict[int, psutil.Process] = field(default_factory=dict)

    def descendants(self) -> list[psutil.Process]:
        """Every process below the hub now (proxy, service, user servers, kernels), remembered for the end check."""
        try:
            found = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        self.seen.update({child.pid: child for child in found})
        return found

    def user_servers(self) -> dict[str, psutil.Process]:
        """The spawned user servers by user name (from their JUPYTERHUB_USER)."""
        servers = {}
        for child in self.descendants():
            try:
                if child.cmdline()[1:4] == ["-m", "resurskurs.hub", "user-server"]:
                    servers[child.environ()["JUPYTERHUB_USER"]] = child
            except (psutil.Error, IndexError, KeyError):
                continue
        return servers

    def log_in(self, name: str, spawn: bool = True) -> requests.Session:
        """Log in through the hub's form; the hub then starts the person's server unless `spawn` is False."""
        session = requests.Session()
        session.get(f"{self.url}hub/login").raise_for_status()
        response = session.post(
            f"{self.url}hub/login",
            data={"username": name, "password": "x", "_xsrf": xsrf(session)},
            allow_redirects=spawn,
        )
        assert response.status_code in (200, 302), response.status_code
        return session

    def new_token(self, session: requests.Session, name: str, scopes: list[str]) -> str:
        """A token minted by the logged-in person through the hub's API, with `scopes` (at most their own)."""
        response = session.post(
            f"{self.url}hub/api/users/{name}/tokens",
            json={"scopes": scopes, "note": "test", "expires_in": 3600},
            headers={"X-XSRFToken": xsrf(session)},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def wait_for_server(self, session: requests.Session, name: str) -> requests.Response:
        deadline = time.monotonic() + STARTED_SECONDS
        while time.monotonic() < deadline:
            response = session.get(f"{self.url}user/{name}/")
            if response.status_code == 200 and response.url.rstrip("/").endswith(f"/user/{name}"):
                return response
            time.sleep(0.5)
        raise TimeoutError(f"{name}'s server did not answer: {self.log.read_text(errors='replace')[-4000:]}")


def _start(tmp: Path, postgres: DatabaseServer) -> Hub:
    content = player_content(tmp / "content")
    with (content / "courses" / SLUG / "course.yaml").open("a", encoding="utf-8") as course:
        course.write(FOLLOW_UP)
    catalog = load_catalog(content)
    gradebook_url = postgres.create_database()
    course_dir = CourseDir(tmp / "exercises", gradebook_url)
    build(catalog, course_dir)
    import_people(PEOPLE, course_dir)
    port, hub_port, proxy_port, grader_port = (free_port() for _ in range(4))
    grader_url = f"http://127.0.0.1:{grader_port}"
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("RESURSKURS_", "JUPYTERHUB_"))}
    environ |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}",
        "RESURSKURS_HUB_DB_URL": postgres.create_database(),
        "RESURSKURS_GRADEBOOK_URL": gradebook_url,
        "RESURSKURS_GRADER_URL": grader_url,
        "RESURSKURS_ROOT": str(content),
        "RESURSKURS_VAR": str(tmp / "service-var"),
        "RESURSKURS_EXERCISES": str(course_dir.root),
    }
    (tmp / "hub").mkdir()
    log = tmp / "hub.log"
    command = [
        sys.executable, "-m", "jupyterhub", "-f", str(CONFIG),
        "--JupyterHub.authenticator_class=dummy",
        "--JupyterHub.spawner_class=simple",
        f"--SimpleLocalProcessSpawner.home_dir_template={tmp}/home/{{username}}",
        f"--JupyterHub.bind_url=http://127.0.0.1:{port}",
        f"--JupyterHub.hub_port={hub_port}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{proxy_port}",
    ]  # fmt: skip
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=tmp / "hub", env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    hub = Hub(f"http://127.0.0.1:{port}/", grader_url, gradebook_url, course_dir, process, log)
    deadline = time.monotonic() + STARTED_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the hub stopped: {log.read_text(errors='replace')[-4000:]}")
        try:
            if requests.get(f"{hub.url}hub/api/", timeout=2).status_code == 200 and _answers(grader_url):
                hub.started_in = time.monotonic() - started
                hub.descendants()
                return hub
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    _stop(hub)
    raise TimeoutError(f"the hub did not start: {log.read_text(errors='replace')[-4000:]}")


def _answers(url: str) -> bool:
    try:
        requests.get(f"{url}/services/resurskurs-grader/api/me", timeout=2)
    except requests.ConnectionError:
        return False
    return True


def _stop(hub: Hub) -> list[str]:
    """SIGTERM to the hub (it stops servers, the service and the proxy); then every process seen must be gone."""
    hub.descendants()
    started = time.monotonic()
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=STOPPED_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(hub.process.pid, signal.SIGKILL)
            hub.process.wait()
    hub.stopped_in = time.monotonic() - started
    _, alive = psutil.wait_procs(list(hub.seen.values()), timeout=10)
    left = [f"{p.pid} {' '.join(_cmdline(p))}" for p in alive]
    for process in alive:
        process.kill()
    return left


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, postgres_server: DatabaseServer) -> Iterator[Hub]:
    started = _start(tmp_path_factory.mktemp("hub"), postgres_server)
    try:
        yield started
    finally:
        left = _stop(started)
        print(f"\nhub started in {started.started_in:.1f} s, stopped in {started.stopped_in:.1f} s")
        assert left == [], f"processes left running after the hub stopped: {left}"


def xsrf(session: requests.Session) -> str:
    return str(session.cookies.get("_xsrf", path="/hub/") or "")


def _is_chromium(process: psutil.Process) -> bool:
    """A Chromium process, not a user server or kernel the hub happened to start in the same moment."""
    try:
        return Path(process.cmdline()[0]).name == Path(CHROMIUM).name
    except psutil.Error:
        return False


@pytest.fixture(scope="module")
def hub_browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium for this module alone, on the session's Playwright driver (one sync driver per
    process); its processes are checked gone by PID."""
    before = {child.pid for child in psutil.Process().children(recursive=True)}
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    started = [c for c in psutil.Process().children(recursive=True) if c.pid not in before and _is_chromium(c)]
    try:
        yield chromium
    finally:
        chromium.close()
    _, alive = psutil.wait_procs(started, timeout=10)
    for process in alive:
        process.kill()
    assert alive == [], f"browser processes left running: {[p.pid for p in alive]}"
