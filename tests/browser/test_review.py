"""Granska in a real Voilà server: the resource team reviews, nbgrader agrees, the learner sees it first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from resurskurs.catalog.load import load_catalog
from resurskurs.core.answers import HandIn
from resurskurs.demo.district import demo_district
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.testing.browser import Guard, PrepareVar, open_context, open_page, screenshot, serious_violations
from resurskurs.testing.server import PlayerServer
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import COURSE_ID, CourseDir
from resurskurs.tracking.grading import save_review
from resurskurs.tracking.roster_import import import_people
from resurskurs.tracking.submit import submit

SLUG = "prova-pa"
GRANSKA = "?vy=granska"
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
COMMENT = "Fint att du stannade kvar hos barnet.\nPröva gärna samma sak vid hämtningen."
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def people(tmp_path: Path, player_root: Path, prepared_var: PrepareVar) -> list[Person]:
    """Staff in two units, a principal each and the resource team, with the module built in nbgrader."""

    def make(var: Path) -> list[Person]:
        everyone = demo_district(staff=6, units=2, seed=5)
        write_roster(everyone, var / "roster.csv")
        course_dir = CourseDir(var / "exercises", f"sqlite:///{var / 'gradebook.db'}")
        import_people(everyone, course_dir)
        build(load_catalog(player_root), course_dir)
        return everyone

    return prepared_var("review-district", make, tmp_path / "var")


def first(people: list[Person], role: Role, unit: str | None = None) -> Person:
    return next(p for p in people if p.role is role and (unit is None or p.unit == unit))


def hand_in(server: PlayerServer, person: Person, minutes: int, reflection: str) -> None:
    """A hand-in stored and autograded as the grader service does it, `minutes` after START."""
    module = load_catalog(server.root).module(SLUG)
    answers = HandIn.model_validate({"reflection": reflection, "practice": {"done": True, "note": ""}})
    assert submit(server.course_dir, module, person.id, answers, now=START + timedelta(minutes=minutes)).accepted


def granska(browser: Browser, server: PlayerServer, person: Person, guard: Guard) -> Page:
    return open_page(open_context(browser, server, person, guard).new_page(), server.url + GRANSKA)


FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
DATES_ON_ONE_LINE = r"""() => [...document.querySelectorAll('ol.rk-queue button')].flatMap((button) => {
  const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
  const split = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const match = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.exec(node.textContent);
    if (!match) continue;
    const range = document.createRange();
    range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length);
    if (new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1) split.push(match[0]);
  }
  return split;
})"""
"""The hand-in times in the queue that are split over two lines (as "2026-" / "11-02 08:00" was at 390 px)."""


class DescribeGranska:
    def it_saves_a_review_that_nbgrader_reports_and_the_learner_sees_first(
        self, browser: Browser, server: PlayerServer, people: list[Person], learner: Person, guard: Guard
    ) -> None:
        from nbgrader.api import Gradebook

        other = [p for p in people if p.role is Role.STAFF][1]
        hand_in(server, other, 10, "Vi byggde en koja tillsammans.")
        hand_in(server, learner, 0, "Jag satte mig nära barnet vid lämningen.\nVi väntade tillsammans.")
        page = granska(browser, server, first(people, Role.RESOURCE_TEAM), guard)
        opened = page.locator("#rk-granskas")
        expect(opened).to_have_text(f"Reflektion från {learner.name}")
        expect(page.locator("#rk-vantar")).to_contain_text("2 reflektioner väntar")
        expect(page.locator(".rk-learner-text")).to_have_text(
            "Jag satte mig nära barnet vid lämningen.Vi väntade tillsammans.")
        expect(page.get_by_text("Texten knyter an till filmens begrepp.")).to_be_visible()
        page.get_by_label("Koppling till filmen").check()
        expect(page.get_by_text("Poäng: 1 av 1")).to_be_visible()
        page.get_by_label(f"Kommentar till {learner.first_name}").fill(COMMENT)
        page.get_by_role("button", name="Spara och öppna nästa").click()
        expect(page.locator(".rk-ok")).to_contain_text(
            f"Sparat: {learner.name}, Prova på resurskurs, 1 av 1 poäng.", timeout=60_000)
        expect(opened).to_have_text(f"Reflektion från {other.name}")
        expect(page.locator("#rk-vantar")).to_contain_text("1 reflektion väntar")
        page.context.close()

        with Gradebook(server.course_dir.db_url, course_id=COURSE_ID) as gradebook:
            grade = gradebook.find_grade(REFLECTION_ID, SLUG, SLUG, learner.id)
            assert (grade.manual_score, grade.needs_manual_grade) == (1, False)
            assert gradebook.find_comment(REFLECTION_ID, SLUG, SLUG, learner.id).manual_comment == COMMENT
            assert gradebook.find_grade(REFLECTION_ID, SLUG, SLUG, other.id).manual_score is None

        context = open_context(browser, server, learner, guard)
        page = open_page(context.new_page(), server.url)
        card = page.locator("a.rk-course-card", has_text="Prova på resurskurs")
        expect(card).to_contain_text("Ny återkoppling från resursteamet")
        expect(card).to_contain_text("Granskad")
        open_page(page, server.url + f"?kurs={SLUG}")
        notice = page.get_by_role("status").filter(has_text="Ny återkoppling från resursteamet.")
        expect(notice).to_be_visible()
        above, title = notice.bounding_box(), page.get_by_role("heading", level=1).bounding_box()
        assert above is not None and title is not None and above["y"] < title["y"]
        feedback = page.get_by_role("region", name="Återkoppling från resursteamet")
        expect(feedback).to_contain_text("Fint att du stannade kvar hos barnet.")
        expect(feedback).to_contain_text("Pröva gärna samma sak vid hämtningen.")
        expect(feedback).to_contain_text(f"Granskad {datetime.now().astimezone():%Y-%m-%d}")
        expect(feedback).to_contain_text("Poäng för reflektionen: 1 av 1")
        expect(feedback.get_by_role("listitem")).to_have_text(
            ["✓ Koppling till filmen: 1 av 1 poängTexten knyter an till filmens begrepp."])
        expect(feedback).not_to_be_in_viewport()
        notice.get_by_role("link", name="Läs återkopplingen").click()
        heading = feedback.get_by_role("heading", name="Återkoppling från resursteamet")
        expect(heading).to_be_focused()
        expect(heading).to_be_in_viewport()
        screenshot(page, "feedback-with-rubric-points")
        open_page(page, server.url)
        expect(page.locator("a.rk-course-card", has_text="Prova på resurskurs")).not_to_contain_text("Ny återkoppling")
        open_page(page, server.url + f"?kurs={SLUG}")
        page.get_by_role("navigation", name="Modulens fyra delar").get_by_role(
            "link", name="Läs återkopplingen från resursteamet").click()
        expect(page.get_by_role("heading", name="Återkoppling från resursteamet")).to_be_in_viewport()
        context.close()

    def it_filters_by_module_and_unit_and_opens_any_row_of_the_queue_from_the_keyboard(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        units = sorted({p.unit for p in people if p.role is Role.STAFF})
        early, late = first(people, Role.STAFF, units[0]), first(people, Role.STAFF, units[1])
        hand_in(server, early, 0, "Först.")
        hand_in(server, late, 5, "Sedan.")
        page = granska(browser, server, first(people, Role.RESOURCE_TEAM), guard)
        opened = page.locator("#rk-granskas")
        expect(opened).to_have_text(f"Reflektion från {early.name}")
        page.get_by_label("Enhet").select_option(units[1])
        expect(opened).to_have_text(f"Reflektion från {late.name}")
        expect(page.locator("ol.rk-queue li")).to_have_count(1)
        page.get_by_label("Modul").select_option("Prova på resurskurs")
        expect(opened).to_have_text(f"Reflektion från {late.name}")
        page.get_by_label("Enhet").select_option("Alla enheter")
        expect(page.locator("ol.rk-queue li")).to_have_count(2)
        expect(opened).to_have_text(f"Reflektion från {early.name}")
        page.get_by_role("button", name="Hoppa över just nu").click()
        expect(opened).to_have_text(f"Reflektion från {late.name}")
        row = page.locator("ol.rk-queue li button", has_text=early.name)
        row.focus()
        page.keyboard.press("Enter")
        expect(opened).to_have_text(f"Reflektion från {early.name}")
        expect(opened).to_be_focused()
        expect(row).to_have_attribute("aria-current", "true")
        page.locator("ol.rk-queue li button", has_text=late.name).click()
        expect(opened).to_have_text(f"Reflektion från {late.name}")
        expect(opened).to_be_focused()
        page.context.close()

    def it_is_reached_from_the_district_page_where_what_waits_is_counted(
        self, browser: Browser, server: PlayerServer, people: list[Person], learner: Person, guard: Guard
    ) -> None:
        hand_in(server, learner, 0, "Något att läsa.")
        context = open_context(browser, server, first(people, Role.RESOURCE_TEAM), guard)
        page = open_page(context.new_page(), server.url + "?vy=forvaltning")
        expect(page.locator("#rk-main")).to_contain_text("1 reflektion väntar på återkoppling.")
        page.get_by_role("link", name="Granska reflektionerna").click()
        expect(page.locator("#rk-granskas")).to_have_text(f"Reflektion från {learner.name}", timeout=60_000)
        context.close()


class DescribeALearnersWordsOnTheReviewersPage:
    def it_shows_markup_as_text_and_runs_nothing(
        self, browser: Browser, server: PlayerServer, people: list[Person], learner: Person, guard: Guard
    ) -> None:
        hand_in(server, learner, 0, f"{HOSTILE} och <script>alert(2)</script>")
        context = open_context(browser, server, first(people, Role.RESOURCE_TEAM), guard)
        page = context.new_page()
        dialogs: list[str] = []

        def dismissed(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismissed)
        open_page(page, server.url + GRANSKA)
        words = page.locator(".rk-learner-text")
        expect(words).to_have_text(f"{HOSTILE} och <script>alert(2)</script>")
        assert words.locator("img, script").count() == 0
        page.wait_for_timeout(1_000)
        assert dialogs == []
        context.close()


class DescribeAResubmissionAfterReview:
    def it_asks_first_and_keeps_the_earlier_feedback_with_its_date(
        self, browser: Browser, server: PlayerServer, people: list[Person], learner: Person, guard: Guard
    ) -> None:
        hand_in(server, learner, 0, "Min första reflektion.")
        module = load_catalog(server.root).module(SLUG)
        save_review(server.course_dir, first(people, Role.RESOURCE_TEAM), module, learner.id, [1], COMMENT)
        reviewed_at = reviews_for(server.course_dir.db_url, learner.id)[SLUG].reviewed_at
        assert reviewed_at is not None
        given = f"Granskad {reviewed_at.replace(tzinfo=UTC).astimezone():%Y-%m-%d}"
        context = open_context(browser, server, learner, guard)
        page = open_page(context.new_page(), server.url + f"?kurs={SLUG}")
        page.get_by_label("Beskriv en situation där du var en trygg bas för ett barn.").fill(
            "Jag satte mig nära ett barn vid lämningen och väntade lugnt.")
        expect(page.locator(".rk-answer-status").first).to_contain_text("Sparat")

        page.get_by_role("button", name="Lämna in igen").click()
        question = page.get_by_role("alert").filter(has_text="Vill du lämna in igen?")
        expect(question).to_contain_text("Återkopplingen du redan har fått finns kvar här.")
        page.get_by_role("button", name="Avbryt").click()
        expect(question).to_have_count(0)
        expect(page.get_by_role("button", name="Ja, lämna in igen")).to_be_hidden()
        assert reviews_for(server.course_dir.db_url, learner.id)[SLUG].reviewed

        page.get_by_role("button", name="Lämna in igen").click()
        page.get_by_role("button", name="Ja, lämna in igen").click()
        expect(page.locator(".rk-ok")).to_contain_text("Tack! Din inlämning är mottagen", timeout=60_000)
        earlier = page.get_by_role("region", name="Tidigare återkoppling från resursteamet")
        expect(earlier).to_contain_text("Fint att du stannade kvar hos barnet.")
        expect(earlier).to_contain_text(given)
        expect(page.locator("#rk-main")).to_contain_text("Resursteamet läser din reflektion och ger dig återkoppling")
        screenshot(page, "resubmitted-with-earlier-feedback")
        open_page(page, server.url + f"?kurs={SLUG}")
        expect(page.get_by_role("region", name="Tidigare återkoppling från resursteamet")).to_contain_text(given)
        context.close()


class DescribeTheReviewPagesForm:
    @pytest.mark.parametrize("width", [1024, 390])
    def it_passes_axe_and_fits_without_sideways_scrolling(
        self, browser: Browser, server: PlayerServer, people: list[Person], learner: Person, guard: Guard, width: int
    ) -> None:
        hand_in(server, learner, 0, "Ett barn var ledset vid lämningen.\n\nJag satte mig nära och väntade.")
        hand_in(server, [p for p in people if p.role is Role.STAFF][1], 5, "Vi byggde en koja.")
        context = open_context(browser, server, first(people, Role.RESOURCE_TEAM), guard)
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        open_page(page, server.url + GRANSKA)
        expect(page.get_by_role("button", name="Spara och öppna nästa")).to_be_visible()
        page.wait_for_function(FITS, timeout=15_000)
        expect(page.locator("ol.rk-queue li button").first).to_contain_text("inlämnad 2026-11-02 08:00")
        assert page.evaluate(DATES_ON_ONE_LINE) == [], "a date is never split over two lines"
        assert serious_violations(page) == []
        screenshot(page, f"granska-{width}")
        context.close()


class DescribeWhoMayNotReview:
    @pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.STAFF])
    def it_turns_away_principals_and_staff(
        self, browser: Browser, server: PlayerServer, people: list[Person], learner: Person, guard: Guard, role: Role
    ) -> None:
        hand_in(server, learner, 0, "Mina egna ord om lämningen.")
        someone = next(p for p in people if p.role is role and p.id != learner.id)
        page = granska(browser, server, someone, guard)
        expect(page.get_by_role("heading", name="Sidan är inte till för dig")).to_be_visible()
        expect(page.locator("#rk-main")).to_contain_text("Granska är för resursteamet.")
        expect(page.locator("#rk-main")).not_to_contain_text("Översikten är för rektorer")
        assert page.locator(".rk-learner-text, #rk-granskas").count() == 0
        content = page.content()
        assert "Mina egna ord" not in content and learner.name not in content
        page.context.close()
