"""The everyday experience (issue 14): what staff, principals and the resource team meet on an ordinary day,
in a real Voilà server driven by Debian's Chromium, at phone (390 px) and tablet (1,024 px) width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Browser, Page, expect

from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.learners.identity import identify
from resurskurs.player.catalog_page import ROLE_WORDS, who_bar
from resurskurs.testing.browser import ARTIFACTS, Guard, PrepareVar, open_context, open_page, serious_violations
from resurskurs.testing.layout import SIZES, TABLET, Size, check_each_size
from resurskurs.testing.server import PlayerServer
from tests.browser.test_overview import district_with_progress
from tests.browser.test_player import real_content

COURSE = "?kurs=prova-pa"
WIDTHS = (390, 1024)


def sideways(page: Page) -> int:
    """How far the document scrolls sideways: 0 when everything fits the window."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def kept(page: Page, name: str) -> None:
    """A full-page screenshot among the test artifacts, looked at by a person before a change lands."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"everyday-{name}.png"), full_page=True)


def top(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


@contextmanager
def as_person(
    browser: Browser, server: PlayerServer, person: Person | None, guard: Guard, width: int, query: str = ""
) -> Iterator[Page]:
    context = open_context(browser, server, person, guard)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    try:
        yield open_page(page, server.url + query)
    finally:
        context.close()


class DescribeTheChecklistAndStatus:
    def it_follows_the_answers_without_a_reload(self, page: Page, server: PlayerServer) -> None:
        open_page(page, server.url + COURSE)
        status = page.locator(".rk-meta .rk-status")
        expect(status).to_have_text("Inte påbörjad")
        checklist = page.locator(".rk-checklist li").nth(1)
        expect(checklist).to_have_text("○ Inte klart: Kunskapsfrågor: 0 av 2 rätt (minst 2 behövs)")
        question = page.locator(".rk-question").first
        question.get_by_label("En trygg bas").check()
        question.get_by_role("button", name="Kontrollera svaret").click()
        expect(checklist).to_have_text("○ Inte klart: Kunskapsfrågor: 1 av 2 rätt (minst 2 behövs)")
        expect(status).to_have_text("Pågår – 10 %")
        page.get_by_label("Jag har prövat uppgiften").check()
        expect(page.locator(".rk-checklist li").nth(3)).to_have_text("✓ Klart: Pröva i praktiken")
        expect(status).to_have_text("Pågår – 30 %")
        step = page.locator("nav[aria-labelledby='rk-delar'] .rk-step").nth(3)
        expect(step).to_have_class("rk-step rk-step-done")
        expect(step).to_contain_text("Pröva i praktiken (klart)")


class DescribeTheKnowledgeCheck:
    def it_gives_one_verdict_and_keeps_the_right_answer_until_asked(self, page: Page, server: PlayerServer) -> None:
        open_page(page, server.url + COURSE)
        expect(page.locator("#rk-kunskapsfragor + p")).to_have_text(
            "Varje fråga ger 1 poäng, 2 poäng totalt. En fråga ger poäng när hela svaret är rätt. Du kan försöka "
            "flera gånger – det som räknas är svaret du har när du lämnar in."
        )
        question = page.locator(".rk-question").first
        expect(question.locator("legend")).to_contain_text("(1 poäng)")
        question.get_by_label("En samlingsledare").check()
        question.get_by_role("button", name="Kontrollera svaret").click()
        expect(question.locator(".rk-verdict")).to_have_text(
            "Inte rätt än. Läs förklaringen och försök igen, eller visa det rätta svaret."
        )
        expect(question).to_contain_text("Ditt val – stämmer inte. Nej. Det handlar om relationen")
        expect(question).not_to_contain_text("Barnet utgår från den vuxna")
        assert question.inner_text().count("Rätt") == 0
        question.get_by_role("button", name="Visa rätt svar").click()
        expect(question).to_contain_text("Rätt svar. Ja. Barnet utgår från den vuxna")
        expect(question.locator(".rk-verdict")).to_have_text("Här är det rätta svaret.")
        question.get_by_label("En trygg bas").check()
        question.get_by_role("button", name="Kontrollera igen").click()
        expect(question.locator(".rk-verdict")).to_have_text("Rätt svar!")
        expect(question.get_by_role("button", name="Visa rätt svar")).to_be_hidden()


class DescribeTheWayThroughAModule:
    def it_runs_a_b_c_d_with_a_navigation_that_reaches_every_part(self, page: Page, server: PlayerServer) -> None:
        open_page(page, server.url + COURSE)
        order = [
            "#rk-forberedelse",
            "#rk-kunskapsfragor",
            "#rk-reflektion",
            "#rk-grupptraff",
            "#rk-praktik",
            "#rk-uppfoljning",
            "#rk-utvardering",
            "#rk-lamna-in",
        ]
        tops = [top(page, selector) for selector in order]
        assert tops == sorted(tops), dict(zip(order, tops, strict=True))
        jump = page.get_by_role("navigation", name="Hoppa till en del")
        jump.get_by_role("link", name="Del C Pröva i praktiken").click()
        page.wait_for_function("location.hash === '#rk-praktik'")
        heading = page.locator("#rk-praktik").bounding_box()
        assert heading is not None and 0 <= heading["y"] < 200
        expect(jump).to_be_in_viewport()


class DescribeTheEvaluation:
    @pytest.mark.parametrize("width", WIDTHS)
    def it_keeps_each_step_a_big_tap_target_and_the_scale_readable(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard, width: int
    ) -> None:
        with as_person(browser, server, learner, guard, width, COURSE) as page:
            options = page.locator(".rk-likert-option")
            expect(options).to_have_count(5)
            boxes = [options.nth(index).bounding_box() for index in range(5)]
            assert all(box is not None and box["height"] >= 44 and box["width"] >= 44 for box in boxes), boxes
            rows = {round(box["y"]) for box in boxes if box}
            assert len(rows) == (1 if width == 1024 else 5), boxes
            label = page.locator(".rk-option label").first.bounding_box()
            assert label is not None and label["height"] >= 44
            options.last.click()
            expect(options.last.locator("input")).to_be_checked()


class DescribeSignPractice:
    def it_says_once_that_the_clips_are_missing_practises_more_and_lists_every_word(
        self, browser: Browser, tmp_path: Path, people: list[Person], learner: Person, guard: Guard
    ) -> None:
        running = PlayerServer(real_content(tmp_path), tmp_path / "var").start()
        try:
            with as_person(browser, running, learner, guard, 390, "?kurs=takk") as page:
                expect(page.locator(".rk-no-clips")).to_have_text(
                    "Filmerna som visar tecknen finns inte här än. Lär dig tecknen på talpedagogens TAKK-utbildning, "
                    "så att alla gör samma tecken.Resursteamet lägger in filmerna med kommandot resurskurs signs add "
                    "och en mapp med en film per ord."
                )
                card = page.locator(".rk-flashcards")
                expect(card.locator(".rk-clip-missing, video")).to_have_count(0)
                first = card.locator(".rk-card-word").inner_text()
                card.get_by_role("button", name="Öva mer").click()
                expect(card.locator(".rk-said")).to_have_text(
                    f"”{first}” kommer tillbaka senare i dag, efter de andra korten."
                )
                expect(card.locator(".rk-card-word")).not_to_have_text(first)
                card.get_by_role("button", name="Jag kunde tecknet").click()
                expect(card.locator(".rk-said")).to_contain_text("kommer tillbaka om 1 dag")
                expect(card).to_contain_text("Du kan 1 tecken · du övar på 1 ·")
                expect(page.locator("#rk-main")).not_to_contain_text(re.compile(r"\blåda\b"))
                words = page.locator("#rk-ordlista")
                words.locator("summary").click()
                expect(words.locator("dt", has_text="glad")).to_be_visible()
                expect(words.locator("h4").first).to_have_text("Känslor")
                assert sideways(page) == 0
                kept(page, "takk-390")
                assert serious_violations(page) == []
        finally:
            running.stop()


@pytest.fixture
def district(
    player_root: Path, tmp_path: Path, prepared_var: PrepareVar
) -> Iterator[tuple[PlayerServer, list[Person]]]:
    """Two units with progress, and a server on them."""
    var = tmp_path / "district"
    people = prepared_var("district-with-progress", lambda made: district_with_progress(player_root, made), var)
    running = PlayerServer(player_root, var).start()
    try:
        yield running, people
    finally:
        running.stop()


def first(people: list[Person], role: Role) -> Person:
    return next(person for person in people if person.role is role)


def drawn(page: Page) -> Page:
    """Wait until every chart on the page has been drawn, so a screenshot and axe see the whole page."""
    expect(page.locator('.rk-chart:not([data-state="drawn"])')).to_have_count(0, timeout=60_000)
    return page


def charts_wider_than_their_box(page: Page) -> int:
    """Drawn charts whose plot is wider than the box they sit in (a phone would see one cut off)."""
    return int(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('.rk-chart[data-state="drawn"]')).filter((chart) => {
                const plot = chart.querySelector('.main-svg');
                return plot && plot.getBoundingClientRect().width > chart.getBoundingClientRect().width + 1;
            }).length"""
        )
    )


