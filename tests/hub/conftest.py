"""A real JupyterHub from deploy/jupyterhub_config.py, started once per test module.

The harness is resurskurs.testing.hub (the hub benchmark starts it too); here it runs on the PostgreSQL server
the test session starts (tests/databases.py), and a process left running after the hub stopped fails the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, Playwright

from resurskurs.testing.hub import Hub, start_hub, stop_hub
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS
from tests.databases import DatabaseServer

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "jupyterhub_config.py"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, postgres_server: DatabaseServer) -> Iterator[Hub]:
    started = start_hub(tmp_path_factory.mktemp("hub"), postgres_server, CONFIG)
    try:
        yield started
    finally:
        left = stop_hub(started)
        print(f"\nhub started in {started.started_in:.1f} s, stopped in {started.stopped_in:.1f} s")
        assert left == [], f"processes left running after the hub stopped: {left}"
        log = started.log.read_text(errors="replace")
        assert "the grader service stopped" in log and "KeyboardInterrupt" not in log, "the service stopped uncleanly"


def _is_chromium(process: psutil.Process) -> bool:
    """A Chromium process, not a user server or kernel the hub happened to start in the same moment. One that
    has already exited and not yet been reaped has no command line left (CI saw it) and is not counted."""
    try:
        command = process.cmdline()
    except psutil.Error:
        return False
    return bool(command) and Path(command[0]).name == Path(CHROMIUM).name


@pytest.fixture(scope="module")
def hub_browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium for this module alone, on the session's Playwright driver (one sync driver per
    process); its processes are checked gone by PID."""
    before = {child.pid for child in psutil.Process().children(recursive=True)}
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    started = [c for c in psutil.Process().children(recursive=True) if c.pid not in before and _is_chromium(c)]
    try:
        yield chromium
    finally:
        chromium.close()
    _, alive = psutil.wait_procs(started, timeout=10)
    for process in alive:
        process.kill()
    assert alive == [], f"browser processes left running: {[p.pid for p in alive]}"
