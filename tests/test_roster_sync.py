"""Joiners, movers and leavers from the district's full staff list, as CSV or Excel's "Unicode-text"."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from resurskurs.district.roster import COLUMNS, Person, read_roster
from resurskurs.gradebook.engine import engine_for
from resurskurs.gradebook.progress import progress_rows
from resurskurs.gradebook.tables import UNIT_HISTORY
from resurskurs.testing.hand_ins import SLUG
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.people import find_person, roster_roles
from resurskurs.tracking.roster_import import import_people
from resurskurs.tracking.roster_sync import apply_sync, plan_sync
from tests.privacy_district import EVA, MAJ, OLA, UNIT

NEW = Person("nora.ali", "Nora", "Ali", "nora.ali@stad.example.se", UNIT, "Blå", EVA.role)
MOVED = replace(EVA, unit="Förskolan Solrosen", work_team="Röd")
NOW = datetime(2027, 1, 8, 7, tzinfo=UTC)


def rows_of(people: list[Person]) -> list[list[str]]:
    return [[p.id, p.first_name, p.last_name, p.email, p.unit, p.work_team, p.role.value] for p in people]


def unicode_text(file: Path, people: list[Person]) -> Path:
    """As Excel saves "Unicode-text": UTF-16 little-endian with its BOM, tab-separated, CRLF."""
    lines = ["\t".join(COLUMNS), *("\t".join(row) for row in rows_of(people))]
    file.write_bytes(codecs.BOM_UTF16_LE + "".join(f"{line}\r\n" for line in lines).encode("utf-16-le"))
    return file


def command(course_dir: CourseDir, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    settings = {
        "RESURSKURS_VAR": str(tmp_path / "var"),
        "RESURSKURS_EXERCISES": str(course_dir.root),
        "RESURSKURS_GRADEBOOK_URL": course_dir.db_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "resurskurs", "roster", "import", *args],
        env={**os.environ, **settings}, capture_output=True, encoding="utf-8", check=False, stdin=subprocess.DEVNULL,
    )


def people_table(db_url: str) -> list[tuple[object, ...]]:
    with engine_for(db_url).connect() as connection:
        return sorted(tuple(row) for row in connection.execute(sa.text("select * from resurskurs_person")))


class DescribeExcelsUnicodeText:
    def it_reads_utf_16_and_tabs_with_swedish_letters_intact(self, tmp_path: Path) -> None:
        who = replace(OLA, first_name="Åsa", last_name="Öberg-Ängström")
        roster = read_roster(unicode_text(tmp_path / "personal.txt", [who, MAJ]))
        assert roster.problems == [] and roster.encoding == "utf-16"
        assert roster.people == [who, MAJ]


class DescribeASync:
    def it_adds_joiners_moves_movers_and_marks_leavers(self, course_dir: CourseDir) -> None:
        import_people([EVA, OLA, MAJ], course_dir)
        plan = plan_sync([MOVED, MAJ, NEW], course_dir.db_url)
        assert (plan.joining, plan.moving, plan.leaving, plan.returning) == ([NEW], [(MOVED, UNIT)], [OLA.id], [])
        apply_sync(plan, course_dir, NOW)
        assert find_person(course_dir.db_url, OLA.id) is None, "a leaver cannot log in"
        assert sorted(roster_roles(course_dir.db_url)) == [EVA.id, MAJ.id, NEW.id], "nor is let in by the hub"
        assert find_person(course_dir.db_url, NEW.id) == NEW
        assert find_person(course_dir.db_url, EVA.id) == MOVED
        shown = {row.person_id for row in progress_rows(course_dir.db_url, [SLUG])}
        assert shown == {EVA.id, NEW.id}, "a leaver is not shown as behind"
        with engine_for(course_dir.db_url).connect() as connection:
            assert connection.execute(sa.select(UNIT_HISTORY)).all() == [(EVA.id, UNIT, NOW.replace(tzinfo=None))]

    def it_lets_someone_who_comes_back_log_in_again(self, course_dir: CourseDir) -> None:
        import_people([EVA, OLA], course_dir)
        apply_sync(plan_sync([EVA], course_dir.db_url), course_dir, NOW)
        plan = plan_sync([EVA, OLA], course_dir.db_url)
        assert plan.returning == [OLA] and plan.leaving == []
        apply_sync(plan, course_dir, NOW)
        assert find_person(course_dir.db_url, OLA.id) == OLA

    def it_describes_every_change_in_swedish(self, course_dir: CourseDir) -> None:
        import_people([EVA, OLA, MAJ], course_dir)
        described = plan_sync([MOVED, MAJ, NEW], course_dir.db_url).describe()
        assert "ny: nora.ali (Nora Ali), Förskolan Ekorren" in described
        assert "byter enhet: eva.lund (Eva Lundqvist), Förskolan Ekorren → Förskolan Solrosen" in described
        assert "har slutat: ola.berg" in described


class DescribeTheSyncCommand:
    def it_applies_a_unicode_text_list_with_yes(self, course_dir: CourseDir, tmp_path: Path) -> None:
        import_people([EVA, OLA, MAJ], course_dir)
        done = command(course_dir, tmp_path, "--sync", "--yes", str(unicode_text(tmp_path / "hr.txt", [MOVED, MAJ])))
        assert done.returncode == 0, done.stderr
        assert "har slutat: ola.berg" in done.stdout and "Klart: 2 ändringar." in done.stdout
        assert find_person(course_dir.db_url, OLA.id) is None

    def it_changes_nothing_on_a_dry_run_without_yes_or_with_a_broken_list(
        self, course_dir: CourseDir, tmp_path: Path
    ) -> None:
        import_people([EVA, OLA, MAJ], course_dir)
        before = people_table(course_dir.db_url)
        good = unicode_text(tmp_path / "hr.txt", [MOVED, MAJ])
        broken = tmp_path / "trasig.csv"
        broken.write_text(",".join(COLUMNS) + "\n" + ",".join(rows_of([MAJ])[0]) + "\nola.berg,Ola,,,,,staff\n")
        for args, code, message in (
            (("--sync", "--dry-run", str(good)), 0, "Inget är ändrat (--dry-run)."),
            (("--sync", str(good)), 1, "bekräfta med --yes"),
            (("--sync", "--yes", str(broken)), 1, "personallistan har 1 felaktiga rader och 1 hela; inget är ändrat"),
            (("--sync", "--yes", str(tmp_path / "saknas.csv")), 1, "saknas.csv"),
        ):
            done = command(course_dir, tmp_path, *args)
            assert done.returncode == code and message in done.stdout + done.stderr, (args, done.stderr)
            assert "Traceback" not in done.stderr
            assert people_table(course_dir.db_url) == before
