"""Every page that is not for everyone says, to each person it turns away, whom it is for: a rektor who opens
Granska reads that Granska is for the resource team, never that the page is for rektorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from resurskurs.district.roster import Person
from tests.test_releases import PRINCIPAL, RESOURCE_TEAM, STAFF_EKORREN, router_var, shown_to

__all__ = ["router_var"]

SLUG = "svara-samtal"
REFUSED = "<h1>Sidan är inte till för dig</h1>"
TURNED_AWAY: list[tuple[str, Person, str]] = [
    ("vy=enhet", STAFF_EKORREN, "Översikten för förskoleenheten är för rektorer och resursteamet."),
    ("vy=forvaltning", STAFF_EKORREN, "Översikten för hela förvaltningen är för resursteamet."),
    ("vy=forvaltning", PRINCIPAL, "Översikten för hela förvaltningen är för resursteamet."),
    ("vy=granska", STAFF_EKORREN, "Granska är för resursteamet."),
    ("vy=granska", PRINCIPAL, "Granska är för resursteamet."),
    (f"kurs={SLUG}&utskrift=ledning", STAFF_EKORREN, "Ledningens guide är för rektorer och resursteamet."),
    (f"kurs={SLUG}&utskrift=samtalsledare", STAFF_EKORREN, "Samtalsledarens guide är för rektorer och resursteamet."),
]
"""Each page that turns someone away, each role it turns away, and the words they must read."""
OWN_PAGE = {
    STAFF_EKORREN.role: '<a href="?">Gå till dina moduler</a>',
    PRINCIPAL.role: '<a href="?vy=enhet">Gå till översikten för din förskoleenhet</a>',
}


class DescribeARefusal:
    @pytest.mark.parametrize(("query", "who", "words"), TURNED_AWAY, ids=[f"{q}-{p.role}" for q, p, _ in TURNED_AWAY])
    def it_names_whom_the_page_is_for_and_leads_to_the_persons_own_page(
        self, router_var: Path, query: str, who: Person, words: str
    ) -> None:
        shown = shown_to(who, query)
        assert REFUSED in shown
        assert words in shown
        assert OWN_PAGE[who.role] in shown

    def it_says_an_address_that_is_no_page_is_no_page(self, router_var: Path) -> None:
        shown = shown_to(RESOURCE_TEAM, "vy=nagot-annat")
        assert "<h1>Sidan finns inte</h1>" in shown and REFUSED not in shown
        assert '<a href="?vy=forvaltning">Gå till översikten för hela förvaltningen</a>' in shown
