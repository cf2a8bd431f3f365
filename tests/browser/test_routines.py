"""Local routines through the real Voilà server (issue 23, item 12): a principal fills in a routine for their unit
on the unit page, the resource team one for the district on the district page, and the file beside the roster
holds both."""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from resurskurs.district.roster import Person, Role
from resurskurs.district.routines import read_routines
from resurskurs.testing.browser import ARTIFACTS, Guard, open_context, open_page, screenshot, serious_violations
from resurskurs.testing.server import PlayerServer

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}


def first(people: list[Person], role: Role) -> Person:
    return next(person for person in people if person.role is role)


def routines_form(page: Page, query: str) -> Locator:
    """The form on an overview, once the page around it has rendered."""
    open_page(page, query)
    form = page.locator(".rk-routine-form")
    expect(form.get_by_role("button", name="Spara rutinen")).to_be_visible(timeout=60_000)
    return form


def fits(page: Page, form: Locator) -> list[str]:
    """What does not fit at this width: the page scrolling sideways, or a label or field cut off in the form."""
    problems = []
    if page.evaluate("document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"):
        problems.append("the page scrolls sideways")
    for label in form.locator("label").all():
        if label.evaluate("(e) => e.scrollWidth > e.clientWidth"):
            problems.append(f"clipped label: {label.inner_text()}")
    return problems


class DescribeTheRoutinesForm:
    def it_lets_a_principal_and_the_resource_team_fill_in_routines_and_says_what_was_saved(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        principal = first(people, Role.PRINCIPAL)
        context = open_context(browser, server, principal, guard)
        page = context.new_page()
        page.set_viewport_size(PHONE)
        form = routines_form(page, server.url + "?vy=enhet")
        expect(form).to_contain_text(f"Det här ser personalen på {principal.unit} nu:")
        assert fits(page, form) == []
        form.get_by_label("Rutin", exact=True).select_option(label="Så bokar ni tolk")
        form.get_by_label("Så gör ni").fill("Om pojken Omar behöver tolk, ring expeditionen.")
        form.get_by_role("button", name="Spara rutinen").click()
        expect(form.get_by_role("alert")).to_contain_text("Rutinen verkar nämna ett barns namn (”pojken Omar”)")
        assert not (server.var / "routines.yaml").exists()

        form.get_by_label("Så gör ni").fill("Ring expeditionen dagen innan, så bokar de tolk via avtalet.")
        form.get_by_label("Kontakt").fill("Expeditionen, 08-508 000 00")
        form.get_by_label("Länk").fill("https://intranat.example.se/tolk")
        form.get_by_role("button", name="Spara rutinen").click()
        expect(form.get_by_role("status")).to_have_text(
            f"Sparat för {principal.unit}: Så bokar ni tolk (text, kontakt och länk). "
            "Personalen ser nu rutinen i modulerna.",
            timeout=30_000,
        )
        expect(form.locator(".rk-routine-list")).to_contain_text("Så bokar ni tolk: er egen rutin")
        assert fits(page, form) == []
        assert serious_violations(page) == []
        screenshot(page, "routines-unit-390")
        form.screenshot(path=str(ARTIFACTS / "routines-form-390.png"))
        page.set_viewport_size(TABLET)
        assert fits(page, form) == []
        form.screenshot(path=str(ARTIFACTS / "routines-form-1024.png"))
        context.close()
        saved = read_routines(server.var).section(principal.unit)["tolkbokning"]
        assert (saved.text, saved.contact, str(saved.url)) == (
            "Ring expeditionen dagen innan, så bokar de tolk via avtalet.",
            "Expeditionen, 08-508 000 00",
            "https://intranat.example.se/tolk",
        )

        team = open_context(browser, server, first(people, Role.RESOURCE_TEAM), guard)
        district = team.new_page()
        district.set_viewport_size(TABLET)
        form = routines_form(district, server.url + "?vy=forvaltning")
        expect(form).to_contain_text(f"Enheter med egna rutiner: {principal.unit} (1).")
        form.get_by_label("Rutin", exact=True).select_option(label="Rutin för orosanmälan")
        form.get_by_label("Så gör ni").fill("Prata med rektorn samma dag. Rektorn gör anmälan tillsammans med dig.")
        form.get_by_role("button", name="Spara rutinen").click()
        expect(form.get_by_role("status")).to_contain_text(
            "Sparat för hela förvaltningen: Rutin för orosanmälan (text).", timeout=30_000
        )
        assert serious_violations(district) == []
        form.screenshot(path=str(ARTIFACTS / "routines-district-1024.png"))
        team.close()
        routines = read_routines(server.var)
        assert routines.shown("orosanmalan", principal.unit).routine.text is not None
        assert routines.shown("tolkbokning", principal.unit).by_unit
