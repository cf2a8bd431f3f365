"""A hub node's capacity: what one person's server costs, and fifty people logging in to open a course at once.

A real JupyterHub from deploy/jupyterhub_config.py (resurskurs.testing.hub: DummyAuthenticator, the simple
local spawner) on a throwaway PostgreSQL, driven by Chromium: a room logs in through the hub's form and opens
the module at once, each person on their own server; every page must get a course widget. Then each user
server is measured with everything it started (the page's kernel, a warm parent): PSS, what the node pays per
active person. Fifty people with the served kernels (launched: a user server serves one person), against ten
whose servers fork their kernels from a warm parent of their own, in the same run (`RESURSKURS_KERNELS`, which
the district's config hands to the servers).
"""

from __future__ import annotations

import statistics
import tempfile
from collections import Counter
from pathlib import Path

import psutil
from playwright.sync_api import Browser, sync_playwright

from resurskurs.testing.hand_ins import SLUG
from resurskurs.testing.hub import LEARNERS, open_room, server_memory, start_hub, stop_hub
from resurskurs.testing.postgres import DatabaseServer, LocalPostgres, postgresql_bin
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS

CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub_config.py"
ROOMS = (("forked", 10), ("launched", 50))
SECONDS = 600
GOAL_MIB = 120


def _showing(stuck: list[str]) -> str:
    """What the stuck pages show, so a run says where they stopped (the spawn page, Voilà's loading, an error)."""
    if not stuck:
        return ""
    return " (" + " / ".join(" ".join(text.split())[:80] for text in stuck) + ")"


def _held(server: psutil.Process) -> str:
    """What a user server holds besides itself: its kernels and a warm parent, so an outlier explains itself."""
    kinds = Counter(
        "a warm parent" if "warm_parent" in " ".join(child.cmdline()) else "a kernel"
        for child in server.children(recursive=True)
    )
    held = [f"{count} × {kind}" if count > 1 else kind for kind, count in sorted(kinds.items())]
    return " and ".join(held) or "nothing"


def _room(browser: Browser, postgres: DatabaseServer, tmp: Path, kernels: str, size: int) -> str:
    hub = start_hub(tmp, postgres, CONFIG, {"RESURSKURS_KERNELS": kernels})
    try:
        room = open_room(hub, browser, LEARNERS[:size], SLUG, SECONDS)
        stuck = room.stuck()
        servers = [(server_memory(server)[0], _held(server)) for server in hub.user_servers().values()]
        room.close()
    finally:
        stop_hub(hub)
    usable = sorted(room.usable.values())
    memory = [pss for pss, _ in servers]
    largest, held = max(servers)
    kinds = Counter(held for _, held in servers)
    usual = kinds.most_common(1)[0][0]
    largest_usual = max(pss for pss, what in servers if what == usual)
    return (
        f"{size} through the hub at once, {kernels} kernels: slowest usable page {usable[-1]:.1f} s, median "
        f"{statistics.median(usable):.1f} s, stuck {len(stuck)}{_showing(stuck)}; a user server with what it started: "
        f"PSS median {statistics.median(memory):.0f} MiB, largest {largest:.0f} MiB ({held}), largest holding "
        f"{usual} {largest_usual:.0f} MiB (goal ≤ {GOAL_MIB} MiB); "
        + ", ".join(f"{count} holding {what}" for what, count in kinds.most_common())
    )


def run() -> str:
    lines = []
    with tempfile.TemporaryDirectory() as temporary, sync_playwright() as driver:
        postgres = LocalPostgres(postgresql_bin())
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            databases = postgres.start()
            for kernels, size in ROOMS:
                (Path(temporary) / kernels).mkdir()
                lines.append(_room(browser, databases, Path(temporary) / kernels, kernels, size))
        finally:
            browser.close()
            postgres.stop()
    return "hub capacity:\n  " + "\n  ".join(lines)
