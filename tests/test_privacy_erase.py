"""Erasure (GDPR art. 17, leavers): one person out of every store, all or nothing, figures kept right."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from resurskurs.catalog.load import Catalog
from resurskurs.district.roster import Person
from resurskurs.gradebook.engine import engine_for
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.gradebook.tables import EVALUATION, PEOPLE
from resurskurs.privacy import erase as erasing
from resurskurs.privacy.audit import ERASED, Action, entries
from resurskurs.privacy.erase import EraseFailed, NothingHeld, erase, plan
from resurskurs.testing.hand_ins import SLUG
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.people import roster_roles
from tests.privacy_district import (
    COMMENT,
    EVA,
    LOGBOOK,
    MAJ,
    OLA,
    OPEN_ANSWER,
    REFLECTION,
    RUT,
    UNIT,
    District,
    everything_as_text,
    populate,
    snapshot,
)
from tests.test_privacy_export import command


@pytest.fixture
def district(tmp_path: Path, catalog: Catalog, course_dir: CourseDir) -> District:
    return populate(catalog, course_dir, tmp_path / "var")


def ratings_in_unit(db_url: str) -> list[tuple[str, int, int]]:
    """The evaluation ratings as a unit's figures count them: (item, value, how many)."""
    with engine_for(db_url).connect() as connection:
        return sorted(
            (str(item), int(value), int(n))
            for item, value, n in connection.execute(
                sa.select(EVALUATION.c.item_id, EVALUATION.c.value, sa.func.count())
                .join(PEOPLE, PEOPLE.c.id == EVALUATION.c.person_id)
                .where(PEOPLE.c.unit == UNIT, PEOPLE.c.role == "staff", EVALUATION.c.value.is_not(None))
                .group_by(EVALUATION.c.item_id, EVALUATION.c.value)
            )
        )


class DescribeAnErasure:
    def it_leaves_no_id_name_e_mail_or_text_of_the_person_anywhere(self, district: District) -> None:
        before = everything_as_text(district.stores)
        traces = (EVA.id, EVA.last_name, EVA.email, REFLECTION, LOGBOOK, OPEN_ANSWER, COMMENT, "Vi gör det varje dag")
        assert [trace for trace in traces if trace not in before] == []
        erase(district.stores, plan(district.stores, EVA.id))
        after = everything_as_text(district.stores)
        assert [trace for trace in traces if trace in after] == []

    @pytest.mark.parametrize("person", [OLA, RUT, MAJ], ids=lambda person: person.id)
    def it_leaves_no_trace_of_a_colleague_a_reviewer_or_a_principal(self, district: District, person: Person) -> None:
        traces = (person.id, person.last_name, person.email)
        assert [trace for trace in traces if trace in everything_as_text(district.stores)] == list(traces)
        erase(district.stores, plan(district.stores, person.id))
        assert [trace for trace in traces if trace in everything_as_text(district.stores)] == []
        assert EVA.email in everything_as_text(district.stores)

    def it_keeps_everyone_else_and_the_units_figures(self, district: District) -> None:
        stores = district.stores
        ratings, ola = ratings_in_unit(stores.db_url), reviews_for(stores.db_url, OLA.id)
        erase(stores, plan(stores, EVA.id))
        assert ratings_in_unit(stores.db_url) == ratings
        assert sorted(roster_roles(stores.db_url)) == sorted([OLA.id, RUT.id, MAJ.id]), "the pseudonym cannot log in"
        assert reviews_for(stores.db_url, OLA.id) == ola
        assert reviews_for(stores.db_url, EVA.id) == {}
        assert (stores.var / "answers" / OLA.id / f"{SLUG}.json").is_file()
        assert (stores.exercises / "submitted" / OLA.id / SLUG).is_dir()
        roster = (stores.var / "roster.csv").read_text(encoding="utf-8")
        assert OLA.email in roster and RUT.email in roster and EVA.id not in roster

    def it_turns_the_reviews_someone_made_anonymous_when_the_reviewer_is_erased(self, district: District) -> None:
        erase(district.stores, plan(district.stores, RUT.id))
        assert reviews_for(district.stores.db_url, EVA.id)[SLUG].comment == COMMENT
        assert RUT.id not in everything_as_text(district.stores)
        assert entries(district.stores.db_url, EVA.id)[-1].actor == ERASED

    def it_lists_exactly_what_goes_on_a_dry_run_and_changes_nothing(self, district: District) -> None:
        before = snapshot(district.stores)
        planned = plan(district.stores, EVA.id)
        listed = planned.describe()
        assert snapshot(district.stores) == before
        for line in (
            "tabellen student: 1 rader tas bort",
            "mappen var/answers/eva.lund",
            "mappen exercises/submitted/eva.lund",
            "filen var/roster.csv: hens rader tas bort",
            "skattningar behålls under en pseudonym",
        ):
            assert line in listed

    def it_is_recorded_and_the_trail_stays_whole(self, district: District) -> None:
        stores = district.stores
        erase(stores, plan(stores, EVA.id), actor=RUT.id)
        latest = entries(stores.db_url)
        assert (latest[0].action, latest[0].actor, latest[0].subject) == (Action.ERASED, RUT.id, ERASED)
        assert (latest[1].action, latest[1].subject) == (Action.READ_REFLECTION, ERASED)

    def it_refuses_a_person_already_erased_or_never_known(self, district: District) -> None:
        erase(district.stores, plan(district.stores, EVA.id))
        for person in (EVA.id, "nils.okand"):
            with pytest.raises(NothingHeld, match="finns inte i personallistan eller är redan raderad"):
                plan(district.stores, person)


