"""Grader throughput: hand-ins stored and autograded per second, warm kernel against nbgrader's fresh kernel.

Both in the same run on the same short module and gradebook: the baseline autogrades through
nbgrader's own API (a new kernel per submission, as `nbgrader autograde` does), the product path is
`submit` (privacy check, notebook, autograde on the warm kernel, evaluation rows, all or nothing).
BENCH_HAND_INS sets how many (500 by default; the baseline runs on BENCH_BASELINE of them and is
scaled, since it is the slow one). Goal: 500 hand-ins in ≤ 5 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from resurskurs.catalog.load import load_catalog
from resurskurs.testing.content import player_content
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.tracking.autograde import shut_down_kernels
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.submit import TIMESTAMP_FORMAT, filled_notebook, submit

HAND_INS = int(os.environ.get("BENCH_HAND_INS", "500"))
BASELINE = int(os.environ.get("BENCH_BASELINE", "20"))
GOAL_SECONDS = 300.0


def run() -> str:
    with tempfile.TemporaryDirectory() as temporary:
        tmp = Path(temporary)
        catalog = load_catalog(player_content(tmp / "content"))
        module = catalog.module(SLUG)
        course_dir = CourseDir(tmp / "exercises", f"sqlite:///{tmp / 'gradebook.db'}")
        build(catalog, course_dir)

        api = course_dir.api()
        started = time.perf_counter()
        for n in range(BASELINE):
            target = course_dir.submitted(f"fresh{n}", SLUG)
            target.mkdir(parents=True)
            notebook = filled_notebook(module, course_dir.release(SLUG), answers_for(module, n))
            (target / f"{SLUG}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
            (target / "timestamp.txt").write_text(datetime.now(UTC).strftime(TIMESTAMP_FORMAT), encoding="utf-8")
            assert api.autograde(SLUG, f"fresh{n}", force=True, create=True)["success"]
        fresh = (time.perf_counter() - started) / BASELINE

        started = time.perf_counter()
        try:
            for n in range(HAND_INS):
                assert submit(course_dir, module, f"warm{n}", answers_for(module, n)).accepted
        finally:
            shut_down_kernels()
        warm_total = time.perf_counter() - started
    warm = warm_total / HAND_INS
    return "\n".join(
        [
            f"grader throughput ({HAND_INS} hand-ins, baseline on {BASELINE}, same run, SQLite):",
            f"  nbgrader autograde, fresh kernel each: {fresh:.3f} s per hand-in -> 500 in {500 * fresh:.0f} s",
            f"  submit on the warm kernel:             {warm:.3f} s per hand-in -> {HAND_INS} in {warm_total:.0f} s"
            f" (500 in {500 * warm:.0f} s; goal <= {GOAL_SECONDS:.0f} s; {fresh / warm:.1f}x)",
        ]
    )


if __name__ == "__main__":
    print(run())
