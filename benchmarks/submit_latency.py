"""Submit → visible in the gradebook, through the grader service, against `nbgrader autograde` on the command line.

Both in the same run on the same machine, on the same short module. The service's figure is what a
learner waits for after pressing "Lämna in": queue, store, autograde and record, until the answer
comes back. Throughput: SUBMISSIONS requests queued at once, handled by one service.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from resurskurs.catalog.load import Module, load_catalog
from resurskurs.demo.district import demo_district
from resurskurs.testing.content import player_content
from resurskurs.testing.hand_ins import answers_for
from resurskurs.tracking import hand_in, handin_queue
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from resurskurs.tracking.submit import filled_notebook

SLUG = "prova-pa"
ROUNDS = 7
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "500"))


def _command_line(course_dir: CourseDir, module: Module, person: str) -> float:
    """Place a submission as nbgrader expects it, then time `nbgrader autograde` for that one student."""
    notebook = filled_notebook(module, course_dir.release(SLUG), answers_for(module, 3))
    target = course_dir.submitted(person, SLUG)
    target.mkdir(parents=True)
    nbformat.write(notebook, target / f"{SLUG}.ipynb")
    (target / "timestamp.txt").write_text(datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f %Z"), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", SLUG, "--student", person,
                    "--force", "--create", f"--CourseDirectory.root={course_dir.root}",
                    f"--CourseDirectory.db_url={course_dir.db_url}"], check=True, capture_output=True)
    return time.perf_counter() - started


def run() -> str:
    with tempfile.TemporaryDirectory() as temporary:
        tmp = Path(temporary)
        root = player_content(tmp / "content")
        catalog = load_catalog(root)
        module = catalog.module(SLUG)
        course_dir = CourseDir(tmp / "exercises", f"sqlite:///{tmp / 'gradebook.db'}")
        build(catalog, course_dir)
        template = demo_district(staff=1, units=1, seed=1)[0]
        names = [f"person{n}" for n in range(ROUNDS)] + [f"bulk{n}" for n in range(SUBMISSIONS)]
        import_people([replace(template, id=name) for name in names], course_dir)
        hand_in.RESULT_SECONDS = float("inf")
        cli = [_command_line(course_dir, module, f"cli{n}") for n in range(3)]

        env = {**os.environ, "RESURSKURS_ROOT": str(root), "RESURSKURS_EXERCISES": str(course_dir.root),
               "RESURSKURS_GRADEBOOK_URL": course_dir.db_url}
        service = subprocess.Popen([sys.executable, "-m", "resurskurs", "grader"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not handin_queue.service_alive(course_dir.queue, 5):
                time.sleep(0.1)
            latencies = []
            for n in range(ROUNDS):
                started = time.perf_counter()
                outcome = hand_in.send(course_dir, SLUG, f"person{n}", answers_for(module, n))
                latencies.append(time.perf_counter() - started)
                assert outcome.accepted
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=32) as pool:
                outcomes = pool.map(lambda n: hand_in.send(course_dir, SLUG, f"bulk{n}", answers_for(module, n)),
                                    range(SUBMISSIONS))
                results = [outcome.accepted for outcome in outcomes]
            bulk = time.perf_counter() - started
        finally:
            service.terminate()
            service.wait(timeout=30)
    median_cli, median_ours = statistics.median(cli), statistics.median(latencies)
    return (
        f"submit → in gradebook (median of {ROUNDS}): grader service {median_ours:.2f} s; "
        f"`nbgrader autograde` one student {median_cli:.2f} s; ratio {median_ours / median_cli:.2f}x\n"
        f"throughput: {sum(results)}/{SUBMISSIONS} submissions landed in {bulk:.0f} s "
        f"({bulk / SUBMISSIONS:.2f} s each, one service on {os.cpu_count()} cores)"
    )
