"""The principal's page and the district page: seconds from the navigation to every chart drawn.

A district of two units with progress written through nbgrader's tables (as `resurskurs demo` does);
the principal opens `?vy=enhet`, the resource team `?vy=forvaltning`. Each is opened twice in the same
browser profile: the first visit fetches plotly.js (compressed), the repeat takes it from the cache.
Baseline in the same run: the learner's course page, the page every kernel is tuned for.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from benchmarks.serving import COURSE, person_context, wait_pool_refilled, wait_preheated
from resurskurs.catalog.load import load_catalog
from resurskurs.demo.district import demo_district
from resurskurs.demo.plans import bulk_plans, plan_progress
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.paths import content_root
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS, PlayerServer
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people

GOAL_SECONDS = 2.0
ALL_DRAWN = (
    "document.querySelector('.rk-chart') !== null && "
    "document.querySelectorAll('.rk-chart:not([data-state=\"drawn\"])').length === 0"
)


def _district(var: Path) -> list[Person]:
    people = demo_district(staff=24, units=2, seed=21)
    write_roster(people, var / "roster.csv")
    catalog = load_catalog(content_root())
    course_dir = CourseDir(var / "exercises", f"sqlite:///{var / 'gradebook.db'}")
    import_people(people, course_dir)
    build(catalog, course_dir)
    bulk_plans(plan_progress(people, catalog, 21, datetime(2026, 11, 1, tzinfo=UTC)), catalog, course_dir)
    return people


def _seconds(context: BrowserContext, url: str, ready: str) -> float:
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(ready, timeout=120_000)
    seconds = time.perf_counter() - started
    page.close(run_before_unload=True)
    return seconds


def _twice(browser: Browser, server: PlayerServer, person: Person, query: str, ready: str) -> list[float]:
    context = person_context(browser, server.url, person.id)
    timings = []
    for _ in range(2):
        wait_pool_refilled(server, 0)
        timings.append(_seconds(context, server.url + query, ready))
    context.close()
    return timings


def run() -> str:
    with tempfile.TemporaryDirectory() as temporary, sync_playwright() as driver:
        var = Path(temporary) / "var"
        people = _district(var)
        principal = next(person for person in people if person.role is Role.PRINCIPAL)
        team = next(person for person in people if person.role is Role.RESOURCE_TEAM)
        learner = next(person for person in people if person.role is Role.STAFF)
        server = PlayerServer(content_root(), var).start()
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            wait_preheated(server)
            course = _twice(browser, server, learner, COURSE, "document.querySelector('.rk-page .rk-question button')")
            unit = _twice(browser, server, principal, "?vy=enhet", ALL_DRAWN)
            whole = _twice(browser, server, team, "?vy=forvaltning", ALL_DRAWN)
        finally:
            browser.close()
            server.stop()
    base = statistics.mean(course)
    return (
        f"time to a drawn chart (goal ≤ {GOAL_SECONDS:.0f} s): principal's page first {unit[0]:.1f} s, repeat "
        f"{unit[1]:.1f} s; district page first {whole[0]:.1f} s, repeat {whole[1]:.1f} s; course page (baseline) "
        f"first {course[0]:.1f} s, repeat {course[1]:.1f} s; ratio principal repeat to course "
        f"{unit[1] / base:.2f}x"
    )
