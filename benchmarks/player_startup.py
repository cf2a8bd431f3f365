"""How soon a course page is usable, and what an open learner session costs in memory.

Baselines measured in the same run on the same machine:
* time: plain `voila` (stock lab template, no preheating) on a reference notebook that builds
  the very same course page, against this app's set-up (`resurskurs serve`); and Voilà's floor:
  plain `voila` with a preheated pool on a notebook of one button, the least any Voilà page takes;
* memory: a bare IPython kernel started by jupyter_client.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # no annotations
from jupyter_client.manager import KernelManager
from playwright.sync_api import Browser, sync_playwright

from benchmarks.serving import district
from resurskurs.district.roster import Role
from resurskurs.testing.content import build_player_root
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS, PlayerServer, free_port

ROUNDS = 5
SESSIONS = 5
FIRST_WIDGET = ".rk-page .rk-question button"
"""Usable as the load specifications define it (resurskurs.testing.server.USABLE_STAMP): a course widget on the page."""
FLOOR_WIDGET = ".rk-floor"


def _notebook(file: Path, source: str) -> Path:
    """A one-cell notebook at `file`."""
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": file.stem,
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    notebook = {
        "cells": [cell],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    file.write_text(json.dumps(notebook), encoding="utf-8")
    return file


def _reference_notebook(folder: Path, person_id: str) -> Path:
    """The very course page this app serves, built by a notebook of its own."""
    return _notebook(
        folder / "reference.ipynb",
        "import os\n"
        "from resurskurs.server.pages import page_for\n"
        f"page_for('kurs=prova-pa', {{**os.environ, 'HTTP_X_RESURSKURS_PERSON': '{person_id}'}})",
    )


def _floor_notebook(folder: Path) -> Path:
    """One button and nothing else: what Voilà's own front-end costs before any page of ours."""
    return _notebook(
        folder / "floor.ipynb", "import ipywidgets as w\nw.Button(description='Klar', _dom_classes=['rk-floor'])"
    )


def _plain_voila(notebook: Path, env: dict[str, str], log: Path, *options: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    with log.open("wb") as out:
        command = [str(voila), str(notebook), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}", *options]
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while "running at" not in log.read_text(errors="replace"):
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(log.read_text())
        time.sleep(0.2)
    return process, f"http://127.0.0.1:{port}/"


def _time_to_first_widget(
    browser: Browser, url: str, person_id: str, settle: object = None, widget: str = FIRST_WIDGET
) -> list[float]:
    timings = []
    for _ in range(ROUNDS):
        if callable(settle):
            settle()
        context = browser.new_context()
        context.add_cookies([{"name": "resurskurs_person", "value": person_id, "url": url}])
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.locator(widget).first.wait_for(state="attached", timeout=120_000)
        timings.append(time.perf_counter() - started)
        page.close(run_before_unload=True)
        context.close()
    return timings


def _bare_kernel_rss() -> float:
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    try:
        client = manager.client()
        client.wait_for_ready(timeout=60)
        pid = manager.provisioner.pid  # type: ignore[union-attr]
        return float(psutil.Process(pid).memory_info().rss)
    finally:
        manager.shutdown_kernel(now=True)


def run() -> str:
    with tempfile.TemporaryDirectory() as temporary:
        tmp = Path(temporary)
        root = build_player_root(tmp / "root")
        var = tmp / "var"
        staff = [person for person in district(var, staff=SESSIONS + 1, seed=9) if person.role is Role.STAFF]
        env = {
            **os.environ,
            "RESURSKURS_ROOT": str(root),
            "RESURSKURS_VAR": str(var),
            "RESURSKURS_EXERCISES": str(var / "exercises"),
            "RESURSKURS_DEMO": "1",
        }
        reference, reference_url = _plain_voila(_reference_notebook(tmp, staff[0].id), env, tmp / "voila.log")
        floor, floor_url = _plain_voila(
            _floor_notebook(tmp), env, tmp / "floor.log", "--preheat_kernel=True", "--pool_size=2"
        )
        server = PlayerServer(root, tmp / "var", pool_size=2).start()
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                plain = _time_to_first_widget(browser, reference_url, staff[0].id)
                least = _time_to_first_widget(browser, floor_url, staff[0].id, lambda: time.sleep(3), FLOOR_WIDGET)

                def pool_ready() -> None:
                    while len(server.kernels()) < server.pool_size:
                        time.sleep(0.1)

                ours = _time_to_first_widget(browser, server.url + "?kurs=prova-pa", staff[0].id, pool_ready)
                pages = []
                for person in staff[:SESSIONS]:
                    pool_ready()
                    context = browser.new_context()
                    context.add_cookies([{"name": "resurskurs_person", "value": person.id, "url": server.url}])
                    page = context.new_page()
                    page.goto(server.url + "?kurs=prova-pa")
                    page.locator(FIRST_WIDGET).first.wait_for(state="attached", timeout=120_000)
                    pages.append(page)
                pool_ready()
                kernels = sorted(server.kernels(), key=lambda process: process.create_time())[:SESSIONS]
                per_session = statistics.mean(kernel.memory_info().rss for kernel in kernels)
                browser.close()
        finally:
            server.stop()
            for voila in (reference, floor):
                voila.terminate()
                voila.wait(timeout=15)
        bare = _bare_kernel_rss()
    plain_median, ours_median = statistics.median(plain), statistics.median(ours)
    floor_median = statistics.median(least)
    return (
        f"first usable widget (median of {ROUNDS}): plain voila {plain_median:.2f} s, resurskurs "
        f"{ours_median:.2f} s; ratio {ours_median / plain_median:.2f}x; Voilà's floor (preheated, one button) "
        f"{floor_median:.2f} s, resurskurs to it {ours_median / floor_median:.2f}x\n"
        f"memory per open learner session: {per_session / 2**20:.0f} MB kernel RSS (mean of {SESSIONS}); "
        f"bare kernel {bare / 2**20:.0f} MB; ratio {per_session / bare:.2f}x"
    )
