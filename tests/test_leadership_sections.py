"""The leadership path on a module's page: guides by role, lättläst, the law with its dates, local routines,
and the 3-month follow-up (due only after three months, shown only where at least five answered)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.core.answers import SurveyAnswer
from resurskurs.core.figures import DISTRICT
from resurskurs.core.review import Review
from resurskurs.district.roster import Role
from resurskurs.district.routines import EMPTY_TEXT
from resurskurs.gradebook.engine import migrated
from resurskurs.learners.follow_up import BASELINE_FOLDER, FollowUpStore, is_due
from resurskurs.learners.follow_up_figures import follow_ups
from resurskurs.player.sections.guides import FACILITATOR, LEADERSHIP, printable
from tests.conftest import REPO
from tests.test_releases import PRINCIPAL, RESOURCE_TEAM, STAFF_EKORREN, router_var, shown_to

__all__ = ["router_var"]

SLUG = "svara-samtal"
HANDED_IN = datetime(2026, 8, 1, 10, 0)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO)


def review(at: datetime) -> Review:
    return Review(submitted_at=at, quiz_score=1, quiz_max=1, reviewed=False, comment="")


class DescribeTheModulePage:
    @pytest.fixture
    def var(self, router_var: Path) -> Path:
        return router_var

    page = staticmethod(shown_to)

    def it_shows_both_guides_to_principals_who_may_lead_the_session_and_never_to_staff(self, var: Path) -> None:
        principal = self.page(PRINCIPAL, f"kurs={SLUG}")
        assert "Ledningens guide" in principal and "Samtalsledarens guide" in principal
        assert "Fallkort att dela ut" in principal
        staff = self.page(STAFF_EKORREN, f"kurs={SLUG}")
        assert "Ledningens guide" not in staff and "Samtalsledarens guide" not in staff

    def it_shows_both_guides_to_the_resource_team(self, var: Path) -> None:
        shown = self.page(RESOURCE_TEAM, f"kurs={SLUG}")
        assert "Ledningens guide" in shown and "Samtalsledarens guide" in shown
        assert "Om någon berättar om oro för ett barn" in shown

    def it_gives_a_printable_guide_only_to_its_readers(self, var: Path) -> None:
        assert "Så startar du modulen" in self.page(PRINCIPAL, f"kurs={SLUG}&utskrift=ledning")
        assert "Ledningens guide är för rektorer och resursteamet." in self.page(
            STAFF_EKORREN, f"kurs={SLUG}&utskrift=ledning"
        )
        assert "Samtalsledarens guide" in self.page(PRINCIPAL, f"kurs={SLUG}&utskrift=samtalsledare")
        assert "Samtalsledarens guide är för rektorer och resursteamet." in self.page(
            STAFF_EKORREN, f"kurs={SLUG}&utskrift=samtalsledare"
        )

    def it_shows_lattlast_the_word_list_the_law_and_empty_routines_to_staff(self, var: Path) -> None:
        shown = self.page(STAFF_EKORREN, f"kurs={SLUG}")
        assert "Lättläst – kort om varje kapitel" in shown and "<dt>vårdnadshavare</dt>" in shown
        assert "Granskas senast" in shown and "Kontrollerad" in shown
        assert "Rutin för orosanmälan" in shown and EMPTY_TEXT in shown

    def it_shows_the_districts_own_routine_when_filled_in(self, var: Path) -> None:
        (var / "routines.yaml").write_text(
            "routines:\n- id: orosanmalan\n  text: Ring rektorn samma dag och skriv anmälan tillsammans.\n",
            encoding="utf-8",
        )
        shown = self.page(STAFF_EKORREN, f"kurs={SLUG}")
        assert "Ring rektorn samma dag och skriv anmälan tillsammans." in shown


class DescribeTheGuides:
    def it_lets_the_resource_team_and_a_leading_rektor_print_the_facilitators_guide(self, catalog: Catalog) -> None:
        course = catalog.module(SLUG).course
        assert printable(course, FACILITATOR, Role.RESOURCE_TEAM) is not None
        assert printable(course, FACILITATOR, Role.PRINCIPAL) is not None
        assert printable(course, FACILITATOR, Role.STAFF) is None
        assert printable(course, LEADERSHIP, Role.STAFF) is None
        assert printable(course, "okand", Role.RESOURCE_TEAM) is None


class DescribeTheFollowUp:
    def it_is_due_only_three_months_after_the_hand_in(self, catalog: Catalog) -> None:
        course = catalog.module(SLUG).course
        assert course.follow_up_survey is not None and course.follow_up_survey.after_days == 90
        assert not is_due(course, None, HANDED_IN + timedelta(days=400))
        assert not is_due(course, review(HANDED_IN), HANDED_IN + timedelta(days=89, hours=23))
        assert is_due(course, review(HANDED_IN), (HANDED_IN + timedelta(days=90)).replace(tzinfo=UTC))

    def it_refuses_an_item_the_follow_up_does_not_ask(self, tmp_path: Path, catalog: Catalog) -> None:
        store = FollowUpStore(tmp_path, SLUG)
        with pytest.raises(ValueError, match="no likert item 'samtal-e1'"):
            store.save("anna", catalog.module(SLUG).course, "likert", "samtal-e1", 4)
        with pytest.raises(ValueError):
            store.save("anna", catalog.module(SLUG).course, "likert", "samtal-f1", 9)
        assert store.all() == {}

    @pytest.fixture
    def gradebook(self, gradebook_url: str) -> str:
        """The gradebook the follow-up's published snapshots are kept in."""
        migrated(gradebook_url)
        return gradebook_url

    def it_shows_a_unit_only_when_five_answered_and_counts_smaller_units_in_the_district_from_their_fifth(
        self, tmp_path: Path, catalog: Catalog, gradebook: str
    ) -> None:
        course = catalog.module(SLUG).course
        store = FollowUpStore(tmp_path, SLUG)
        units = {f"e{i}": "Ekorren" for i in range(6)} | {f"h{i}": "Humlan" for i in range(2)}
        for person in units:
            store.save(person, course, "likert", "samtal-f1", 4)
        store.save("rektor", course, "likert", "samtal-f1", 1)
        shown = follow_ups(tmp_path, catalog, units, gradebook)
        assert shown[(DISTRICT, SLUG)].answered == 6 and shown[("Ekorren", SLUG)].answered == 6
        assert ("Humlan", SLUG) not in shown
        for person in [f"h{i}" for i in range(2, 5)]:
            units[person] = "Humlan"
            store.save(person, course, "open", "samtal-g1", "Vi beskriver i stället för att tolka.")
        shown = follow_ups(tmp_path, catalog, units, gradebook)
        assert shown[("Ekorren", SLUG)].answered == 6 and shown[("Humlan", SLUG)].answered == 5
        assert shown[(DISTRICT, SLUG)].answered == 11

    def it_shows_the_change_since_the_baseline_for_the_same_people_from_five_of_them(
        self, tmp_path: Path, catalog: Catalog, gradebook: str
    ) -> None:
        course = catalog.module(SLUG).course
        after, before = FollowUpStore(tmp_path, SLUG), FollowUpStore(tmp_path, SLUG, BASELINE_FOLDER)
        units = {f"e{i}": "Ekorren" for i in range(7)} | {f"h{i}": "Humlan" for i in range(7)}
        for person in units:
            after.save(person, course, "likert", "samtal-f1", 4)
        for person, rating in {"e0": 2, "e1": 2, "e2": 2, "e3": 2, "x9": 1, "h0": 2, "h1": 2, "h2": 2, "h3": 2}.items():
            before.save(person, course, "likert", "samtal-f1", rating)
        before.save("h4", course, "likert", "samtal-f1", 3)
        shown = follow_ups(tmp_path, catalog, units, gradebook)
        four, five = (shown[(unit, SLUG)].likert[0] for unit in ("Ekorren", "Humlan"))
        assert (four.before, four.paired, four.change) == ((), (), None), "four pairs could point to people"
        assert five.answered == 7 and sum(five.before) == sum(five.paired) == 5
        assert five.before_mean == pytest.approx(2.2) and five.change == pytest.approx(1.8)
        district = shown[(DISTRICT, SLUG)].likert[0]
        assert (district.before, district.paired) == (five.before, five.paired), "the district sums the units' pairs"
        with pytest.raises(ValueError, match="baseline has no open item"):
            before.save("e5", course, "open", "samtal-g1", "Jag gör så här.")

    def it_shows_nothing_below_five_answers_in_the_district(
        self, tmp_path: Path, catalog: Catalog, gradebook: str
    ) -> None:
        store = FollowUpStore(tmp_path, SLUG)
        for person in ("a", "b", "c", "d"):
            store.save(person, catalog.module(SLUG).course, "likert", "samtal-f2", 5)
        assert follow_ups(tmp_path, catalog, dict.fromkeys(("a", "b", "c", "d"), "Ekorren"), gradebook) == {}

    def it_keeps_what_was_answered_as_a_survey_answer(self, tmp_path: Path, catalog: Catalog) -> None:
        store = FollowUpStore(tmp_path, SLUG)
        store.save("anna", catalog.module(SLUG).course, "open", "samtal-g1", "Jag bokar tolk i tid.")
        assert store.load("anna") == SurveyAnswer(open={"samtal-g1": "Jag bokar tolk i tid."})

    def it_copies_a_damaged_answer_file_aside_before_the_next_save(self, tmp_path: Path, catalog: Catalog) -> None:
        store = FollowUpStore(tmp_path, SLUG)
        store.file("anna").parent.mkdir(parents=True)
        store.file("anna").write_text('{"open": {"samtal-g1": "Halv text', encoding="utf-8")
        assert store.load("anna") == SurveyAnswer()
        store.save("anna", catalog.module(SLUG).course, "likert", "samtal-f1", 3)
        (kept,) = store.folder.glob("anna.damaged-*.json.kept")
        assert kept.read_text(encoding="utf-8") == '{"open": {"samtal-g1": "Halv text'
        assert store.load("anna") == SurveyAnswer(likert={"samtal-f1": 3})
