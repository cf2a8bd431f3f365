"""Ledningen först: modules open to principals first, and to staff once their principal releases them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import ipywidgets as w
import pytest

from resurskurs.district.days_off import day_off
from resurskurs.district.releases import (
    UNREADABLE,
    ReleaseRefused,
    load_releases,
    release,
    release_file,
    start,
)
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.learners.identity import PERSON_VARIABLE
from resurskurs.ui.html import descendants

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
GRUPPTRAFF = date(2026, 12, 10)
EKORREN, HUMLAN, BLAKLOCKAN = "Förskolan Ekorren", "Förskolan Humlan", "Förskolan Blåklockan"


def person(person_id: str, unit: str, role: Role, *more: str) -> Person:
    return Person(person_id, person_id.title(), "Test", f"{person_id}@forskola.example", unit, "Lag", role, more)


STAFF_EKORREN = person("anna", EKORREN, Role.STAFF)
STAFF_HUMLAN = person("bo", HUMLAN, Role.STAFF)
STAFF_BLAKLOCKAN = person("cia", BLAKLOCKAN, Role.STAFF)
PRINCIPAL = person("lars", EKORREN, Role.PRINCIPAL, HUMLAN)
OTHER_PRINCIPAL = person("maja", BLAKLOCKAN, Role.PRINCIPAL)
RESOURCE_TEAM = person("rut", "Resursteamet", Role.RESOURCE_TEAM)
SLUG = "trygga-relationer"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    start(tmp_path)
    return tmp_path


class DescribeTheRule:
    def it_keeps_every_module_open_until_the_district_turns_it_on(self, tmp_path: Path) -> None:
        releases = load_releases(tmp_path)
        assert not releases.started
        assert releases.opens(STAFF_EKORREN, SLUG)

    def it_closes_a_module_to_staff_until_it_is_released_to_their_unit(self, folder: Path) -> None:
        releases = load_releases(folder)
        assert releases.started
        assert not releases.opens(STAFF_EKORREN, SLUG)

    def it_opens_every_module_to_principals_and_the_resource_team_first(self, folder: Path) -> None:
        releases = load_releases(folder)
        assert releases.opens(PRINCIPAL, SLUG) and releases.opens(OTHER_PRINCIPAL, SLUG)
        assert releases.opens(RESOURCE_TEAM, SLUG)

    def it_says_once_that_it_was_started(self, folder: Path) -> None:
        assert start(folder) is False


class DescribeReleasing:
    def it_opens_the_module_for_exactly_the_principals_chosen_units(self, folder: Path) -> None:
        release(folder, SLUG, [EKORREN], GRUPPTRAFF, PRINCIPAL, NOW)
        releases = load_releases(folder)
        assert releases.opens(STAFF_EKORREN, SLUG)
        assert not releases.opens(STAFF_HUMLAN, SLUG)
        assert not releases.opens(STAFF_BLAKLOCKAN, SLUG)
        assert not releases.opens(STAFF_EKORREN, "lek-och-samspel")
        found = releases.to_unit(EKORREN, SLUG)
        assert found is not None and found.workshop == GRUPPTRAFF and found.released_by == "lars"

    def it_refuses_a_unit_the_principal_does_not_lead(self, folder: Path) -> None:
        with pytest.raises(ReleaseRefused, match="bara öppna moduler för dina egna enheter, inte för Förskolan Blå"):
            release(folder, SLUG, [EKORREN, BLAKLOCKAN], GRUPPTRAFF, PRINCIPAL, NOW)
        assert load_releases(folder).releases == ()

    def it_refuses_staff(self, folder: Path) -> None:
        with pytest.raises(ReleaseRefused):
            release(folder, SLUG, [EKORREN], GRUPPTRAFF, STAFF_EKORREN, NOW)

    def it_lets_the_resource_team_release_to_any_unit(self, folder: Path) -> None:
        release(folder, SLUG, [BLAKLOCKAN], GRUPPTRAFF, RESOURCE_TEAM, NOW)
        release(folder, SLUG, [HUMLAN], GRUPPTRAFF, None, NOW)
        assert [r.unit for r in load_releases(folder).for_units([BLAKLOCKAN, HUMLAN])] == [BLAKLOCKAN, HUMLAN]

    def it_moves_the_date_when_released_again(self, folder: Path) -> None:
        release(folder, SLUG, [EKORREN, HUMLAN], GRUPPTRAFF, PRINCIPAL, NOW)
        release(folder, SLUG, [HUMLAN], date(2027, 1, 14), PRINCIPAL, NOW)
        releases = load_releases(folder)
        assert [(r.unit, r.workshop) for r in releases.for_units(PRINCIPAL.units)] == [
            (EKORREN, GRUPPTRAFF),
            (HUMLAN, date(2027, 1, 14)),
        ]

    def it_refuses_a_principal_a_grupptraff_already_past_and_lets_the_command_line_record_one(
        self, folder: Path
    ) -> None:
        with pytest.raises(ReleaseRefused, match=r"^Datumet har redan varit"):
            release(folder, SLUG, [EKORREN], date(2026, 11, 29), PRINCIPAL, NOW)
        assert load_releases(folder).releases == ()
        release(folder, SLUG, [EKORREN], NOW.date(), PRINCIPAL, NOW)
        release(folder, SLUG, [HUMLAN], date(2026, 11, 2), None, NOW)
        assert len(load_releases(folder).releases) == 2

    def it_does_not_release_before_the_district_turns_the_rule_on(self, tmp_path: Path) -> None:
        with pytest.raises(ReleaseRefused, match="inte påslaget"):
            release(tmp_path, SLUG, [EKORREN], GRUPPTRAFF, PRINCIPAL, NOW)
        assert not release_file(tmp_path).exists()

    def it_keeps_both_of_two_principals_releasing_at_once(self, folder: Path) -> None:
        ready = threading.Barrier(8)

        def one(slug: str, by: Person, unit: str) -> None:
            ready.wait()
            release(folder, slug, [unit], GRUPPTRAFF, by, NOW)

        slugs = ["trygga-relationer", "lek-och-samspel", "takk", "svara-samtal"]
        threads = [threading.Thread(target=one, args=(s, PRINCIPAL, EKORREN)) for s in slugs]
        threads += [threading.Thread(target=one, args=(s, OTHER_PRINCIPAL, BLAKLOCKAN)) for s in slugs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(load_releases(folder).releases) == 8


class DescribeDaysOff:
    @pytest.mark.parametrize(
        ("day", "said"),
        [
            (date(2026, 12, 24), "julafton"),
            (date(2026, 12, 25), "juldagen"),
            (date(2027, 1, 1), "nyårsdagen"),
            (date(2027, 6, 25), "midsommarafton"),
            (date(2027, 3, 26), "långfredagen"),
            (date(2026, 12, 12), "en lördag"),
            (date(2026, 12, 8), None),
        ],
    )
    def it_names_swedish_holidays_the_eves_preschools_close_and_weekends(self, day: date, said: str | None) -> None:
        assert day_off(day) == said


class DescribeTheDemoDistrict:
    def it_releases_what_each_unit_has_begun_and_leaves_the_rest_for_the_principal(self, tmp_path: Path) -> None:
        from resurskurs.catalog.load import load_catalog
        from resurskurs.demo.district import demo_district
        from resurskurs.demo.plans import plan_progress
        from resurskurs.demo.releases import release_begun
        from tests.conftest import REPO

        catalog = load_catalog(REPO)
        people = demo_district(staff=24, units=2, seed=1)
        plans = plan_progress(people, catalog, 1, NOW)
        release_file(tmp_path).write_text('{"releases": []}')
        release_begun(tmp_path, plans, people, catalog, NOW)
        releases = load_releases(tmp_path)
        by_id = {person.id: person for person in people}
        assert all(releases.opens(by_id[plan.person_id], plan.slug) for plan in plans), "no progress in a closed module"
        units = sorted({person.unit for person in people if person.role is Role.STAFF})
        for unit in units:
            released = {found.slug for found in releases.for_units([unit])}
            assert released, f"{unit} has begun modules"
            assert len(released) < len(catalog.modules), f"in {unit} some modules wait for the principal"
        assert [found.workshop for found in releases.releases if day_off(found.workshop)] == [], "no juldagen"


class DescribeADamagedFile:
    @pytest.mark.parametrize(
        ("content", "where"),
        [
            (b'{"releases": [', "Invalid JSON"),
            (
                b'{"releases": [{"slug": "takk", "unit": "X", "workshop": "10/12", "released_at": "2026-11-30"}]}',
                "releases.0.workshop",
            ),
            (b'{"releases": [], "open": true}', "open"),
        ],
    )
    def it_closes_modules_to_staff_and_names_the_problem(self, folder: Path, content: bytes, where: str) -> None:
        release(folder, SLUG, [EKORREN], GRUPPTRAFF, PRINCIPAL, NOW)
        release_file(folder).write_bytes(content)
        releases = load_releases(folder)
        assert releases.problem is not None and where in releases.problem and "releases.json" in releases.problem
        assert not releases.opens(STAFF_EKORREN, SLUG)
        assert releases.opens(PRINCIPAL, SLUG) and releases.opens(RESOURCE_TEAM, SLUG)

    def it_is_never_overwritten_by_a_release(self, folder: Path) -> None:
        release_file(folder).write_bytes(b"{ broken")
        with pytest.raises(ReleaseRefused, match="Vi kan inte läsa vilka moduler"):
            release(folder, SLUG, [EKORREN], GRUPPTRAFF, PRINCIPAL, NOW)
        assert release_file(folder).read_bytes() == b"{ broken"

    def it_refuses_the_same_module_and_unit_twice(self, folder: Path) -> None:
        one = {"slug": SLUG, "unit": EKORREN, "workshop": "2026-12-10", "released_at": "2026-11-30T08:00:00Z"}
        release_file(folder).write_text(json.dumps({"releases": [one, one]}))
        problem = load_releases(folder).problem
        assert problem is not None and "released to 'Förskolan Ekorren' twice" in problem


def texts(widget: w.Widget) -> str:
    """Every piece of HTML in a widget tree, in order."""
    return "".join(part.value for part in descendants(widget) if isinstance(part, w.HTML))


@pytest.fixture
def router_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A var folder with a fictional roster that `page_for` reads in demo mode, the rule not yet on."""
    from resurskurs.server import pages

    var = tmp_path / "var"
    write_roster([STAFF_EKORREN, STAFF_HUMLAN, PRINCIPAL, RESOURCE_TEAM], var / "roster.csv")
    monkeypatch.setenv("RESURSKURS_VAR", str(var))
    monkeypatch.setenv("RESURSKURS_EXERCISES", str(var / "exercises"))
    pages.demo_roster.cache_clear()
    yield var
    pages.demo_roster.cache_clear()


