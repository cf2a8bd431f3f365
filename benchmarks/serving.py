"""What the load benchmarks share: a fictional district on the served gradebook, a person's browser context,
and waiting for the pool, around the test harness's server (resurskurs.testing.server)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]  # no annotations
from playwright.sync_api import Browser, BrowserContext

from resurskurs.demo.district import demo_district
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.testing.server import PlayerServer
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people

COURSE = "?kurs=trygga-relationer"
"""A real course of the catalog: its film, its questions, its subtitles."""


def district(var: Path, staff: int, seed: int) -> list[Person]:
    """A fictional district of `staff` learners and their principals, in the roster and the server's gradebook."""
    people = demo_district(staff=staff, units=1, seed=seed)
    write_roster(people, var / "roster.csv")
    import_people(people, CourseDir(var / "exercises", f"sqlite:///{var / 'gradebook.db'}"))
    return people


def person_context(browser: Browser, url: str, person_id: str, **options: Any) -> BrowserContext:
    """A browser context (a phone of its own) carrying one person's demo cookie."""
    context = browser.new_context(**options)
    context.add_cookies([{"name": "resurskurs_person", "value": person_id, "url": url}])
    return context


def wait_preheated(server: PlayerServer, seconds: float = 120) -> None:
    """Every pool kernel waits for a request (has connected to voila/query), not merely started."""
    assert server.log is not None
    deadline = time.monotonic() + seconds
    while server.log.read_text(errors="replace").count("/voila/query/") < server.pool_size:
        if time.monotonic() > deadline:
            raise TimeoutError("the pool did not preheat")
        time.sleep(0.2)


def wait_pool_refilled(server: PlayerServer, open_pages: int, seconds: float = 120) -> None:
    """The kernels of the open pages plus a full pool are running again."""
    deadline = time.monotonic() + seconds
    while len(server.kernels()) < open_pages + server.pool_size and time.monotonic() < deadline:
        time.sleep(0.2)


def server_cpu(server: PlayerServer) -> float:
    """CPU seconds the server's processes (Voilà, grader, kernels) have used so far; ended ones are not counted."""
    assert server.process is not None
    parent = psutil.Process(server.process.pid)
    total = 0.0
    for process in [parent, *parent.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


@contextmanager
def room_on_a_fresh_server(
    root: Path, var: Path, kernels: str, room: int
) -> Iterator[tuple[PlayerServer, list[Person]]]:
    """`room` learners of a fictional district, and a server just started on them (`kernels`: forked or
    launched) whose pool has preheated; it stops afterwards."""
    people = demo_district(staff=room, units=1, seed=room)
    write_roster(people, var / "roster.csv")
    server = PlayerServer(root, var, kernel_start=kernels).start()
    try:
        wait_preheated(server)
        yield server, [person for person in people if person.role is Role.STAFF]
    finally:
        server.stop()


def spread(seconds: list[float]) -> tuple[float, float, int]:
    """The slowest and the median of the pages that got there, and how many did not (infinite seconds)."""
    reached = [value for value in seconds if value != float("inf")]
    if not reached:
        return float("inf"), float("inf"), len(seconds)
    return max(reached), statistics.median(reached), len(seconds) - len(reached)


def room_line(
    kernels: str, room: int, seconds: list[float], room_cpu: float, goal: str, memory: str = ""
) -> tuple[float, str]:
    """The room's slowest page and its line in a room benchmark's report (`memory`, when measured, goes before
    the server's CPU)."""
    slowest, median, stuck = spread(seconds)
    return slowest, (
        f"{room} at once, {kernels} kernels: slowest {slowest:.1f} s{goal}, median {median:.1f} s, stuck {stuck}; "
        f"{memory}server CPU {room_cpu:.1f} s ({room_cpu / room:.2f} s a page)"
    )
