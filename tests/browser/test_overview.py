"""The principal's and the resource team's views in a real Voilà server, driven by Debian's Chromium."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from pptx import Presentation

from resurskurs.catalog.load import load_catalog
from resurskurs.demo.district import demo_district
from resurskurs.demo.plans import bulk_plans, plan_progress
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.testing.browser import Guard, PrepareVar, open_context, open_page, screenshot, serious_violations
from resurskurs.testing.server import PlayerServer
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from resurskurs.ui.formats import number

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def district_with_progress(player_root: Path, var: Path) -> list[Person]:
    """Two units with progress written through nbgrader's tables in `var`, before a server starts on it."""
    people = demo_district(staff=24, units=2, seed=21)
    write_roster(people, var / "roster.csv")
    catalog = load_catalog(player_root)
    course_dir = CourseDir(var / "exercises", f"sqlite:///{var / 'gradebook.db'}")
    import_people(people, course_dir)
    build(catalog, course_dir)
    bulk_plans(plan_progress(people, catalog, 21, NOW), catalog, course_dir)
    return people


@pytest.fixture
def people(tmp_path: Path, player_root: Path, prepared_var: PrepareVar) -> list[Person]:
    return prepared_var("district-with-progress", lambda var: district_with_progress(player_root, var),
                        tmp_path / "var")


def first(people: list[Person], role: Role, unit: str | None = None) -> Person:
    return next(p for p in people if p.role is role and (unit is None or p.unit == unit))


@contextmanager
def view(browser: Browser, server: PlayerServer, person: Person, guard: Guard, query: str) -> Iterator[Page]:
    """The overview `query` opened as `person`, once its first table has rendered."""
    context = open_context(browser, server, person, guard)
    page = context.new_page()
    open_page(page, server.url + query)
    page.locator(".rk-table").first.wait_for(timeout=60_000)
    page.locator(".rk-chart").first.wait_for(timeout=60_000)
    expect(page.locator('.rk-chart:not([data-state="drawn"])')).to_have_count(0, timeout=60_000)
    yield page
    context.close()


def table_cells(page: Page, title: str) -> list[list[str]]:
    rows = page.locator(f'table[data-table="{title}"] tr')
    return [[cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in rows.all()]


def as_text(value: object) -> str:
    """A cell from the Excel file as the page writes it (Swedish number format)."""
    return "–" if value is None else number(value, 1) if isinstance(value, int | float) else str(value)


class DescribeThePrincipalsView:
    def it_shows_their_units_staff_and_none_of_another_units(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        principal = first(people, Role.PRINCIPAL)
        with view(browser, server, principal, guard, "?vy=enhet") as page:
            shown = set(page.locator(".rk-matrix tbody th").all_inner_texts())
            own = {p.name for p in people if p.role is Role.STAFF and p.unit == principal.unit}
            others = {p.name for p in people if p.unit != principal.unit} - own
            assert shown == own
            content = page.content()
            assert not [name for name in others if name in content]
            assert page.get_by_role("heading", level=1).inner_text() == principal.unit
            expect(page.locator(".rk-chart svg").first).to_be_visible()
            assert serious_violations(page) == []
            screenshot(page, "unit-overview")

    def it_downloads_an_xlsx_with_the_numbers_on_the_screen(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        principal = first(people, Role.PRINCIPAL)
        with view(browser, server, principal, guard, "?vy=enhet") as page:
            on_screen = table_cells(page, "Moduler")
            before = date.today()
            with page.expect_download() as download:
                page.get_by_role("button", name="Ladda ner Excel-fil").click()
            stem = f"framsteg-{principal.unit.lower().replace(' ', '-')}"
            days = {before, date.today()}
            assert download.value.suggested_filename in {f"{stem}-{day.isoformat()}.xlsx" for day in days}
            workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
            in_file = [[as_text(v) for v in row] for row in workbook["Moduler"].iter_rows(values_only=True)]
            assert in_file == on_screen
            assert len(on_screen) > 1

    def it_turns_away_staff_who_ask_for_an_overview(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        context = open_context(browser, server, first(people, Role.STAFF), guard)
        page = open_page(context.new_page(), server.url + "?vy=forvaltning")
        expect(page.get_by_role("heading", name="Sidan är inte till för dig")).to_be_visible()
        assert page.locator(".rk-table").count() == 0
        context.close()


class DescribeASignedInPrincipal:
    def it_is_known_from_the_gradebook_without_the_roster_file_with_every_unit_they_lead(
        self, browser: Browser, player_root: Path, tmp_path: Path, people: list[Person], guard: Guard
    ) -> None:
        var = tmp_path / "var"
        (var / "roster.csv").unlink()
        principal = first(people, Role.PRINCIPAL)
        leader = replace(principal, more_units=tuple(sorted({p.unit for p in people} - {principal.unit})))
        import_people([leader], CourseDir(var / "exercises", f"sqlite:///{var / 'gradebook.db'}"))
        server = PlayerServer(player_root, var, user=leader.id).start()
        try:
            with view(browser, server, leader, guard, "?vy=enhet") as page:
                assert page.get_by_role("heading", level=1).inner_text() == ", ".join(leader.units)
                assert leader.name in page.locator(".rk-who").inner_text()
                shown = set(page.locator(".rk-matrix tbody th").all_inner_texts())
                assert shown == {p.name for p in people if p.role is Role.STAFF}
                assert len({p.unit for p in people if p.role is Role.STAFF}) == 2
        finally:
            server.stop()


class DescribeTheResourceTeamsView:
    def it_shows_every_unit_and_counts_only_units_with_five_answers_in_the_districts_evaluation(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        with view(browser, server, first(people, Role.RESOURCE_TEAM), guard, "?vy=forvaltning") as page:
            staffed = {p.unit for p in people if p.role is Role.STAFF}
            units = {row[0] for row in table_cells(page, "Moduler")[1:]}
            assert units == {"Hela förvaltningen"} | staffed
            evaluated = table_cells(page, "Utvärdering")[1:]
            shown = {row[0] for row in evaluated} - {"Hela förvaltningen"}
            assert shown and shown < staffed  # the seeded district has a unit below five answers
            district: dict[tuple[str, str], list[int]] = {}
            summed: dict[tuple[str, str], list[int]] = {}
            for group, module, statement, *cells in evaluated:
                answers, total = [int(cell) for cell in cells[:5]], int(cells[-1])
                if group == "Hela förvaltningen":
                    district[(module, statement)] = answers
                else:
                    assert total >= 5, (group, module, statement, total)
                    before = summed.setdefault((module, statement), [0] * 5)
                    summed[(module, statement)] = [a + b for a, b in zip(before, answers, strict=True)]
            assert district and district == summed  # nothing of a hidden unit is left to subtract
            expect(page.locator("#rk-main")).to_contain_text("bara de enheterna räknas in i hela förvaltningen")
            assert serious_violations(page) == []
            screenshot(page, "district-overview")

    def it_downloads_a_workshop_deck_with_the_units_progress(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        with view(browser, server, first(people, Role.RESOURCE_TEAM), guard, "?vy=forvaltning") as page:
            page.get_by_label("Enhet", exact=True).select_option("Förskolan Ekorren")
            with page.expect_download() as download:
                page.get_by_role("button", name="Ladda ner bildspel").click()
            assert download.value.suggested_filename == "workshop-prova-pa-förskolan-ekorren.pptx"
            deck = Presentation(download.value.path())
            assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
