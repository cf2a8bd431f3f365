"""The catalog ready in a fresh kernel process, against PyYAML's pure-Python load of the same YAML files.

Every kernel of the player loads the catalog before its page can be built (goal: ≤ 100 ms). Measured in
the same run: PyYAML's pure-Python safe load of the course and film files alone (the baseline, which the
catalog load used to exceed by validation and side files), a full load with validation on libyaml, and
what a kernel does: the catalog from the cache by content, timed inside a new Python process each round.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from benchmarks.timing import median_seconds
from resurskurs.catalog.cache import cached_catalog
from resurskurs.catalog.load import load_catalog
from resurskurs.paths import content_root

ROUNDS = 7
IN_A_KERNEL = (
    "import sys, time; from pathlib import Path; from resurskurs.catalog.cache import cached_catalog; "
    "started = time.perf_counter(); cached_catalog(Path(sys.argv[1]), Path(sys.argv[2])); "
    "print(time.perf_counter() - started)"
)
"""A kernel has imported the catalog code before it asks for the catalog; only the asking is timed."""


def pure_python_parse(files: list[Path]) -> None:
    for file in files:
        yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def ready_in_a_new_process(root: Path, folder: Path) -> float:
    completed = subprocess.run(
        [sys.executable, "-c", IN_A_KERNEL, str(root), str(folder)], check=True, capture_output=True, text=True
    )
    return float(completed.stdout)


def run(root: Path | None = None) -> str:
    root = root or content_root()
    files = sorted((root / "courses").glob("*/course.yaml")) + sorted((root / "films").glob("*.yaml"))
    baseline = median_seconds(lambda: pure_python_parse(files), ROUNDS)
    fresh = median_seconds(lambda: load_catalog(root), ROUNDS)
    with tempfile.TemporaryDirectory() as folder:
        cached_catalog(root, Path(folder))
        cached = statistics.median(ready_in_a_new_process(root, Path(folder)) for _ in range(ROUNDS))
    return (
        f"catalog ready in a kernel (cached by content, new process): {cached * 1000:.1f} ms (goal ≤ 100 ms); "
        f"full load with validation on libyaml {fresh * 1000:.1f} ms; PyYAML pure-Python parse alone of the "
        f"{len(files)} files {baseline * 1000:.1f} ms; ratios to it: cached {cached / baseline:.2f}x, "
        f"full load {fresh / baseline:.2f}x (median of {ROUNDS})"
    )
