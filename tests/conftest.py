"""Shared fixtures: a small valid content tree that tests copy and then break on purpose; the test lanes.

Every test gets its lane markers here, so `make test-fast` can leave out what needs a browser, LibreOffice,
PostgreSQL, a hub or more than a few seconds, while `make test` still runs everything.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from resurskurs.catalog.load import load_catalog
from resurskurs.testing.content import REPO as REPO

if TYPE_CHECKING:
    from resurskurs.server.voila_app import ResurskursVoila

# gradebook_url and postgres_server: SQLite or PostgreSQL gradebooks (RESURSKURS_TEST_DB);
# catalog and course_dir: the short player course built as nbgrader assignments;
# player_root, server, browser, page…: real player servers driven by Debian's Chromium.
pytest_plugins = ["tests.databases", "resurskurs.testing.hand_ins", "resurskurs.testing.browser"]

FIXTURE_TREE = Path(__file__).parent / "fixtures" / "tree"
TESTS = Path(__file__).parent
SLOW_LIST = TESTS / "slow.txt"
MARKING_FIXTURES = {"postgres_server": "postgresql", "converted": "libreoffice"}
"""A test that uses one of these fixtures, directly or through another, starts what the marker names."""


def pytest_configure(config: pytest.Config) -> None:
    """Per-person data of the tests in a folder of their own, never the checkout's var/: a developer's `make serve`
    leaves a demo district there (its releases would close the test modules to the test people)."""
    if "RESURSKURS_VAR" not in os.environ:
        os.environ["RESURSKURS_VAR"] = tempfile.mkdtemp(prefix="resurskurs-test-var-")


def slow_seconds() -> dict[str, float]:
    """Seconds per node id measured above ~2 s (tests/slow.txt: one per line, after its seconds; # starts a comment)."""
    lines = SLOW_LIST.read_text(encoding="utf-8").splitlines()
    rows = [line.split("#")[0].split() for line in lines]
    return {row[-1]: float(row[0]) for row in rows if row}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark browser tests by folder, PostgreSQL and LibreOffice tests by fixture, slow ones by the timing list;
    then put the files with the most measured seconds first, so `make test`'s two workers (xdist, one file
    per worker at a time, `--no-loadscope-reorder`) never end on a long file started last."""
    slow = slow_seconds()
    weight: dict[Path, float] = {}
    for item in items:
        if (TESTS / "browser") in item.path.parents:
            item.add_marker(pytest.mark.browser)
        for fixture in set(getattr(item, "fixturenames", ())) & MARKING_FIXTURES.keys():
            item.add_marker(MARKING_FIXTURES[fixture])
        seconds = slow.get(item.nodeid.split("[")[0], slow.get(item.nodeid))
        if seconds is not None:
            item.add_marker(pytest.mark.slow)
        weight[item.path] = weight.get(item.path, 0.0) + (seconds or 0.0)
    items.sort(key=lambda item: -weight[item.path])


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


@pytest.fixture
def voila_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ResurskursVoila:
    """The server's Voilà, configured as `resurskurs serve` configures it with var/ in `tmp_path`: initialized, not
    yet set up (`init_settings`) and never listening. Imported here, not at collection: only its specs pay for it."""
    from resurskurs.server.launch import environment, voila_config
    from resurskurs.server.voila_app import ResurskursVoila

    monkeypatch.setenv("RESURSKURS_VAR", str(tmp_path / "var"))
    for name, value in environment().items():
        monkeypatch.setenv(name, value)
    app = ResurskursVoila(config=voila_config(0, 0))
    app.initialize(argv=[])
    return app


def problems_in(root: Path) -> list[str]:
    return [problem.describe(root) for problem in load_catalog(root).problems]
