"""The learner's player in a real Voilà server, driven by Debian's Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from resurskurs.catalog.load import load_catalog
from resurskurs.district.roster import Person
from resurskurs.schema.timecode import format_timecode
from resurskurs.testing.browser import Guard, open_context, open_page, screenshot, serious_violations
from resurskurs.testing.server import PlayerServer, printed_by
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from tests.conftest import REPO

COURSE = "?kurs=prova-pa"


def video_time(page: Page) -> float:
    return float(page.evaluate("document.querySelector('.rk-player video').currentTime"))


def play(page: Page, speed: str = "1.5") -> None:
    page.get_by_label("Hastighet").select_option(speed)
    page.evaluate("document.querySelector('.rk-player video').play()")


def saved_answers(server: PlayerServer, person: Person) -> dict[str, object]:
    file = server.var / "answers" / person.id / "prova-pa.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}


def wait_for(condition: object, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError("the condition did not become true in time")


def real_content(tmp_path: Path) -> Path:
    """The project's own modules and films, without the media files: every film is missing, as on a fresh install."""
    root = tmp_path / "content"
    root.mkdir()
    shutil.copytree(REPO / "courses", root / "courses")
    shutil.copytree(REPO / "films", root / "films", ignore=shutil.ignore_patterns("media"))
    return root


class DescribeTheCatalog:
    def it_shows_a_card_per_module_with_this_persons_status(self, page: Page, server: PlayerServer,
                                                            learner: Person) -> None:
        open_page(page, server.url)
        card = page.locator("a.rk-course-card", has_text="Prova på resurskurs")
        expect(card).to_contain_text("Inte påbörjad")
        who = page.locator(".rk-who")
        expect(who).to_contain_text(f"Demoläge – påhittade personer och enheter. Du är {learner.name}")
        screenshot(page, "catalog")
        assert serious_violations(page) == []

    def it_asks_who_you_are_on_a_first_visit_in_demo_mode(self, browser: Browser, server: PlayerServer,
                                                           people: list[Person], guard: Guard) -> None:
        context = open_context(browser, server, None, guard)
        page = open_page(context.new_page(), server.url)
        page.get_by_label("Vem är du? (demoläge – påhittade personer)").select_option(people[2].id)
        page.get_by_role("button", name="Fortsätt").click()
        expect(page.locator(".rk-who")).to_contain_text(f"Du är {people[2].name}", timeout=60_000)
        expect(page.locator("a.rk-course-card")).to_have_count(1)
        context.close()


class DescribeWaiting:
    def it_shows_a_swedish_loading_message_never_a_blank_page(self, page: Page, server: PlayerServer) -> None:
        page.route("**/voila.js", lambda route: route.abort())  # under a versioned folder (server/voila_app.py)
        page.goto(server.url + COURSE)
        page.wait_for_load_state("load")
        expect(page.get_by_role("status")).to_contain_text("Sidan laddas …")
        expect(page.get_by_role("status")).to_be_visible()

    def it_hides_the_message_once_the_page_is_there(self, page: Page, server: PlayerServer) -> None:
        open_page(page, server.url + COURSE)
        expect(page.locator("#rk-waiting")).to_be_hidden()


