"""The short player course ('prova-pa') on the demo film, copied from the checkout for a test or a benchmark."""

from __future__ import annotations

import shutil
from pathlib import Path

from resurskurs.catalog.load import load_catalog
from resurskurs.films.demo_clip import make_demo_clip

REPO = Path(__file__).resolve().parents[3]
"""The source checkout (tests, benchmarks and the demo film are not in the wheel)."""
PLAYER_FIXTURE = REPO / "tests" / "fixtures" / "player"


def player_content(root: Path) -> Path:
    """A content root with one short course ('prova-pa') on the demo film; the clip itself is not rendered."""
    shutil.copytree(PLAYER_FIXTURE / "courses", root / "courses")
    (root / "films").mkdir()
    for file in (REPO / "films").glob("demo.*"):
        shutil.copy(file, root / "films" / file.name)
    return root


def build_player_root(root: Path) -> Path:
    """A content root with one short course on the rendered demo clip."""
    make_demo_clip(load_catalog(player_content(root)).films["demo"])
    return root


FOLLOW_UP = """
follow_up_survey:
  likert:
  - id: prova-f1
    statement: Jag gör något annorlunda i mitt arbete efter modulen.
  open:
  - id: prova-g1
    question: Vad gör du annorlunda i dag?
"""
"""A 3-month follow-up for the player course, appended to its course.yaml where a spec needs one to be due."""
