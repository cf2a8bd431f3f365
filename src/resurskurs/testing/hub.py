"""A real JupyterHub from the district's config, for the hub specs (tests/hub) and the hub benchmark.

Only the authenticator (DummyAuthenticator), the spawner (SimpleLocalProcessSpawner) and ports are
overridden; the hub's database and the gradebook are fresh databases on a throwaway PostgreSQL server
(resurskurs.testing.postgres). Everything the hub starts is ended through the hub and then checked by PID;
`stop_hub` kills and names anything left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # no annotations; only the tests and benchmarks use it
import requests
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from resurskurs.catalog.load import load_catalog
from resurskurs.district.roster import Person, Role
from resurskurs.testing.content import FOLLOW_UP, player_content
from resurskurs.testing.hand_ins import SLUG
from resurskurs.testing.postgres import DatabaseServer, free_port
from resurskurs.testing.server import USABLE_STAMP
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people

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
            found: list[psutil.Process] = psutil.Process(self.process.pid).children(recursive=True)
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


def start_hub(tmp: Path, postgres: DatabaseServer, config: Path, environment: dict[str, str] | None = None) -> Hub:
    """A hub from `config` (deploy/jupyterhub_config.py) in `tmp`, with DummyAuthenticator, the simple local
    spawner and free ports; `environment` is added to what the hub (and through its config, the servers) get."""
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
        "RESURSKURS_HUB_BIND_URL": f"http://127.0.0.1:{port}",
        "RESURSKURS_ROOT": str(content),
        "RESURSKURS_VAR": str(tmp / "service-var"),
        "RESURSKURS_EXERCISES": str(course_dir.root),
        **(environment or {}),
    }
    (tmp / "hub").mkdir()
    log = tmp / "hub.log"
    command = [
        sys.executable, "-m", "jupyterhub", "-f", str(config),
        "--JupyterHub.authenticator_class=dummy",
        "--JupyterHub.spawner_class=simple",
        f"--SimpleLocalProcessSpawner.home_dir_template={tmp}/home/{{username}}",
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
    stop_hub(hub)
    raise TimeoutError(f"the hub did not start: {log.read_text(errors='replace')[-4000:]}")


def _answers(url: str) -> bool:
    try:
        requests.get(f"{url}/services/resurskurs-grader/api/me", timeout=2)
    except requests.ConnectionError:
        return False
    return True


def stop_hub(hub: Hub) -> list[str]:
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
        return [str(part) for part in process.cmdline()]
    except psutil.Error:
        return []


def xsrf(session: requests.Session) -> str:
    return str(session.cookies.get("_xsrf", path="/hub/") or "")


ASK_AGAIN_SECONDS = 30
"""A page still on the hub's spawn page after this long asks for the person's own page again, as a person would."""


@dataclass
class Room:
    """People who logged in through the hub's form and opened a module at once, each in a browser context."""

    names: list[str]
    contexts: list[BrowserContext]
    pages: list[Page]
    usable: dict[str, float]
    """Seconds from the first log-in to a course widget on the page, for each person whose page got one."""

    def stuck(self) -> list[str]:
        """The start of what each page without a course widget shows."""
        return [page.locator("body").inner_text()[:200] for page, name in self._opened() if name not in self.usable]

    def broken(self) -> list[str]:
        return [name for page, name in self._opened() if "Error displaying widget" in page.content()]

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def _opened(self) -> list[tuple[Page, str]]:
        return list(zip(self.pages, self.names, strict=True))


def open_room(hub: Hub, browser: Browser, names: list[str], slug: str, seconds: float) -> Room:
    """Each of `names` asks for module `slug` on their own server, is sent to the hub's log-in form, logs in and
    is brought back (the hub starting their server meanwhile), all at once; then wait up to `seconds` for every
    page to be usable (a course widget on it)."""
    contexts = [browser.new_context(locale="sv-SE") for _ in names]
    pages = [context.new_page() for context in contexts]
    started = time.monotonic()
    for page, name in zip(pages, names, strict=True):
        page.add_init_script(USABLE_STAMP)
        page.goto(f"{hub.url}user/{name}/?kurs={slug}")
        page.locator("#username_input").fill(name)
        page.locator("#password_input").fill("x")
        page.locator("#login_submit").click(no_wait_after=True)
    room = Room(names, contexts, pages, {})
    asked_again: dict[str, float] = {}
    while len(room.usable) < len(names) and time.monotonic() < started + seconds:
        for page, name in zip(pages, names, strict=True):
            if name in room.usable:
                continue
            if page.locator(".rk-page .rk-question button").count():
                room.usable[name] = time.monotonic() - started
            elif "/hub/" in page.url and time.monotonic() - asked_again.get(name, started) > ASK_AGAIN_SECONDS:
                asked_again[name] = time.monotonic()
                try:
                    page.goto(f"{hub.url}user/{name}/?kurs={slug}", wait_until="commit")
                except PlaywrightError as error:  # the spawn page's own redirect came first: fine
                    if not any(word in str(error) for word in ("interrupted by another navigation", "ERR_ABORTED")):
                        raise
        time.sleep(0.5)
    return room


def server_memory(server: psutil.Process) -> tuple[float, float, int]:
    """PSS and USS in MiB of a user server with everything it started (kernels, a warm parent), and how many
    processes that is."""
    processes = [server, *server.children(recursive=True)]
    memory = [process.memory_full_info() for process in processes]
    return sum(m.pss for m in memory) / 2**20, sum(m.uss for m in memory) / 2**20, len(processes)