class DescribeEveryPage:
    def it_fits_each_size_passes_axe_and_is_kept_as_screenshots(
        self, browser: Browser, district: tuple[PlayerServer, list[Person]], guard: Guard
    ) -> None:
        """Each page loaded once, then looked at 390×844, 844×390 and 1,024×768: no split word, clipped label or
        sideways scrolling (testing/layout.py), no chart wider than its box, and axe at each size."""
        server, people = district
        staff, principal, team = (first(people, role) for role in (Role.STAFF, Role.PRINCIPAL, Role.RESOURCE_TEAM))
        pages = [
            ("picker", None, ""),
            ("catalog", staff, ""),
            ("course", staff, COURSE),
            ("unit", principal, "?vy=enhet"),
            ("unit-choice", team, "?vy=enhet"),
            ("district", team, "?vy=forvaltning"),
            ("review", team, "?vy=granska"),
        ]
        found = {}
        for name, person, query in pages:
            with as_person(browser, server, person, guard, TABLET.width, query) as page:
                drawn(page)
                at_size: dict[str, tuple[int, list[str]]] = {}

                def measure(size: Size, page: Page = page, at_size: dict[str, tuple[int, list[str]]] = at_size) -> None:
                    drawn(page)
                    wide = charts_wider_than_their_box(page)
                    for _ in range(20):  # a chart follows its box on the next frames (a ResizeObserver)
                        if not wide:
                            break
                        page.wait_for_timeout(250)
                        wide = charts_wider_than_their_box(page)
                    at_size[size.name] = (wide, serious_violations(page))

                problems = check_each_size(page, f"everyday-{name}", before=measure)
                found[name] = (problems, at_size)
        fine = ({size.name: [] for size in SIZES}, {size.name: (0, []) for size in SIZES})
        assert found == dict.fromkeys(found, fine)