class DescribeTheCoursePage:
    def it_plays_the_film_and_pauses_at_a_stop_whose_answer_survives_a_reload(
        self, page: Page, server: PlayerServer, learner: Person
    ) -> None:
        open_page(page, server.url + COURSE)
        play(page)
        prompt = page.locator(".rk-stop").get_by_label("Vad vill du få ut av den här modulen?")
        expect(prompt).to_be_visible(timeout=20_000)
        assert page.evaluate("document.querySelector('.rk-player video').paused")
        assert 7.5 <= video_time(page) <= 9.5
        prompt.fill("Jag vill bli tryggare vid lämningar.")
        page.get_by_role("button", name="Fortsätt titta").click()
        wait_for(lambda: saved_answers(server, learner).get("logbook") == {
            "stopp-valkommen": "Jag vill bli tryggare vid lämningar."})

        page.evaluate("document.querySelector('.rk-player video').pause()")
        page.evaluate("document.querySelector('.rk-player video').currentTime = 6.5")
        page.evaluate("document.querySelector('.rk-player video').play()")
        expect(prompt).to_be_visible(timeout=20_000)
        expect(prompt).to_have_value("Jag vill bli tryggare vid lämningar.")

        wait_for(lambda: float((saved_answers(server, learner).get("film") or {}).get("position", 0)) >= 7.5)
        page.reload()
        page.locator(".rk-page").first.wait_for(timeout=60_000)
        page.wait_for_function("document.querySelector('.rk-player video').readyState >= 1")
        assert video_time(page) >= 7.5, "the film should resume where this person left it"
        page.get_by_text("Din loggbok – bara du ser den").click()
        expect(page.locator(".rk-logbook").get_by_label("Vad vill du få ut av den här modulen?")).to_have_value(
            "Jag vill bli tryggare vid lämningar.")

    def it_holds_back_skipping_ahead_before_a_first_full_viewing(self, page: Page, server: PlayerServer) -> None:
        open_page(page, server.url + COURSE)
        page.wait_for_function("document.querySelector('.rk-player video').readyState >= 1")
        page.get_by_role("button", name="3. Slut").click()
        expect(page.locator(".rk-player-status")).to_contain_text("Du kan hoppa framåt när du har sett hela filmen")
        assert video_time(page) < 2

    def it_explains_each_option_once_the_answer_is_right(self, page: Page, server: PlayerServer,
                                                         learner: Person) -> None:
        open_page(page, server.url + COURSE)
        question = page.locator(".rk-question").first
        question.get_by_label("En samlingsledare").check()
        question.get_by_role("button", name="Kontrollera svaret").click()
        expect(question.locator(".rk-verdict")).to_contain_text("Inte rätt än")
        expect(question).to_contain_text("Ditt val – stämmer inte. Nej. Det handlar om relationen")
        question.get_by_label("En trygg bas").check()
        question.get_by_role("button", name="Kontrollera igen").click()
        expect(question.locator(".rk-verdict")).to_have_text("Rätt svar!")
        expect(question).to_contain_text("Ditt val – stämmer. Ja. Barnet utgår från den vuxna")
        expect(question).to_contain_text("Nej. Det handlar om relationen")
        wait_for(lambda: saved_answers(server, learner).get("quiz") == {
            "fraga-bas": {"selected": [0], "attempts": 2, "correct": True}})

    def it_can_be_walked_with_the_keyboard_only(self, page: Page, server: PlayerServer) -> None:
        open_page(page, server.url + COURSE)
        visited = []
        for _ in range(120):
            page.keyboard.press("Tab")
            focused = page.evaluate("(() => { const e = document.activeElement;"
                                    " return e.tagName + ' ' + (e.type || '') + ' ' + e.textContent.trim() })()")
            visited.append(focused)
            if focused.startswith("INPUT radio"):
                break
        assert any("1. Välkommen" in text for text in visited), visited
        assert any("Visa texten till filmen" in text for text in visited), visited
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator(".rk-question").first.locator(".rk-verdict")).to_contain_text("Rätt svar!")
        page.locator(".rk-player video").focus()
        page.keyboard.press("t")
        expect(page.get_by_role("region", name="Texten till filmen")).to_be_visible()

    def it_searches_the_transcript(self, page: Page, server: PlayerServer) -> None:
        cues = load_catalog(server.root).films["demo"].subtitles["sv"]
        hits = [cue for cue in cues if "stopp" in cue.text]
        open_page(page, server.url + COURSE)
        page.get_by_role("button", name="Visa texten till filmen").click()
        page.get_by_role("searchbox", name="Sök i texten").fill("stopp")
        expect(page.locator(".rk-player-status")).to_have_text(f"{len(hits)} träffar för ”stopp”")
        expect(page.locator(".rk-cue:visible")).to_have_text(
            [f"{format_timecode(int(cue.start))}{cue.text}" for cue in hits])

    def it_passes_axe_at_tablet_width_and_is_kept_as_a_screenshot(self, page: Page, server: PlayerServer) -> None:
        page.set_viewport_size({"width": 768, "height": 1024})
        open_page(page, server.url + COURSE)
        screenshot(page, "course")
        assert serious_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 768


