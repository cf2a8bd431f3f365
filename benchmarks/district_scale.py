"""The principal's unit page and the district page at 20,000 staff × 9 modules in 600 units, on PostgreSQL.

A throwaway PostgreSQL (Debian's, as `make test-postgresql` starts it) gets the district through nbgrader's
own tables in bulk (`bulk_plans`; students and people in one insert each, not through nbgrader's per-student
calls). Each page's gradebook reads are then timed twice on the same data in the same run: at revision 0005
(the baseline: each hand-in's grades summed at every read) and at the newest revision (0006: each hand-in's
totals kept by triggers as grades are written, `gradebook/hand_in_totals.py`).

The unit page reads: the unit's progress rows and the follow-up figures (every staff member's unit, the
snapshots). The district page: the progress figures counted in the gradebook (stages, reviews, what waits and
hand-ins per day, per unit and module, and the reflections waiting) beside the evaluation figures, as the page
reads them (`district_page.district_reads`), and the audit trail. Two more baselines are timed on the same data:
the same two reads one after the other, as the page made them before, and the per-person reads the district page
made before that (every progress row and Granska's whole list of reflections waiting, which the report and
Granska still read). The figures are published once before timing, so the timings are of a page view, not of a
first publication.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from benchmarks.timing import median_seconds
from resurskurs.backend.local import LocalBackend
from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.demo.district import demo_district
from resurskurs.demo.plans import bulk_plans, plan_progress
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook.engine import dispose_all, migrated
from resurskurs.gradebook.migrations import downgrade, upgrade
from resurskurs.gradebook.tables import PEOPLE
from resurskurs.overview.district_page import district_reads
from resurskurs.paths import content_root
from resurskurs.testing.postgres import LocalPostgres, postgresql_bin
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir

STAFF, UNITS, ROUNDS = 20_000, 600, 5
GOAL_SECONDS = 0.5
BASELINE = "0005"
Reads = dict[str, Callable[[], object]]
"""A page's reads from the gradebook, by name."""
DISTRICT_PAGE = "district page (?vy=forvaltning)"
PER_ROW = "district page's per-person reads before (now the report's and Granska's)"
ONE_BY_ONE = "district page's two main reads one after the other (as the page read them before)"
BASELINES = (PER_ROW, ONE_BY_ONE)


def _people(people: list[Person], db_url: str) -> None:
    """Students and people in two inserts: nbgrader's update_or_create_student is one round trip per person."""
    from nbgrader import api

    engine = migrated(db_url)
    with engine.begin() as connection:
        connection.execute(
            api.Student.__table__.insert(),
            [{"id": p.id, "first_name": p.first_name, "last_name": p.last_name, "email": p.email} for p in people],
        )
        connection.execute(
            PEOPLE.insert(),
            [{"id": p.id, "unit": p.unit, "work_team": p.work_team, "role": p.role.value} for p in people],
        )


def _pages(catalog: Catalog, course_dir: CourseDir, var: Path, people: list[Person]) -> dict[str, Reads]:
    """Each page's gradebook reads, through the backend the pages call."""
    principal = next(p for p in people if p.role is Role.PRINCIPAL)
    team = next(p for p in people if p.role is Role.RESOURCE_TEAM)
    unit = LocalBackend(principal, catalog, course_dir, var)
    district = LocalBackend(team, catalog, course_dir, var)
    titles = [module.course.slug for module in catalog.modules]
    return {
        "principal's unit page (?vy=enhet)": {
            "progress": unit.progress,
            "follow-up": lambda: unit.follow_up_figures(list(principal.units)),
        },
        DISTRICT_PAGE: {
            "progress figures beside the evaluation": lambda: district_reads(district),
            "trail": lambda: district.audit_trail(10),
        },
        ONE_BY_ONE: {
            "progress figures": district.district_figures,
            "evaluation": district.evaluations,
        },
        PER_ROW: {
            "progress rows": district.progress,
            "reflections waiting": lambda: district.reviews().waiting(titles),
        },
    }


def _timed(pages: dict[str, Reads]) -> dict[str, dict[str, float]]:
    return {page: {name: median_seconds(read, ROUNDS) for name, read in reads.items()} for page, reads in pages.items()}


def _page(name: str, before: dict[str, float], after: dict[str, float]) -> str:
    was, now = sum(before.values()), sum(after.values())
    parts = ", ".join(f"{query} {before[query] * 1000:.0f}->{after[query] * 1000:.0f}" for query in after)
    goal = "" if name in BASELINES else f"; goal <= {GOAL_SECONDS} s {'met' if now <= GOAL_SECONDS else 'NOT met'}"
    return f"{name}: {was * 1000:.0f} ms at {BASELINE} -> {now * 1000:.0f} ms ({was / now:.1f}x; {parts} ms){goal}"


def _analyze(db_url: str) -> None:
    """Fresh planner statistics, as autovacuum would have them on a live server: without any, right after the
    bulk load, the district's counts were still running after five minutes (they take 0.45 s with them)."""
    engine = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("ANALYZE"))
    finally:
        engine.dispose()


def run() -> str:
    catalog = load_catalog(content_root())
    people = demo_district(staff=STAFF, units=UNITS, seed=1)
    server = LocalPostgres(postgresql_bin())
    try:
        with tempfile.TemporaryDirectory() as folder:
            db_url = server.start().create_database()
            course_dir = CourseDir(Path(folder) / "exercises", db_url)
            started = time.perf_counter()
            build(catalog, course_dir)
            _people(people, db_url)
            handed_in = bulk_plans(plan_progress(people, catalog, 1, datetime.now(UTC)), catalog, course_dir)
            setup = time.perf_counter() - started
            pages = _pages(catalog, course_dir, Path(folder) / "var", people)
            _analyze(db_url)
            for reads in pages.values():
                for read in reads.values():
                    read()
            engine = migrated(db_url)
            downgrade(engine, BASELINE)
            _analyze(db_url)
            before = _timed(pages)
            upgrade(engine)
            _analyze(db_url)
            after = _timed(pages)
            dispose_all()
    finally:
        server.stop()
    shown = "; ".join(_page(name, before[name], after[name]) for name in pages)
    return (
        f"district scale on PostgreSQL: {STAFF} staff x {len(catalog.modules)} modules in {UNITS} units "
        f"({handed_in} hand-ins, set up in {setup:.0f} s), median of {ROUNDS}; {shown}"
    )