class DescribeThePrincipalsPage:
    def it_names_the_unit_once_and_labels_the_chart_as_a_running_total(
        self, browser: Browser, district: tuple[PlayerServer, list[Person]], guard: Guard
    ) -> None:
        server, people = district
        principal = first(people, Role.PRINCIPAL)
        with as_person(browser, server, principal, guard, 1024, "?vy=enhet") as page:
            head = page.locator('table[data-table="Moduler"] thead th').all_inner_texts()
            assert head[0] == "Modul" and "Enhet" not in head, head
            expect(page.get_by_role("heading", name="Inlämnade moduler, sammanlagt över tid")).to_be_visible()
            expect(page.locator(".rk-chart")).to_contain_text("Inlämnade totalt")


class DescribeTheDistrictPage:
    def it_leads_to_each_units_page_and_says_where_the_qr_code_leads(
        self, browser: Browser, district: tuple[PlayerServer, list[Person]], guard: Guard
    ) -> None:
        server, people = district
        units = sorted({person.unit for person in people if person.role is Role.STAFF})
        with as_person(browser, server, first(people, Role.RESOURCE_TEAM), guard, 390, "?vy=forvaltning") as page:
            expect(page.locator(".rk-notice")).to_contain_text(
                "QR-koden på bildspelet leder till http://127.0.0.1:8866/. Den adressen är den här datorns egen"
            )
            expect(page.locator(".rk-notice")).to_contain_text("RESURSKURS_PUBLIC_URL")
            for select in page.locator("#rk-main .widget-dropdown select").all():
                box = select.bounding_box()
                assert box is not None and box["height"] >= 44
            page.get_by_role("link", name=units[1]).first.click()
            page.wait_for_url(f"**/?vy=enhet&enhet={quote_plus(units[1])}")
            page.locator(".rk-table").first.wait_for(timeout=60_000)
            expect(page.get_by_role("heading", level=1)).to_have_text(units[1])


class DescribeTheDemoPicker:
    def it_tells_every_person_apart_and_says_their_role(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        twin = replace(
            people[1],
            first_name=people[0].first_name,
            last_name=people[0].last_name,
            unit=people[0].unit,
            work_team=people[0].work_team,
            role=people[0].role,
        )
        write_roster([people[0], twin, *people[2:]], server.var / "roster.csv")
        with as_person(browser, server, None, guard, 390) as page:
            labels = page.locator(".rk-picker option").all_inner_texts()
            assert len(labels) == len(set(labels)) == len(people), labels
            assert any("(rektor)" in label for label in labels) and any("(personal)" in label for label in labels)
            role = ROLE_WORDS[people[0].role]
            assert labels[0].startswith(f"{people[0].name} ({role})") and labels[1].endswith(twin.email), labels[:2]
            page.get_by_role("button", name="Fortsätt").click()
            expect(page.locator(".rk-who")).to_contain_text("Byt person", timeout=60_000)


class DescribeSigningOut:
    def it_offers_logga_ut_under_a_hub_and_nothing_on_one_machine(self, people: list[Person]) -> None:
        person = first(people, Role.STAFF)
        found = {person.id: person}.get
        environ = {"JUPYTERHUB_USER": person.id, "JUPYTERHUB_BASE_URL": "/k/"}
        hub = who_bar(identify(found, found, environ))
        assert '<a href="/k/hub/logout">Logga ut</a>' in hub.value
        alone = who_bar(identify(found, found, {"RESURSKURS_USER": person.id}))
        assert "Logga ut" not in alone.value