class DescribeAllOrNothing:
    def it_leaves_everything_as_it_was_when_the_database_fails_half_way(
        self, district: District, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        stores = district.stores
        before = snapshot(stores)
        deleted = erasing._delete
        calls = []

        def failing(connection: sa.Connection, *args: object) -> None:
            calls.append(1)
            if len(calls) == 6:
                raise sa.exc.OperationalError("delete", {}, Exception("disk I/O error"))
            deleted(connection, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(erasing, "_delete", failing)
        with pytest.raises(EraseFailed, match="Ingenting är ändrat"):
            erase(stores, plan(stores, EVA.id))
        assert len(calls) == 6
        assert snapshot(stores) == before

    def it_leaves_everything_as_it_was_when_a_file_cannot_be_moved(
        self, district: District, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        stores = district.stores
        before = snapshot(stores)
        rename = Path.rename

        def refusing(self: Path, target: Path) -> Path:
            if self.parent.name == "submitted":
                raise PermissionError(13, "Permission denied", str(self))
            return rename(self, target)

        monkeypatch.setattr(Path, "rename", refusing)
        with pytest.raises(EraseFailed, match="Ingenting är ändrat"):
            erase(stores, plan(stores, EVA.id))
        monkeypatch.undo()
        assert snapshot(stores) == before

    def it_finishes_an_erasure_that_committed_before_the_process_died(
        self, district: District, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        stores = district.stores

        def killed(*_: object) -> None:
            raise SystemExit("killed")

        monkeypatch.setattr(erasing, "_finish", killed)
        with pytest.raises(SystemExit):
            erase(stores, plan(stores, EVA.id))
        monkeypatch.undo()
        assert EVA.id in (stores.var / "roster.csv").read_text(encoding="utf-8")
        with pytest.raises(NothingHeld):
            plan(stores, EVA.id)
        assert EVA.id not in everything_as_text(stores)


class DescribeTheEraseCommand:
    def it_erases_with_yes_and_says_so_in_swedish(self, district: District) -> None:
        done = command(district, "erase", EVA.id, "--yes")
        assert done.returncode == 0, done.stderr
        assert "Raderat" in done.stdout and EVA.id not in everything_as_text(district.stores)

    @pytest.mark.parametrize(
        ("args", "code", "message"),
        [
            ((EVA.id, "--dry-run"), 0, "Inget är ändrat (--dry-run)"),
            ((EVA.id,), 1, "bekräfta med --yes"),
            (("nils.okand", "--yes"), 1, "Det finns inga uppgifter om 'nils.okand'"),
        ],
    )
    def it_changes_nothing_without_a_yes_or_for_an_unknown_person(
        self, district: District, args: tuple[str, ...], code: int, message: str
    ) -> None:
        before = snapshot(district.stores)
        done = command(district, "erase", *args)
        assert done.returncode == code and message in done.stdout + done.stderr and "Traceback" not in done.stderr
        assert snapshot(district.stores) == before
