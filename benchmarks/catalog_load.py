"""Loading and validating the whole catalog, against just parsing the same YAML files.

Every kernel of the player loads the catalog, so its cost is part of a page's start-up.
The baseline is PyYAML's parse of the same course and film files, measured in the same run.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from benchmarks.timing import median_seconds
from resurskurs.catalog.load import load_catalog
from resurskurs.paths import content_root

ROUNDS = 7



def run(root: Path | None = None) -> str:
    root = root or content_root()
    files = sorted((root / "courses").glob("*/course.yaml")) + sorted((root / "films").glob("*.yaml"))
    baseline = median_seconds(lambda: [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files], ROUNDS)
    measured = median_seconds(lambda: load_catalog(root), ROUNDS)
    return (
        f"catalog load: {measured * 1000:.1f} ms for {len(files)} files (median of {ROUNDS}); "
        f"yaml.safe_load alone {baseline * 1000:.1f} ms; ratio {measured / baseline:.2f}x"
    )
