"""Local routines (issue 23, item 12): a unit's own routine before the district's, filled in on the overview by the
unit's principal or the resource team, in the one file beside the roster that a district may also write by hand."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TypeVar

import ipywidgets as w
import pytest

from resurskurs.catalog.problems import ContentError
from resurskurs.district.roster import Person
from resurskurs.district.routines import (
    EMPTY_TEXT,
    ROUTINES_FILE,
    Routine,
    RoutineRefused,
    load_routines,
    read_routines,
    routine_from_form,
    save_routine,
)
from resurskurs.overview.routines_form import UNREADABLE
from resurskurs.ui.html import descendants
from resurskurs.ui.widgets import TextAnswer
from tests.test_releases import (
    EKORREN,
    HUMLAN,
    PRINCIPAL,
    RESOURCE_TEAM,
    STAFF_EKORREN,
    STAFF_HUMLAN,
    router_var,
    texts,
)
from tests.test_releases import shown_to as page

__all__ = ["router_var"]

HAND_WRITTEN = """# Förvaltningens rutiner, skrivna för hand.
routines:
- id: orosanmalan
  text: Ring rektorn samma dag och skriv anmälan tillsammans.
  contact: Rektorn, 08-508 000 00
  url: https://intranat.example.se/orosanmalan
- id: tolkbokning
  text: Boka tolk via förvaltningens avtal.
"""
OWN = Routine(id="tolkbokning", text="Ring tolkförmedlingen dagen innan.", contact="Expeditionen")
SLUG = "svara-samtal"
W = TypeVar("W", bound=w.Widget)


def find(tree: w.Widget, kind: type[W], description: str = "") -> W:
    return next(x for x in descendants(tree) if isinstance(x, kind) and getattr(x, "description", "") == description)


def built(who: Person, query: str) -> w.Widget:
    """The page's widget tree, as the router builds it in the kernel, to type into and click."""
    from resurskurs.learners.identity import PERSON_VARIABLE
    from resurskurs.server.pages import page_for

    return page_for(query, {"RESURSKURS_DEMO": "1", PERSON_VARIABLE: who.id})


