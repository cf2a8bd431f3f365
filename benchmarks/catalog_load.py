"""Loading and validating the whole catalog, against just parsing the same YAML files.

Every kernel of the player loads the catalog, so its cost is part of a page's start-up.
The baseline is PyYAML's parse of the same course and film files, measured in the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from resurskurs.catalog.load import load_catalog
from resurskurs.paths import content_root

ROUNDS = 7


def _median_seconds(action: Callable[[], object]) -> float:
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def run(root: Path | None = None) -> str:
    root = root or content_root()
    files = sorted((root / "courses").glob("*/course.yaml")) + sorted((root / "films").glob("*.yaml"))
    baseline = _median_seconds(lambda: [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files])
    measured = _median_seconds(lambda: load_catalog(root))
    return (
        f"catalog load: {measured * 1000:.1f} ms for {len(files)} files (median of {ROUNDS}); "
        f"yaml.safe_load alone {baseline * 1000:.1f} ms; ratio {measured / baseline:.2f}x"
    )
