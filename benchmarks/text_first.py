"""Issue 25: how soon a module's text is readable, against when it became readable through the widgets.

Both are measured in the same page loads (Chromium, a warm pool, a person's own context each round): a
MutationObserver, installed before the page's own scripts, stamps when the module's title is first in a
visible element of the preview (`#rk-preview h1`) and when it is first in the rendered widget page
(`.rk-page h1`), the way the page was read before the preview existed. The first contentful paint (Performance
API) comes with the preview's stamp: the text is readable once it is both in the document and painted.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.serving import district
from resurskurs.district.roster import Role
from resurskurs.testing.content import build_player_root
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS, PlayerServer

ROUNDS = 7
STAMPS = """
window.rkRead = {};
new MutationObserver((changes, observer) => {
  for (const [name, selector] of [["text", "#rk-preview h1"], ["widgets", ".rk-page h1"]]) {
    const title = document.querySelector(selector);
    if (!(name in window.rkRead) && title && title.textContent.trim() && title.getClientRects().length) {
      window.rkRead[name] = performance.now();
    }
  }
  if ("widgets" in window.rkRead) observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""
"""Milliseconds from the navigation's start to the title in the preview, and to the title in the widget page."""
PAINTED = "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"


def run() -> str:
    with tempfile.TemporaryDirectory() as temporary:
        tmp = Path(temporary)
        root = build_player_root(tmp / "root")
        staff = [person for person in district(tmp / "var", staff=ROUNDS + 1, seed=25) if person.role is Role.STAFF]
        server = PlayerServer(root, tmp / "var", pool_size=2).start()
        text, widgets = [], []
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for person in staff[:ROUNDS]:
                    while len(server.kernels()) < server.pool_size:
                        time.sleep(0.1)
                    context = browser.new_context(viewport={"width": 1024, "height": 900})
                    context.add_cookies([{"name": "resurskurs_person", "value": person.id, "url": server.url}])
                    page = context.new_page()
                    page.add_init_script(STAMPS)
                    page.goto(server.url + "?kurs=prova-pa", wait_until="commit")
                    page.wait_for_function("window.rkRead && 'widgets' in window.rkRead", timeout=120_000)
                    stamps = page.evaluate("window.rkRead")
                    painted = page.evaluate(PAINTED)
                    if "text" not in stamps or painted is None:
                        raise RuntimeError("the module's text was not in the page before its widgets")
                    text.append(max(float(stamps["text"]), float(painted)) / 1000)
                    widgets.append(float(stamps["widgets"]) / 1000)
                    page.close(run_before_unload=True)
                    context.close()
                browser.close()
        finally:
            server.stop()
    before, after = statistics.median(widgets), statistics.median(text)
    return (
        f"module text readable (first contentful paint with course text, median of {ROUNDS}): through the widgets "
        f"{before:.2f} s (baseline), in the first response {after:.2f} s; {before / after:.1f}x sooner"
    )
