"""A learner's identity, drafts and flashcard boxes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from resurskurs.demo.district import demo_district
from resurskurs.district.roster import Person, Role, Roster
from resurskurs.learners.identity import PERSON_VARIABLE, identify
from resurskurs.learners.leitner import CardState, next_cards
from resurskurs.learners.store import AnswerStore, Draft

ROSTER = Roster(demo_district(staff=4, units=1, seed=3), [])
SOMEONE = ROSTER.people[0].id


class DescribeAnswerStore:
    def it_keeps_other_keys_when_one_is_saved(self, tmp_path: Path) -> None:
        first, second = AnswerStore(tmp_path, SOMEONE), AnswerStore(tmp_path, SOMEONE)
        first.save("takk", ("reflection",), "Det jag tar med mig")
        second.save("takk", ("logbook", "stopp-1"), "En tanke")
        assert first.load("takk").to_json() == {"reflection": "Det jag tar med mig", "logbook": {"stopp-1": "En tanke"}}

    def it_keeps_a_corrupt_file_and_copies_it_aside_before_writing_again(self, tmp_path: Path) -> None:
        store = AnswerStore(tmp_path, SOMEONE)
        store.file("takk").parent.mkdir(parents=True)
        store.file("takk").write_text('{"reflection": "halv', encoding="utf-8")
        draft = store.read("takk")
        assert draft.damaged and draft.answers.empty
        assert store.file("takk").read_text(encoding="utf-8") == '{"reflection": "halv'
        store.save("takk", ("reflection",), "Ny text")
        (kept,) = store.set_aside("takk")
        assert kept.read_text(encoding="utf-8") == '{"reflection": "halv'
        assert store.read("takk") == Draft(store.load("takk"), damaged=False)

    def it_leaves_no_temporary_files(self, tmp_path: Path) -> None:
        store = AnswerStore(tmp_path, SOMEONE)
        for n in range(20):
            store.save("takk", ("reflection",), "x" * n)
        assert sorted(p.name for p in store.folder.iterdir()) == [".takk.lock", "takk.json"]
        assert json.loads(store.file("takk").read_text(encoding="utf-8")) == {"reflection": "x" * 19}

    @pytest.mark.parametrize("person_id", ["../etc", "Anna Berg", "", "a/b", "anna\n"])
    def it_refuses_ids_that_could_escape_its_folder(self, tmp_path: Path, person_id: str) -> None:
        with pytest.raises(ValueError, match="not a person id"):
            AnswerStore(tmp_path, person_id)


def no_roster(person_id: str) -> Person | None:
    raise AssertionError(f"the whole roster was read to find {person_id!r}")


class DescribeIdentify:
    def it_prefers_the_hub_user_then_the_configured_user(self) -> None:
        hub = identify(ROSTER.find, no_roster, {"JUPYTERHUB_USER": SOMEONE, "RESURSKURS_USER": ROSTER.people[1].id})
        assert hub.person == ROSTER.people[0] and not hub.demo_mode
        configured = identify(ROSTER.find, no_roster, {"RESURSKURS_USER": ROSTER.people[1].id})
        assert configured.person == ROSTER.people[1] and not configured.demo_mode

    def it_takes_the_demo_choice_the_server_passed_only_for_people_on_the_roster(self) -> None:
        demo = {"RESURSKURS_DEMO": "1"}
        chosen = identify(no_roster, ROSTER.find, demo | {PERSON_VARIABLE: SOMEONE})
        assert chosen.person == ROSTER.people[0] and chosen.demo_mode
        stranger = identify(no_roster, ROSTER.find, demo | {PERSON_VARIABLE: "../../etc"})
        assert stranger.person is None and stranger.needs_choice
        trailing = identify(no_roster, ROSTER.find, demo | {PERSON_VARIABLE: f"{SOMEONE}\n"})
        assert trailing.person is None

    def it_reads_no_cookie_in_the_kernel(self) -> None:
        demo = {"RESURSKURS_DEMO": "1", "HTTP_COOKIE": f"resurskurs_person={SOMEONE}"}
        assert identify(no_roster, ROSTER.find, demo).person is None

    def it_lets_no_one_pick_who_they_are_unless_demo_mode_was_asked_for(self) -> None:
        resource_team = next(person for person in ROSTER.people if person.role is Role.RESOURCE_TEAM)
        visitor = identify(no_roster, ROSTER.find, {PERSON_VARIABLE: resource_team.id})
        assert visitor.person is None and not visitor.demo_mode and not visitor.needs_choice

    def it_knows_no_one_outside_the_roster_even_from_the_hub(self) -> None:
        unknown = identify(ROSTER.find, no_roster, {"JUPYTERHUB_USER": "okand"})
        assert unknown.person is None and not unknown.needs_choice
        malformed = identify(no_roster, no_roster, {"JUPYTERHUB_USER": "../okand"})
        assert malformed.person is None and not malformed.needs_choice
        trailing = identify(no_roster, no_roster, {"JUPYTERHUB_USER": f"{SOMEONE}\n"})
        assert trailing.person is None


class DescribeLeitnerBoxes:
    NOW = datetime(2026, 11, 23, 9, 0)

    def it_moves_a_known_card_up_and_a_missed_card_back_to_the_first_box(self) -> None:
        card = CardState().answered(True, self.NOW).answered(True, self.NOW)
        assert card.box == 3
        assert card.answered(False, self.NOW).box == 1

    def it_shows_a_card_again_only_when_its_box_is_due(self) -> None:
        card = CardState().answered(True, self.NOW)
        assert not card.due(self.NOW + timedelta(hours=23))
        assert card.due(self.NOW + timedelta(days=1))

    def it_offers_due_cards_lowest_box_first(self) -> None:
        states = {"mat": CardState(3, self.NOW - timedelta(days=3)), "sova": CardState(2, self.NOW),
                  "leka": CardState(1, self.NOW)}
        assert next_cards(states, ["mat", "sova", "leka", "hej"], self.NOW) == ["leka", "hej", "mat"]

    def it_round_trips_through_json(self) -> None:
        card = CardState(4, self.NOW)
        assert CardState.from_json(json.loads(json.dumps(card.to_json()))) == card
        assert CardState.from_json({"box": 9}) == CardState()
