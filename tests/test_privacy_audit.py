"""The audit trail: every read and change of someone's data recorded, append-only, without the text itself."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from resurskurs.backend.local import LocalBackend
from resurskurs.catalog.load import Catalog
from resurskurs.gradebook.engine import engine_for
from resurskurs.gradebook.tables import AUDIT, AUDIT_SUBJECT
from resurskurs.privacy.audit import Action, entries
from resurskurs.testing.hand_ins import SLUG
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.grading import save_review
from tests.privacy_district import COMMENT, EVA, MAJ, OLA, REFLECTION, RUT, District, populate
from tests.test_privacy_export import command


@pytest.fixture
def district(tmp_path: Path, catalog: Catalog, course_dir: CourseDir) -> District:
    return populate(catalog, course_dir, tmp_path / "var")


def trail_as_text(db_url: str) -> str:
    with engine_for(db_url).connect() as connection:
        rows = [*connection.execute(sa.select(AUDIT)), *connection.execute(sa.select(AUDIT_SUBJECT))]
    return "\n".join(" ".join(str(value) for value in row) for row in rows)


class DescribeTheTrail:
    def it_records_who_changed_a_score_and_a_comment_in_granska(self, district: District, catalog: Catalog) -> None:
        save_review(district.course_dir, RUT, catalog.module(SLUG), OLA.id, [1], "Tack, Ola, det här bär.")
        latest = entries(district.stores.db_url, OLA.id)
        assert {(e.action, e.actor, e.subject, e.slug) for e in latest} == {
            (Action.CHANGED_SCORE, RUT.id, OLA.id, SLUG),
            (Action.CHANGED_COMMENT, RUT.id, OLA.id, SLUG),
        }
        save_review(district.course_dir, RUT, catalog.module(SLUG), OLA.id, [1], "Tack, Ola, det här bär.")
        assert len(entries(district.stores.db_url, OLA.id)) == 2, "saving the same review again changes nothing"

    def it_records_who_read_a_reflection_in_granska_and_who_opened_a_module_for_which_units(
        self, district: District, catalog: Catalog
    ) -> None:
        before = len(entries(district.stores.db_url))
        reviews = LocalBackend(RUT, catalog, district.course_dir, district.stores.var).reviews()
        assert REFLECTION in reviews.text(EVA.id, SLUG)
        releases = LocalBackend(MAJ, catalog, district.course_dir, district.stores.var).releases()
        releases.release(SLUG, [MAJ.unit], date(2027, 2, 1), MAJ, datetime.now(UTC))
        latest = entries(district.stores.db_url)[: len(entries(district.stores.db_url)) - before]
        assert [(e.action, e.actor, e.subject, e.slug, e.detail) for e in latest] == [
            (Action.CHANGED_RELEASE, MAJ.id, None, SLUG, f"{MAJ.unit}, gruppträff 2027-02-01"),
            (Action.READ_REFLECTION, RUT.id, EVA.id, SLUG, None),
        ]
        assert REFLECTION not in trail_as_text(district.stores.db_url)

    def it_never_holds_the_text_that_was_read_or_written(self, district: District, catalog: Catalog) -> None:
        save_review(district.course_dir, RUT, catalog.module(SLUG), OLA.id, [1], "Tack, Ola, det här bär.")
        text = trail_as_text(district.stores.db_url)
        for written in (REFLECTION, COMMENT, "Tack, Ola", EVA.email, EVA.last_name):
            assert written not in text

    def it_refuses_to_change_or_delete_an_entry(self, district: District) -> None:
        with engine_for(district.stores.db_url).connect() as connection:
            for statement in (AUDIT.update().values(action="changed"), AUDIT.delete()):
                with pytest.raises(sa.exc.DatabaseError, match="append-only"), connection.begin():
                    connection.execute(statement)
            assert connection.execute(sa.select(sa.func.count()).select_from(AUDIT)).scalar_one() == 1


class DescribeTheLogCommand:
    def it_shows_the_entries_about_a_person_in_swedish(self, district: District) -> None:
        done = command(district, "log", EVA.id)
        assert done.returncode == 0, done.stderr
        assert f"{RUT.id} läste reflektionen för {EVA.id} i {SLUG}" in done.stdout

    def it_says_when_there_is_nothing(self, district: District) -> None:
        done = command(district, "log", OLA.id)
        assert done.returncode == 0 and "Inga händelser i loggen om ola.berg." in done.stdout