def shown_to(who: Person, query: str) -> str:
    """The HTML of the page `who` gets for `query`, built by the router as in the kernel."""
    from resurskurs.server.pages import page_for

    return texts(page_for(query, {"RESURSKURS_DEMO": "1", PERSON_VARIABLE: who.id}))


class DescribeTheRouter:
    """`page_for` in the kernel: the check happens on the server, whatever address is asked for."""

    @pytest.fixture
    def var(self, router_var: Path) -> Path:
        start(router_var)
        return router_var

    page = staticmethod(shown_to)

    def it_refuses_staff_an_unreleased_module_in_swedish(self, var: Path) -> None:
        shown = self.page(STAFF_EKORREN, f"kurs={SLUG}")
        assert "<h1>Modulen är inte öppnad än</h1>" in shown
        assert "Din rektor öppnar modulen för er förskoleenhet inför er gruppträff." in shown
        assert 'id="rk-fordjupning"' not in shown

    def it_opens_the_module_once_released_to_the_unit_and_only_there(self, var: Path) -> None:
        release(var, SLUG, [EKORREN], GRUPPTRAFF, PRINCIPAL, NOW)
        assert 'id="rk-fordjupning"' in self.page(STAFF_EKORREN, f"kurs={SLUG}")
        assert "Modulen är inte öppnad än" in self.page(STAFF_HUMLAN, f"kurs={SLUG}")

    def it_lists_unreleased_modules_as_not_open_without_a_link(self, var: Path) -> None:
        release(var, SLUG, [EKORREN], GRUPPTRAFF, PRINCIPAL, NOW)
        shown = self.page(STAFF_EKORREN, "")
        assert f'href="?kurs={SLUG}"' in shown
        assert 'href="?kurs=takk"' not in shown
        assert shown.count("Inte öppnad än") == shown.count("rk-course-card rk-closed") > 1

    def it_opens_every_module_to_principals_and_the_resource_team(self, var: Path) -> None:
        for who in (PRINCIPAL, RESOURCE_TEAM):
            assert 'id="rk-fordjupning"' in self.page(who, f"kurs={SLUG}")
            assert "Inte öppnad än" not in self.page(who, "")

    def it_tells_everyone_when_the_release_file_is_damaged(self, var: Path) -> None:
        release_file(var).write_text("{ broken")
        assert UNREADABLE in self.page(STAFF_EKORREN, f"kurs={SLUG}")
        assert UNREADABLE in self.page(STAFF_EKORREN, "")
        assert UNREADABLE in self.page(PRINCIPAL, "vy=enhet")

    def it_shows_the_principal_what_is_released_to_their_units_and_when(self, var: Path) -> None:
        release(var, SLUG, [HUMLAN], GRUPPTRAFF, PRINCIPAL, NOW)
        shown = self.page(PRINCIPAL, "vy=enhet")
        assert "Öppna moduler för personalen" in shown
        assert f'<th scope="col">{EKORREN}</th><th scope="col">{HUMLAN}</th>' in shown
        assert "<td>Inte öppnad</td><td>Öppnad · gruppträff 2026-12-10</td>" in shown


class DescribeTheCommand:
    """`resurskurs release` for the resource team."""

    def it_turns_the_rule_on_lists_releases_and_names_a_damaged_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from typer.testing import CliRunner

        from resurskurs.cli import app

        monkeypatch.setenv("RESURSKURS_VAR", str(tmp_path))
        runner = CliRunner()
        assert "ledningen först is off" in runner.invoke(app, ["release"]).output
        assert runner.invoke(app, ["release", "--start"]).output.startswith("turned on:")
        release(tmp_path, SLUG, [EKORREN], GRUPPTRAFF, None, NOW)
        assert f"{EKORREN}\t{SLUG}\tgruppträff 2026-12-10" in runner.invoke(app, ["release"]).output
        missing = runner.invoke(app, ["release", SLUG])
        assert missing.exit_code == 1 and "expected --unit (one or more) and --date" in missing.output
        release_file(tmp_path).write_text("{ broken")
        damaged = runner.invoke(app, ["release"])
        assert damaged.exit_code == 1 and "releases.json" in damaged.output and "staff see no module" in damaged.output
