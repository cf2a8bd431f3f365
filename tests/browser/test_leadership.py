"""Ledningen först through the real Voilà server: a principal releases a module, and only then do staff open it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect

from resurskurs.district.days_off import day_off
from resurskurs.district.releases import load_releases, release, start
from resurskurs.district.roster import Person, Role
from resurskurs.testing.browser import Guard, open_context, open_page, screenshot, serious_violations
from resurskurs.testing.server import PlayerServer

COURSE = "?kurs=prova-pa"
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
CLIPPED_LABELS = """() => [...document.querySelectorAll('#rk-main label, #rk-main .widget-label, #rk-main button')]
  .filter((element) => element.offsetParent !== null
    && (element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight))
  .map((element) => element.textContent)"""
"""The labels and buttons shown whose words do not fit in their box (cut off, as "Gruppträ…" was, or cut
below: "öppna" without the tails of its p's)."""


def ordinary_day(day: date) -> date:
    """The first weekday from `day` on that is no Swedish holiday (a gruppträff nobody would question)."""
    while day_off(day):
        day += timedelta(days=1)
    return day


def first(people: list[Person], role: Role) -> Person:
    return next(person for person in people if person.role is role)


class DescribeLedningenForst:
    def it_refuses_staff_a_module_their_principal_has_not_released(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard
    ) -> None:
        start(server.var)
        context = open_context(browser, server, learner, guard)
        page = open_page(context.new_page(), server.url + COURSE)
        expect(page.get_by_role("heading", name="Modulen är inte öppnad än")).to_be_visible()
        expect(page.get_by_text("Din rektor öppnar modulen för er förskoleenhet inför er gruppträff.")).to_be_visible()
        assert page.locator(".rk-player").count() == 0
        catalog = open_page(page, server.url)
        card = catalog.locator(".rk-course-card", has_text="Prova på resurskurs")
        expect(card).to_contain_text("Inte öppnad än")
        assert catalog.locator('a[href="?kurs=prova-pa"]').count() == 0
        assert serious_violations(catalog) == []
        context.close()

    def it_opens_the_module_to_staff_once_their_principal_releases_it_for_a_grupptraff_to_come(
        self, browser: Browser, server: PlayerServer, people: list[Person], learner: Person, guard: Guard
    ) -> None:
        start(server.var)
        principal = first(people, Role.PRINCIPAL)
        today = date.today()
        christmas = next(day for day in (date(today.year, 12, 25), date(today.year + 1, 12, 25)) if day > today)
        workshop = ordinary_day(today + timedelta(days=30))
        leading = open_context(browser, server, principal, guard)
        page = leading.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        open_page(page, server.url + "?vy=enhet")
        releases = page.locator(".rk-releases")
        expect(releases).to_contain_text("Inte öppnad")
        page.get_by_label("Modul att öppna").select_option(label="Prova på resurskurs")
        field = page.get_by_label("Gruppträffens datum")
        expect(page.locator("#rk-main")).to_contain_text("Skriv året först: år-månad-dag, till exempel 2026-12-10.")
        assert page.evaluate(CLIPPED_LABELS) == []
        assert page.evaluate(FITS)
        screenshot(page, "release-form-390")

        field.fill((today - timedelta(days=1)).isoformat())
        expect(page.locator("#rk-main")).to_contain_text("Datumet har redan varit.")
        page.get_by_role("button", name="Öppna modulen").click()
        expect(page.get_by_role("alert")).to_contain_text("Datumet har redan varit.", timeout=30_000)

        field.fill(christmas.isoformat())
        expect(page.locator("#rk-main")).to_contain_text(f"{christmas.day} december {christmas.year} är juldagen.")
        page.get_by_role("button", name="Öppna modulen").click()
        expect(page.get_by_role("alert")).to_contain_text(f"{christmas.isoformat()} är juldagen. Vill du ändå")
        assert load_releases(server.var).releases == ()

        field.fill(workshop.isoformat())
        expect(field).to_have_value(workshop.isoformat())
        page.get_by_role("button", name="Öppna modulen").click()
        expect(page.locator("p.rk-ok[role=status]")).to_contain_text(
            "Prova på resurskurs är öppnad för", timeout=30_000
        )
        expect(releases).to_contain_text(f"Öppnad · gruppträff {workshop.isoformat()}")
        assert serious_violations(page) == []
        page.set_viewport_size({"width": 1024, "height": 768})
        assert page.evaluate(CLIPPED_LABELS) == []
        screenshot(page, "release")
        leading.close()
        found = load_releases(server.var).to_unit(principal.unit, "prova-pa")
        assert found is not None and found.released_by == principal.id and found.workshop == workshop

        learning = open_context(browser, server, learner, guard)
        opened = open_page(learning.new_page(), server.url + COURSE)
        expect(opened.locator(".rk-player")).to_be_visible(timeout=60_000)
        expect(opened.get_by_text("Modulen är inte öppnad än")).to_have_count(0)
        learning.close()

    def it_keeps_a_release_to_another_unit_from_opening_the_module_here(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard, tmp_path: Path
    ) -> None:
        start(server.var)
        release(server.var, "prova-pa", ["Förskolan Någon annan"], date(2026, 12, 10), None, datetime.now(UTC))
        context = open_context(browser, server, learner, guard)
        page = open_page(context.new_page(), server.url + COURSE)
        expect(page.get_by_role("heading", name="Modulen är inte öppnad än")).to_be_visible()
        context.close()