class DescribeSubmitting:
    def it_hands_in_and_later_shows_the_resource_teams_feedback(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard
    ) -> None:
        from nbgrader.api import Gradebook

        course_dir = CourseDir(server.var / "exercises", f"sqlite:///{server.var / 'gradebook.db'}")
        build(load_catalog(server.root), course_dir)
        context = open_context(browser, server, learner, guard)
        page = open_page(context.new_page(), server.url + COURSE)
        question = page.locator(".rk-question").first
        question.get_by_label("En trygg bas").check()
        question.get_by_role("button", name="Kontrollera svaret").click()
        expect(question.locator(".rk-verdict")).to_contain_text("Rätt svar!")
        page.get_by_label("Beskriv en situation där du var en trygg bas för ett barn.").fill(
            "Jag satte mig bredvid flickan Maja vid lämningen.")
        page.get_by_role("button", name="Lämna in", exact=True).click()
        question = page.get_by_role("alert").filter(has_text="Modulen är inte klar än.")
        expect(question).to_contain_text("Filmen: du har sett 0 %")
        expect(question).to_contain_text("Utvärderingen: 0 av 1 påståenden")
        expect(question.locator("li")).to_have_count(5)
        page.get_by_role("button", name="Avbryt").click()
        expect(question).to_have_count(0)
        assert not course_dir.submitted(learner.id, "prova-pa").exists()
        page.get_by_role("button", name="Lämna in", exact=True).click()
        page.get_by_role("button", name="Lämna in ändå").click()
        expect(page.get_by_role("alert")).to_contain_text("Texten verkar nämna ett barns namn (”flickan Maja”)")

        page.get_by_label("Beskriv en situation där du var en trygg bas för ett barn.").fill(
            "Jag satte mig bredvid ett barn vid lämningen och väntade lugnt tills barnet ville leka.")
        page.get_by_role("button", name="Lämna in", exact=True).click()
        page.get_by_role("button", name="Lämna in ändå").click()
        expect(page.locator(".rk-ok")).to_contain_text("Tack! Din inlämning är mottagen", timeout=60_000)
        expect(page.locator("#rk-main")).to_contain_text("Kunskapsfrågor: 1 av 2 poäng.")
        expect(page.locator(".rk-status").first).to_contain_text("Inlämnad, inte klar")

        with Gradebook(course_dir.db_url, course_id="resurskurs") as gradebook:
            gradebook.find_grade("reflektion", "prova-pa", "prova-pa", learner.id).manual_score = 1
            gradebook.find_grade("reflektion", "prova-pa", "prova-pa", learner.id).needs_manual_grade = False
            gradebook.find_comment("reflektion", "prova-pa", "prova-pa", learner.id).manual_comment = "Fint!"
            gradebook.db.commit()
        open_page(page, server.url)
        expect(page.locator("a.rk-course-card")).to_contain_text("Granskad, inte klar")
        open_page(page, server.url + COURSE)
        expect(page.get_by_role("region", name="Återkoppling från resursteamet")).to_contain_text("Fint!")
        context.close()


class DescribeDrafts:
    def it_keeps_what_was_written_through_a_kill_9_of_the_server(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard
    ) -> None:
        context = open_context(browser, server, learner, guard)
        page = open_page(context.new_page(), server.url + COURSE)
        reflection = page.get_by_label("Beskriv en situation där du var en trygg bas för ett barn.")
        text = "Ett barn var ledset vid lämningen. Jag satte mig nära och väntade tills det ville leka."
        reflection.fill(text)
        expect(page.locator(".rk-answer-status").first).to_contain_text("Sparat")
        context.close()
        server.kill_hard()

        restarted = PlayerServer(server.root, server.var).start()
        try:
            context = open_context(browser, restarted, learner, guard)
            page = open_page(context.new_page(), restarted.url + COURSE)
            expect(page.get_by_label("Beskriv en situation där du var en trygg bas för ett barn.")).to_have_value(text)
            context.close()
        finally:
            restarted.stop()


