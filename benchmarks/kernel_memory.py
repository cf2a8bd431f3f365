"""Memory per open learner page, and idle culling bringing the live kernels back to the pool size.

Every open course page holds one kernel. Its cost is measured three ways with psutil: RSS (counts the
shared libraries in full), PSS (shares them out among the processes using them: what a machine's memory
really pays per kernel) and USS (memory only this kernel holds), for kernels forked from the warm parent (whose
own PSS is the server's, paid once) against launched ones (`RESURSKURS_KERNELS=launched`), and a bare IPython
kernel started by jupyter_client, all in the same run. Then the pages' tabs close without saying goodbye (a phone
locked, wifi lost): the kernels must be culled after the idle time, back to the preheated pool.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # no annotations
from jupyter_client.manager import KernelManager
from playwright.sync_api import Playwright, sync_playwright

from benchmarks.serving import COURSE, district, person_context, wait_pool_refilled, wait_preheated
from resurskurs.district.roster import Role
from resurskurs.paths import content_root
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS, PlayerServer

PAGES = 4
CULL_SECONDS = 20
GOAL_MB = 30


def _megabytes(process: psutil.Process) -> tuple[float, float, float]:
    """RSS, PSS and USS in MB."""
    full = process.memory_full_info()
    return full.rss / 2**20, full.pss / 2**20, full.uss / 2**20


def _bare_kernel() -> tuple[float, float, float]:
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    try:
        manager.client().wait_for_ready(timeout=60)
        return _megabytes(psutil.Process(manager.provisioner.pid))  # type: ignore[union-attr]
    finally:
        manager.shutdown_kernel(now=True)


def _open_pages(driver: Playwright, kernels: str) -> tuple[list[tuple[float, float, float]], float, int, float, int]:
    """Per kernel of an open page (RSS, PSS, USS), the warm parent's PSS (0 when launched), and the live kernels
    and seconds after the pages' tabs closed without goodbye."""
    with tempfile.TemporaryDirectory() as temporary:
        var = Path(temporary) / "var"
        staff = [person.id for person in district(var, staff=PAGES, seed=41) if person.role is Role.STAFF]
        server = PlayerServer(content_root(), var, cull_after=CULL_SECONDS, kernel_start=kernels).start()
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            wait_preheated(server)
            contexts = []
            for person in staff[:PAGES]:
                context = person_context(browser, server.url, person)
                page = context.new_page()
                page.goto(server.url + COURSE)
                page.locator(".rk-page .rk-question button").first.wait_for(timeout=120_000)
                contexts.append(context)
                wait_pool_refilled(server, len(contexts))
            time.sleep(2)
            serving = sorted(  # the oldest serve pages; the newest wait in the pool
                server.kernels(), key=lambda kernel: kernel.create_time()
            )[:PAGES]
            figures = [_megabytes(kernel) for kernel in serving]
            parent = sum(_megabytes(process)[1] for process in _warm_parents(server))
            for context in contexts:
                context.close()
            closed = time.monotonic()
            while len(server.kernels()) > server.pool_size and time.monotonic() - closed < 6 * CULL_SECONDS:
                time.sleep(0.5)
            return figures, parent, len(server.kernels()), time.monotonic() - closed, server.pool_size
        finally:
            browser.close()
            server.stop()


def _warm_parents(server: PlayerServer) -> list[psutil.Process]:
    assert server.process is not None
    children = psutil.Process(server.process.pid).children(recursive=True)
    return [child for child in children if "resurskurs.server.warm_parent" in " ".join(child.cmdline())]


def _means(figures: list[tuple[float, float, float]]) -> tuple[float, ...]:
    return tuple(statistics.mean(figure[index] for figure in figures) for index in range(3))


def run() -> str:
    with sync_playwright() as driver:
        launched, _, _, _, _ = _open_pages(driver, "launched")
        forked, parent, live, culled_after, pool = _open_pages(driver, "forked")
    bare = _bare_kernel()
    rss, pss, uss = _means(forked)
    launched_rss, launched_pss, launched_uss = _means(launched)
    return (
        f"memory per open learner page (mean of {PAGES} kernels): forked PSS {pss:.0f} MB (goal ≤ {GOAL_MB} MB), "
        f"USS {uss:.0f} MB, RSS {rss:.0f} MB, plus the server's one warm parent PSS {parent:.0f} MB; launched PSS "
        f"{launched_pss:.0f} MB, USS {launched_uss:.0f} MB, RSS {launched_rss:.0f} MB; "
        f"ratio PSS {pss / launched_pss:.2f}x; bare kernel PSS {bare[1]:.0f} MB, USS {bare[2]:.0f} MB\n"
        f"idle culling ({CULL_SECONDS} s): live kernels {live} (pool {pool}) "
        f"{culled_after:.0f} s after {PAGES} tabs closed without goodbye"
    )