class DescribeTheFile:
    def it_shows_a_units_own_routine_before_the_districts_slot_by_slot(self, tmp_path: Path) -> None:
        (tmp_path / ROUTINES_FILE).write_text(
            HAND_WRITTEN + f"units:\n  {EKORREN}:\n  - id: tolkbokning\n    text: Ring tolkförmedlingen.\n"
        )
        routines = read_routines(tmp_path)
        assert routines.shown("tolkbokning", EKORREN).routine.text == "Ring tolkförmedlingen."
        assert routines.shown("tolkbokning", EKORREN).by_unit
        assert routines.shown("tolkbokning", HUMLAN).routine.text == "Boka tolk via förvaltningens avtal."
        assert routines.shown("orosanmalan", EKORREN).routine.contact == "Rektorn, 08-508 000 00"
        assert not routines.shown("samtycke", EKORREN).routine.filled

    def it_names_the_line_of_an_unknown_slot_or_a_slot_given_twice_in_a_units_section(self, tmp_path: Path) -> None:
        (tmp_path / ROUTINES_FILE).write_text(
            f"units:\n  {EKORREN}:\n  - id: tolk\n    text: Ring.\n  - id: samtycke\n    text: A.\n"
            "  - id: samtycke\n    text: B.\n"
        )
        with pytest.raises(ContentError) as raised:
            load_routines(tmp_path)
        assert [problem.describe(tmp_path) for problem in raised.value.problems] == [
            f"routines.yaml:3:5: units.{EKORREN}[0].id: no local-routine slot 'tolk'; expected one of: orosanmalan, "
            "socialtjanst-kontakt, tolkbokning, plan-krankande-behandling, handledning-bestallning, samtycke, "
            "handlingsplan, dokumentation",
            f"routines.yaml:7:5: units.{EKORREN}[2].id: slot 'samtycke' is given twice in this section; keep one",
        ]

    def it_keeps_the_hand_written_district_section_when_a_unit_saves_its_own(self, tmp_path: Path) -> None:
        (tmp_path / ROUTINES_FILE).write_text(HAND_WRITTEN)
        before = load_routines(tmp_path).routines
        saved = save_routine(tmp_path, EKORREN, OWN)
        assert load_routines(tmp_path).routines == before
        assert saved.section(EKORREN) == {"tolkbokning": OWN}
        assert saved.shown("tolkbokning", HUMLAN).routine.text == "Boka tolk via förvaltningens avtal."

    def it_takes_a_slot_out_of_the_section_when_it_is_emptied(self, tmp_path: Path) -> None:
        save_routine(tmp_path, EKORREN, OWN)
        emptied = save_routine(tmp_path, EKORREN, Routine(id="tolkbokning"))
        assert emptied.book.units == {}
        assert "\nunits:" not in (tmp_path / ROUTINES_FILE).read_text()

    @pytest.mark.parametrize("broken", ["routines:\n- id: tolk\n", "routines:\n- id: samtycke\n  text: [öppen\n"])
    def it_writes_nothing_over_a_file_it_cannot_read(self, tmp_path: Path, broken: str) -> None:
        (tmp_path / ROUTINES_FILE).write_text(broken)
        with pytest.raises(RoutineRefused, match="filen med rutinerna har ett fel"):
            save_routine(tmp_path, EKORREN, OWN)
        assert (tmp_path / ROUTINES_FILE).read_text() == broken
        assert read_routines(tmp_path).problem is not None

    def it_keeps_both_of_two_saves_at_once(self, tmp_path: Path) -> None:
        slots = ["orosanmalan", "samtycke", "tolkbokning", "dokumentation"]
        threads = [
            threading.Thread(target=save_routine, args=(tmp_path, EKORREN, Routine(id=slot, text=f"Om {slot}.")))
            for slot in slots
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert set(read_routines(tmp_path).section(EKORREN)) == set(slots)


class DescribeWhatTheFormTakes:
    def it_leaves_blank_fields_out_and_refuses_a_link_that_is_no_web_address_in_swedish(self) -> None:
        routine = routine_from_form("tolkbokning", "  Ring.  ", "", "https://intranat.example.se/tolk")
        assert (routine.text, routine.contact, str(routine.url)) == ("Ring.", None, "https://intranat.example.se/tolk")
        with pytest.raises(RoutineRefused, match="börjar med https://"):
            routine_from_form("tolkbokning", "Ring.", "", "intranätet")
        with pytest.raises(RoutineRefused, match="Texten är längre än 2000 tecken"):
            routine_from_form("tolkbokning", "Ring. " * 400, "", "")


class DescribeTheModulePage:
    def it_shows_staff_their_units_routine_and_another_units_staff_the_districts(self, router_var: Path) -> None:
        (router_var / ROUTINES_FILE).write_text(HAND_WRITTEN)
        save_routine(router_var, EKORREN, OWN)
        ekorren, humlan = page(STAFF_EKORREN, f"kurs={SLUG}"), page(STAFF_HUMLAN, f"kurs={SLUG}")
        assert "Ring tolkförmedlingen dagen innan." in ekorren and "Rutinen är förskoleenhetens egen." in ekorren
        assert "Boka tolk via förvaltningens avtal." not in ekorren
        assert "Boka tolk via förvaltningens avtal." in humlan and "Ring tolkförmedlingen" not in humlan
        assert "Läs förvaltningens rutin" in ekorren, "the district's orosanmälan routine, which the unit left alone"
        assert EMPTY_TEXT in ekorren, "a slot neither filled in still says to ask the principal"

    def it_puts_the_units_routine_in_the_facilitators_guide(self, router_var: Path) -> None:
        save_routine(router_var, EKORREN, Routine(id="orosanmalan", text="Ring rektorn på Ekorren direkt."))
        assert "Ring rektorn på Ekorren direkt." in page(PRINCIPAL, f"kurs={SLUG}&utskrift=samtalsledare")
        assert "Ring rektorn på Ekorren direkt." not in page(RESOURCE_TEAM, f"kurs={SLUG}&utskrift=samtalsledare")


class DescribeTheForm:
    def it_lets_a_principal_fill_in_a_routine_for_the_unit_they_choose_and_says_what_was_saved(
        self, router_var: Path
    ) -> None:
        (router_var / ROUTINES_FILE).write_text(HAND_WRITTEN)
        tree = built(PRINCIPAL, "vy=enhet")
        assert find(tree, w.Dropdown, "Enhet").options == ((EKORREN, 0), (HUMLAN, 1))
        find(tree, w.Dropdown, "Enhet").value = 1
        find(tree, w.Dropdown, "Rutin").value = "tolkbokning"
        assert "Förvaltningens text: ”Boka tolk via förvaltningens avtal.”" in texts(tree)
        find(tree, TextAnswer).value = "Ring tolkförmedlingen dagen innan."
        find(tree, w.Text, "Kontakt").value = "Expeditionen"
        find(tree, w.Button, "Spara rutinen").click()
        assert (
            f'<p role="status" class="rk-ok">Sparat för {HUMLAN}: Så bokar ni tolk (text och kontakt). '
            "Personalen ser nu rutinen i modulerna.</p>"
        ) in texts(tree)
        assert "<li><strong>Så bokar ni tolk:</strong> er egen rutin</li>" in texts(tree)
        assert read_routines(router_var).section(HUMLAN) == {"tolkbokning": OWN}
        assert "Ring tolkförmedlingen dagen innan." in page(STAFF_HUMLAN, f"kurs={SLUG}")

    def it_refuses_a_childs_name_in_plain_swedish_and_saves_nothing(self, router_var: Path) -> None:
        tree = built(PRINCIPAL, "vy=enhet")
        find(tree, TextAnswer).value = "Om pojken Omar inte vill gå hem, ring rektorn."
        find(tree, w.Button, "Spara rutinen").click()
        assert "Rutinen verkar nämna ett barns namn (”pojken Omar”)." in texts(tree)
        assert not (router_var / ROUTINES_FILE).exists()

    def it_lets_the_resource_team_fill_in_the_districts_routine_on_the_district_page(self, router_var: Path) -> None:
        tree = built(RESOURCE_TEAM, "vy=forvaltning")
        find(tree, w.Dropdown, "Rutin").value = "samtycke"
        find(tree, w.Text, "Länk").value = "https://intranat.example.se/samtycke"
        find(tree, w.Button, "Spara rutinen").click()
        assert "Sparat för hela förvaltningen: Samtycke från vårdnadshavare (länk)." in texts(tree)
        assert str(read_routines(router_var).section(None)["samtycke"].url) == "https://intranat.example.se/samtycke"

    def it_shows_a_broken_file_instead_of_the_form_and_the_resource_team_where_it_is_wrong(
        self, router_var: Path
    ) -> None:
        (router_var / ROUTINES_FILE).write_text("routines:\n- id: tolk\n")
        principal = built(PRINCIPAL, "vy=enhet")
        assert UNREADABLE in texts(principal)
        assert not [x for x in descendants(principal) if isinstance(x, w.Button) and x.description == "Spara rutinen"]
        assert "routines.yaml:2:3: routines[0].id: no local-routine slot" in page(RESOURCE_TEAM, "vy=forvaltning")
        assert (router_var / ROUTINES_FILE).read_text() == "routines:\n- id: tolk\n"
