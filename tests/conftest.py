"""Shared fixtures: a small valid content tree that tests copy and then break on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from resurskurs.catalog.load import load_catalog

# gradebook_url and postgres_server: SQLite or PostgreSQL gradebooks (RESURSKURS_TEST_DB);
# catalog and course_dir: the short player course built as nbgrader assignments.
pytest_plugins = ["tests.databases", "tests.hand_ins"]

FIXTURE_TREE = Path(__file__).parent / "fixtures" / "tree"
REPO = Path(__file__).resolve().parents[1]
PLAYER_FIXTURE = Path(__file__).parent / "fixtures" / "player"


def player_content(root: Path) -> Path:
    """A content root with one short course ('prova-pa') on the demo film; the clip itself is not rendered."""
    shutil.copytree(PLAYER_FIXTURE / "courses", root / "courses")
    (root / "films").mkdir()
    for file in (REPO / "films").glob("demo.*"):
        shutil.copy(file, root / "films" / file.name)
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the minimal valid content tree (one course, one film)."""
    root = tmp_path / "tree"
    shutil.copytree(FIXTURE_TREE, root)
    return root


Edit = Callable[[str, str | None, str], None]


@pytest.fixture
def edit(tree: Path) -> Edit:
    """Replace exactly one occurrence of `old` with `new` in a file of the tree (None: the whole file)."""

    def apply(relative: str, old: str | None, new: str) -> None:
        file = tree / relative
        text = file.read_text(encoding="utf-8")
        if old is None:
            text = new
        else:
            assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
            text = text.replace(old, new)
        file.write_text(text, encoding="utf-8")

    return apply


def problems_in(root: Path) -> list[str]:
    return [problem.describe(root) for problem in load_catalog(root).problems]
