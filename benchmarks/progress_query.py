"""The principal's view data for a district of 2,000 staff × 8 modules in 60 units, against a per-student loop.

The district is written through nbgrader's own tables (`bulk_plans`) into a fresh SQLite gradebook.
The baseline is what one would write first: for each person in the unit, ask NbGraderAPI for their
submissions. Both are measured in the same run on the same gradebook, after nbgrader is imported
(our query never needs it; the import alone takes seconds).
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.timing import median_seconds
from resurskurs.catalog.load import load_catalog
from resurskurs.core.tally import module_figures
from resurskurs.demo.district import demo_district
from resurskurs.demo.plans import bulk_plans, plan_progress
from resurskurs.district.roster import Role
from resurskurs.gradebook.progress import progress_rows
from resurskurs.paths import content_root
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people

STAFF, UNITS, ROUNDS = 2000, 60, 5


def run() -> str:
    catalog = load_catalog(content_root())
    titles = {module.course.slug: module.course.title for module in catalog.modules}
    people = demo_district(staff=STAFF, units=UNITS, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        course_dir = CourseDir(Path(folder) / "exercises", f"sqlite:///{Path(folder) / 'gradebook.db'}")
        started = time.perf_counter()
        import_people(people, course_dir)
        build(catalog, course_dir)
        handed_in = bulk_plans(plan_progress(people, catalog, 1, datetime.now(UTC)), catalog, course_dir)
        setup = time.perf_counter() - started
        unit = people[0].unit
        staff = [p.id for p in people if p.unit == unit and p.role is Role.STAFF]

        def unit_view() -> object:
            rows = progress_rows(course_dir.db_url, list(titles), [unit])
            return module_figures(rows, titles, lambda row: row.unit)

        ours = median_seconds(unit_view, ROUNDS)
        district = median_seconds(lambda: progress_rows(course_dir.db_url, list(titles)), ROUNDS)
        api = course_dir.api()
        loop = median_seconds(lambda: [api.get_student_submissions(person) for person in staff], 1)
    return (
        f"progress query: {STAFF} staff x {len(titles)} modules in {UNITS} units ({handed_in} hand-ins, "
        f"set up in {setup:.0f} s); one unit of {len(staff)}: {ours * 1000:.1f} ms, whole district "
        f"{district * 1000:.0f} ms; per-student NbGraderAPI loop for the unit {loop:.1f} s; "
        f"ratio {loop / ours:.0f}x faster"
    )