class DescribeKernels:
    def it_returns_to_the_pool_size_after_a_dozen_visits(self, context: BrowserContext, server: PlayerServer) -> None:
        for _ in range(12):
            page = open_page(context.new_page(), server.url)
            page.close(run_before_unload=True)
        wait_for(lambda: len(server.kernels()) == server.pool_size, seconds=60)

    def it_names_no_kernel_id_on_a_kernels_command_line(self, context: BrowserContext, server: PlayerServer) -> None:
        page = open_page(context.new_page(), server.url)
        kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page.content())
        assert kernel is not None, "the page names its kernel"
        command_lines = " ".join(" ".join(process.cmdline()) for process in server.kernels())
        assert "kernel-" in command_lines and kernel.group(1) not in command_lines
        page.close()

    def it_serves_a_course_page_with_the_apps_modules_imported_once_in_the_warm_parent(
        self, context: BrowserContext, server: PlayerServer
    ) -> None:
        """What a kernel imports itself is memory of its own in every open page; what the warm parent imported
        is shared by all of them."""
        warm = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from resurskurs.server import warm_parent as p; p.warm(); print(*sys.modules)",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout.split()
        open_page(context.new_page(), server.url + COURSE)
        wait_for(lambda: len(server.kernels()) == server.pool_size + 1, seconds=60)
        assert server.log is not None
        waiting = server.pool_size + 1  # the pool as it started, and the kernel that refilled it: each has asked
        wait_for(lambda: server.log.read_text(errors="replace").count("/voila/query/") >= waiting, seconds=60)
        answers = [printed_by(kernel, "import sys; print(*sys.modules)", seconds=5) for kernel in server.kernels()]
        serving = [imported for imported in answers if imported is not None]
        assert len(serving) == 1, "one kernel serves the page; the pool's wait for theirs"
        assert "resurskurs.player.course_page" in serving[0]
        assert sorted(name for name in set(serving[0]) - set(warm) if name.startswith("resurskurs")) == []


class DescribeARealModuleWithoutItsFilm:
    def it_shows_summaries_transcript_and_flashcards_instead(
        self, browser: Browser, tmp_path: Path, people: list[Person], learner: Person, guard: Guard
    ) -> None:
        running = PlayerServer(real_content(tmp_path), tmp_path / "var").start()
        try:
            context = open_context(browser, running, learner, guard)
            page = open_page(context.new_page(), running.url + "?kurs=takk")
            expect(page.get_by_role("alert")).to_have_text("Filmen finns inte här än. Du kan läsa texten i stället.")
            expect(page.locator(".rk-fallback h3").first).to_have_text("Vad är TAKK?")
            checklist = page.locator(".rk-checklist li").first
            expect(checklist).to_have_text("○ Inte klart: Filmen: du har läst 0 av 5 kapitel")
            page.locator(".rk-fallback").get_by_label("Jag har läst kapitlet").first.check()
            draft = running.var / "answers" / learner.id / "takk.json"
            wait_for(lambda: draft.is_file() and json.loads(draft.read_text())["film"]["chapters_read"])
            open_page(page, running.url + "?kurs=takk")
            expect(checklist).to_have_text("○ Inte klart: Filmen: du har läst 1 av 5 kapitel")
            expect(page.locator(".rk-card-word")).to_be_visible()
            page.get_by_role("button", name="Jag kunde tecknet").click()
            expect(page.locator(".rk-flashcards .rk-answer-hint").last).to_contain_text("Du kan 1 tecken")
            assert serious_violations(page) == []
            context.close()
        finally:
            running.stop()
