"""Every module's narrated stand-in in a real player: labelled, playing, and stopping at the first reflection stop.

The stand-ins are made once into pytest's cache folder and remade only when their inputs change,
so a second run of this file costs only the browser's time.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from resurskurs.catalog.load import Module, load_catalog
from resurskurs.district.roster import Person
from resurskurs.films.stamp import NOTICE
from resurskurs.films.stand_in import make_stand_ins
from resurskurs.learners.store import AnswerStore
from resurskurs.schema import ReflectionStop
from resurskurs.testing.browser import Guard, open_context, open_page, serious_violations
from resurskurs.testing.server import PlayerServer
from tests.conftest import REPO

LEAD_SECONDS = 3.0


@pytest.fixture(scope="session")
def stand_in_root(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's courses and films with every module's stand-in, kept in pytest's cache between runs.

    The cache is shared by every session and xdist worker on this checkout, so it is brought up to date under
    a lock and then copied: a rebuild by another session never changes files under this session's server.
    """
    cache = Path(request.config.cache.mkdir("stand-in-root"))
    with (cache.parent / "stand-in-root.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(cache / "courses", ignore_errors=True)
        shutil.copytree(REPO / "courses", cache / "courses")
        (cache / "films").mkdir(exist_ok=True)
        for file in (cache / "films").glob("*.*"):
            file.unlink()
        for file in (REPO / "films").glob("*.*"):
            shutil.copy(file, cache / "films" / file.name)
        catalog = load_catalog(cache)
        assert catalog.problems == []
        make_stand_ins([module.film for module in catalog.modules], print)
        root = tmp_path_factory.mktemp("stand-in-root")
        shutil.copytree(cache, root, dirs_exist_ok=True)
    return root


def first_stop(module: Module) -> tuple[ReflectionStop, float]:
    spans = {chapter.id: chapter for chapter in module.film.manifest.chapters}
    stops = [
        (stop, stop.at if stop.at is not None else spans[chapter.film_chapter].end)
        for chapter in module.course.preparation.chapters
        for stop in chapter.stops
    ]
    return min(stops, key=lambda pair: pair[1])


class DescribeTheStandIns:
    def it_gives_every_module_media(self, stand_in_root: Path) -> None:
        listed = subprocess.run([sys.executable, "-m", "resurskurs", "list", "--json", str(stand_in_root)],
                                capture_output=True, text=True, check=True, timeout=120)
        rows = json.loads(listed.stdout)
        folders = sorted(course.name for course in (stand_in_root / "courses").iterdir())
        assert sorted(row["slug"] for row in rows) == folders
        assert [row["slug"] for row in rows if not row["has_media"]] == []

    def it_plays_each_modules_film_to_its_first_stop(
        self, browser: Browser, stand_in_root: Path, tmp_path: Path, people: list[Person], learner: Person,
        guard: Guard
    ) -> None:
        modules = load_catalog(stand_in_root).modules
        store = AnswerStore(tmp_path / "var", learner.id)
        stops = {}
        for module in modules:
            stop, at = first_stop(module)
            stops[module.course.slug] = (stop, at)
            lead = at - LEAD_SECONDS
            store.save(module.course.slug, ("film",), {"position": lead, "watched": [[0.0, lead]]}, module.course)
        running = PlayerServer(stand_in_root, tmp_path / "var").start()
        try:
            context = open_context(browser, running, learner, guard)
            page = context.new_page()
            for slug, (stop, at) in stops.items():
                open_page(page, f"{running.url}?kurs={slug}")
                expect(page.locator(".rk-standin")).to_have_text(NOTICE)
                page.wait_for_function("document.querySelector('.rk-player video').currentTime > 0")
                page.get_by_label("Hastighet").select_option("1.5")
                page.evaluate("document.querySelector('.rk-player video').play()")
                overlay = page.locator(".rk-stop")
                expect(overlay).to_be_visible(timeout=20_000)
                expected = stop.prompt or "Ett tyst stopp: tänk efter i lugn och ro."
                expect(overlay.locator(".rk-prompt")).to_have_text(expected)
                when = float(page.evaluate("document.querySelector('.rk-player video').currentTime"))
                assert at - 0.1 <= when <= at + 1.5, f"{slug}: stopped at {when} s, the stop is at {at} s"
                assert page.evaluate("document.querySelector('.rk-player video').paused"), slug
            assert serious_violations(page) == []
            context.close()
        finally:
            running.stop()


class DescribeTheSmallVersion:
    def it_plays_the_small_version_where_the_browser_reports_a_weak_connection(
        self, browser: Browser, player_root: Path, tmp_path: Path, people: list[Person], learner: Person,
        guard: Guard
    ) -> None:
        root = tmp_path / "root"
        shutil.copytree(player_root, root)
        media = root / "films" / "media"
        os.link(media / "demo.webm", media / "demo.small.webm")
        manifest = root / "films" / "demo.yaml"
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.replace("source: media/demo.webm\n",
                                         "source: media/demo.webm\nsmall: media/demo.small.webm\n"), "utf-8")
        assert load_catalog(root).problems == []
        running = PlayerServer(root, tmp_path / "var").start()
        try:
            for downlink, played in ((0.5, "demo.small.webm"), (20, "demo.webm")):
                context = open_context(browser, running, learner, guard)
                connection = json.dumps({"downlink": downlink, "saveData": False})
                context.add_init_script(f"Object.defineProperty(navigator, 'connection', {{value: {connection}}})")
                page = open_page(context.new_page(), running.url + "?kurs=prova-pa")
                src = page.evaluate("document.querySelector('.rk-player video').src")
                assert src.endswith(f"/resurskurs/films/media/{played}"), (downlink, src)
                page.evaluate("document.querySelector('.rk-player video').play()")
                page.wait_for_function("document.querySelector('.rk-player video').currentTime > 0.5")
                context.close()
        finally:
            running.stop()
