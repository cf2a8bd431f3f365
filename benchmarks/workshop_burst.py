"""A room opening the same course at once: time to a usable page, and the memory the server then holds.

For 1, 10 and 30 people (separate browser contexts, each their own person) against a fresh `resurskurs serve`
with the default pool, and 30 again with launched kernels (`RESURSKURS_KERNELS=launched`): every navigation
starts at once; each page stamps when its first course widget appeared. Once all are usable and the pool has
refilled, the memory (PSS: shared libraries shared out, so the sum is what the machine pays) of the Voilà
server, the grader, the warm parent and every kernel is summed: what that many simultaneous learners need.
The baselines, taken in the same run, are one person alone and the thirty with launched kernels. The server's
own CPU time for the room (Voilà, grader, every kernel, the pool's refill included) is reported beside it:
here the browsers share the two cores with the server, while in a workshop each person's phone does its own
part.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # no annotations
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.serving import room_line, room_on_a_fresh_server, server_cpu
from resurskurs.district.roster import Person
from resurskurs.testing.content import build_player_root
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS, PlayerServer, open_at_once

ROOMS = (("forked", 1), ("forked", 10), ("forked", 30), ("launched", 30))
"""Room sizes with forked kernels (the served default); the baseline is the largest room with launched kernels."""
GOAL_SECONDS = 20
DEADLINE_SECONDS = 180
COURSE = "?kurs=prova-pa"


def _open_room(browser: Browser, server: PlayerServer, people: list[Person]) -> list[float]:
    """Seconds to a usable page for each person; a page not usable by the deadline counts as stuck."""
    contexts = []
    for person in people:
        context = browser.new_context()
        context.add_cookies([{"name": "resurskurs_person", "value": person.id, "url": server.url}])
        contexts.append(context)
    pages = open_at_once(contexts, server.url + COURSE)
    deadline = time.monotonic() + DEADLINE_SECONDS
    seconds = []
    for page in pages:
        remaining_ms = (deadline - time.monotonic()) * 1000
        try:  # past the deadline a page is only looked at: one that is usable by then counts as usable
            if remaining_ms > 0:
                page.wait_for_function("window.rkUsableAfter !== undefined", timeout=remaining_ms)
        except PlaywrightTimeout:
            pass
        stamp = page.evaluate("window.rkUsableAfter")
        seconds.append(float("inf") if stamp is None else float(stamp) / 1000)
    return seconds


def _memory(server: PlayerServer, room: int) -> tuple[float, float]:
    """PSS in MB of the whole server (Voilà, grader, kernels) and of its kernels, once the pool has refilled."""
    deadline = time.monotonic() + 120
    while len(server.kernels()) < room + server.pool_size and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)
    assert server.process is not None
    parent = psutil.Process(server.process.pid)
    kernels = {kernel.pid for kernel in server.kernels()}
    total = kernel_total = 0
    for process in [parent, *parent.children(recursive=True)]:
        try:
            pss = process.memory_full_info().pss
        except psutil.Error:
            continue
        total += pss
        kernel_total += pss if process.pid in kernels else 0
    return total / 2**20, kernel_total / 2**20


def run() -> str:
    lines = []
    with tempfile.TemporaryDirectory() as temporary, sync_playwright() as driver:
        tmp = Path(temporary)
        root = build_player_root(tmp / "root")
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        slowest: dict[str, float] = {}
        for kernels, room in ROOMS:
            with room_on_a_fresh_server(root, tmp / f"var-{kernels}-{room}", kernels, room) as (server, staff):
                cpu_before = server_cpu(server)
                seconds = _open_room(browser, server, staff)
                total, kernel_memory = _memory(server, room)
                room_cpu = server_cpu(server) - cpu_before
            goal = f" (goal ≤ {GOAL_SECONDS} s)" if (kernels, room) == ROOMS[2] else ""
            memory = (
                f"memory (PSS) {total:.0f} MB (kernels {kernel_memory:.0f} MB, {room} open + "
                f"{server.pool_size} pooled); "
            )
            slowest[kernels], line = room_line(kernels, room, seconds, room_cpu, goal, memory)
            lines.append(line)
        lines.append(f"30 at once, slowest forked / launched: {slowest['forked'] / slowest['launched']:.2f}x")
        browser.close()
    return "workshop burst (pool 2):\n  " + "\n  ".join(lines)
