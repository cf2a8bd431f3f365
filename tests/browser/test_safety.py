"""What the server does when people and parts misbehave: a grader that dies mid-hand-in, a crashed tab,
a query that asks for another template, a learner's markup on the reviewer's screen."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
from playwright.sync_api import Browser, Page, Playwright, expect

from resurskurs.catalog.load import load_catalog
from resurskurs.district.roster import Person
from resurskurs.learners.store import AnswerStore
from resurskurs.testing.browser import Guard, open_context, open_page
from resurskurs.testing.server import CHROMIUM, CHROMIUM_ARGS, PlayerServer
from resurskurs.tracking import handin_queue
from resurskurs.tracking.build import build
from tests.test_hand_in_safety import HOSTILE

COURSE = "?kurs=prova-pa"
REFLECTION = "Beskriv en situation där du var en trygg bas för ett barn."


def wait_for(condition: Callable[[], object], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.2)


def grader_processes(server: PlayerServer) -> list[psutil.Process]:
    assert server.process is not None
    children = psutil.Process(server.process.pid).children(recursive=True)
    return [child for child in children if "grader" in child.cmdline()]


class DescribeAHandInWhileTheGraderDies:
    def it_keeps_saving_and_lands_once_when_the_restarted_grader_finishes_it(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard
    ) -> None:
        build(load_catalog(server.root), server.course_dir)
        context = open_context(browser, server, learner, guard)
        page = open_page(context.new_page(), server.url + COURSE)
        page.get_by_label(REFLECTION).fill("Jag satte mig nära ett barn vid lämningen och väntade lugnt.")
        expect(page.locator(".rk-answer-status").first).to_contain_text("Sparat")
        (service,) = grader_processes(server)
        os.kill(service.pid, signal.SIGSTOP)
        page.get_by_role("button", name="Lämna in", exact=True).click()
        page.get_by_role("button", name="Lämna in ändå").click()
        queue = server.course_dir.queue
        wait_for(lambda: list(queue.glob(f"*{handin_queue.REQUEST}")), seconds=30)
        (request,) = queue.glob(f"*{handin_queue.REQUEST}")
        request.rename(queue / request.name.replace(handin_queue.REQUEST, handin_queue.CLAIMED))

        later = "Jag satte mig nära ett barn vid lämningen och väntade lugnt. Sedan lekte vi."
        page.get_by_label(REFLECTION).fill(later)
        store = AnswerStore(server.var, learner.id)
        wait_for(lambda: store.load("prova-pa").reflection == later, seconds=15)

        os.kill(service.pid, signal.SIGKILL)
        expect(page.locator(".rk-ok")).to_contain_text("Tack! Din inlämning är mottagen", timeout=90_000)
        assert [process.pid for process in grader_processes(server)] != [service.pid]
        assert len(list((server.course_dir.root / "submitted" / learner.id).iterdir())) == 1
        assert not (server.course_dir.root / "archive").exists()
        context.close()


class DescribeTheQuery:
    def it_serves_its_own_template_whatever_the_query_asks_for(self, page: Page, server: PlayerServer) -> None:
        for query in ("?template=lab", "?template=../../../etc", "?theme=dark&template=reveal"):
            response = page.goto(server.url + query)
            assert response is not None and response.status == 200
            expect(page.locator(".rk-waiting-title")).to_have_count(1)
            page.locator(".rk-page").first.wait_for(timeout=60_000)


@contextlib.contextmanager
def crashable_browser(playwright: Playwright, profile: Path) -> Iterator[tuple[Browser, subprocess.Popen[bytes]]]:
    """A Chromium of its own, so the test can kill it as a crash would: no unload event, no goodbye.

    Its log goes to a file: a pipe nobody reads once the address is known fills up and stalls Chromium.
    """
    profile.mkdir(parents=True, exist_ok=True)
    log = profile / "chromium.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([CHROMIUM, *CHROMIUM_ARGS, "--headless=new", "--remote-debugging-port=0",
                                    f"--user-data-dir={profile}", "about:blank"],
                                   stderr=sink, start_new_session=True)
    try:
        address = ""
        deadline = time.monotonic() + 60
        while not address:
            assert process.poll() is None, "Chromium stopped before it listened"
            assert time.monotonic() < deadline, "Chromium did not listen within 60 s"
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith("DevTools listening on "):
                    address = line.removeprefix("DevTools listening on ").strip()
            time.sleep(0.1)
        yield playwright.chromium.connect_over_cdp(address), process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class DescribeKernelsOfLostTabs:
    def it_shuts_down_the_kernel_of_a_browser_that_crashed(
        self, playwright: Playwright, player_root: Path, tmp_path: Path, people: list[Person], learner: Person,
        guard: Guard
    ) -> None:
        running = PlayerServer(player_root, tmp_path / "var", pool_size=1, cull_after=4).start()
        try:
            with crashable_browser(playwright, tmp_path / "profile") as (browser, process):
                context = open_context(browser, running, learner, guard)
                open_page(context.new_page(), running.url + COURSE)
                wait_for(lambda: len(running.kernels()) == 2, seconds=60)
                os.killpg(process.pid, signal.SIGKILL)
                wait_for(lambda: len(running.kernels()) == 1, seconds=90)
        finally:
            running.stop()


class DescribeALearnersMarkupOnTheReviewersScreen:
    def it_stays_text_and_runs_nothing(self, browser: Browser, guard: Guard, tmp_path: Path) -> None:
        from nbconvert.filters.markdown_mistune import markdown2html_mistune

        from resurskurs.tracking.learner_text import as_markdown_text

        context = browser.new_context()
        context.route("**/*", guard)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        body = "".join(markdown2html_mistune(as_markdown_text(payload)) for payload in HOSTILE)
        page.set_content(f"<!doctype html><html lang='sv'><body>{body}</body></html>")
        page.wait_for_timeout(500)
        assert dialogs == []
        assert page.locator("img, script, svg, iframe, a").count() == 0
        for payload in HOSTILE:
            expect(page.locator("body")).to_contain_text(payload.split(" ")[0])
        assert guard.outside == []
        context.close()
