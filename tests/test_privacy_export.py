"""A register extract (GDPR art. 15): everything held about one person, nothing about anyone else, and audited."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from resurskurs.catalog.load import Catalog
from resurskurs.privacy.audit import Action, entries
from resurskurs.privacy.export import NothingHeld, export
from resurskurs.tracking.course_dir import CourseDir
from tests.privacy_district import (
    COMMENT,
    EVA,
    LOGBOOK,
    MAJ,
    OLA,
    OPEN_ANSWER,
    REFLECTION,
    RUT,
    District,
    populate,
    snapshot,
)


@pytest.fixture
def district(tmp_path: Path, catalog: Catalog, course_dir: CourseDir) -> District:
    return populate(catalog, course_dir, tmp_path / "var")


def members(file: Path) -> dict[str, str]:
    with zipfile.ZipFile(file) as archive:
        return {name: archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()}


def command(district: District, *args: str) -> subprocess.CompletedProcess[str]:
    stores = district.stores
    settings = {
        "RESURSKURS_VAR": str(stores.var),
        "RESURSKURS_EXERCISES": str(stores.exercises),
        "RESURSKURS_GRADEBOOK_URL": stores.db_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "resurskurs", "privacy", *args],
        env={**os.environ, **settings}, capture_output=True, encoding="utf-8", check=False, stdin=subprocess.DEVNULL,
    )


class DescribeAnExport:
    def it_holds_everything_about_the_person_from_every_store(self, district: District, tmp_path: Path) -> None:
        out = tmp_path / "utdrag.zip"
        export(district.stores, EVA.id, out)
        found = members(out)
        data = json.loads(found["data.json"])
        tables = data["tables"]
        assert tables["student"][0]["email"] == EVA.email
        assert tables["resurskurs_person"][0]["unit"] == EVA.unit
        assert len(tables["submitted_assignment"]) == 1 and tables["grade"] and tables["resurskurs_activity"]
        assert COMMENT in json.dumps(tables["comment"], ensure_ascii=False)
        assert OPEN_ANSWER in json.dumps(tables["resurskurs_evaluation"], ensure_ascii=False)
        assert tables["resurskurs_review"][0]["reviewer_id"] == RUT.id
        assert {entry["action"] for entry in data["audit"]} == {Action.READ_REFLECTION.value}
        names = set(found)
        for folder in ("var/answers/eva.lund/", "exercises/submitted/eva.lund/", "exercises/autograded/eva.lund/",
                       "exercises/feedback/eva.lund/", "exercises/archive/eva.lund/", "var/follow-up/prova-pa/"):
            assert any(name.startswith(f"filer/{folder}") for name in names), folder
        drafts = found["filer/var/answers/eva.lund/prova-pa.json"]
        assert REFLECTION in drafts and LOGBOOK in drafts
        assert found["filer/var/roster.csv"].splitlines()[1].startswith(f"{EVA.id},")

    def it_holds_nothing_about_anyone_else(self, district: District, tmp_path: Path) -> None:
        out = tmp_path / "utdrag.zip"
        export(district.stores, EVA.id, out)
        everything = "\n".join(members(out).values())
        for other in (OLA.id, OLA.last_name, OLA.email, "Olas utkast", MAJ.email):
            assert other not in everything

    def it_gives_a_principal_the_releases_they_made(self, district: District, tmp_path: Path) -> None:
        out = tmp_path / "utdrag.zip"
        export(district.stores, MAJ.id, out)
        releases = json.loads(members(out)["filer/var/releases.json"])
        assert [release["released_by"] for release in releases["releases"]] == [MAJ.id]

    def it_gives_a_reviewer_the_reviews_they_made(self, district: District, tmp_path: Path) -> None:
        out = tmp_path / "utdrag.zip"
        export(district.stores, RUT.id, out)
        data = json.loads(members(out)["data.json"])
        assert [row["person_id"] for row in data["reviews_made"]["resurskurs_review"]] == [EVA.id]

    def it_says_it_in_plain_swedish_with_what_anyone_wrote_as_text(self, district: District, tmp_path: Path) -> None:
        out = tmp_path / "utdrag.zip"
        export(district.stores, EVA.id, out)
        summary = members(out)["sammanfattning.html"]
        assert '<html lang="sv">' in summary and "Registerutdrag för eva.lund" in summary
        assert "Varför:" in summary and "Sparas:" in summary and COMMENT in summary
        assert "läste reflektionen" in summary

    def it_is_recorded_in_the_audit_trail(self, district: District, tmp_path: Path) -> None:
        export(district.stores, EVA.id, tmp_path / "utdrag.zip", actor=RUT.id)
        latest = entries(district.stores.db_url, EVA.id)[0]
        assert (latest.action, latest.actor, latest.subject) == (Action.EXPORTED, RUT.id, EVA.id)

    def it_refuses_an_unknown_person_and_writes_nothing(self, district: District, tmp_path: Path) -> None:
        before = snapshot(district.stores)
        with pytest.raises(NothingHeld, match=r"Det finns inga uppgifter om 'nils\.okand'"):
            export(district.stores, "nils.okand", tmp_path / "utdrag.zip")
        assert not (tmp_path / "utdrag.zip").exists()
        assert snapshot(district.stores) == before


class DescribeTheExportCommand:
    def it_writes_the_zip(self, district: District, tmp_path: Path) -> None:
        done = command(district, "export", EVA.id, "-o", str(tmp_path / "utdrag.zip"))
        assert done.returncode == 0, done.stderr
        assert "data.json" in members(tmp_path / "utdrag.zip")
        assert (tmp_path / "utdrag.zip").stat().st_mode & 0o777 == 0o600

    @pytest.mark.parametrize(
        ("person", "out", "message"),
        [
            ("nils.okand", "utdrag.zip", "Det finns inga uppgifter om 'nils.okand'"),
            ("../eva", "utdrag.zip", "Det finns inga uppgifter om '../eva'"),
            (EVA.id, "saknas/mapp.zip/ut.zip", "cannot write"),
            (EVA.id, ".", "is a folder"),
        ],
    )
    def it_refuses_bad_input_with_a_message_and_changes_nothing(
        self, district: District, tmp_path: Path, person: str, out: str, message: str
    ) -> None:
        (tmp_path / "saknas").mkdir()
        (tmp_path / "saknas" / "mapp.zip").write_text("en fil, inte en mapp")
        before = snapshot(district.stores)
        done = command(district, "export", person, "-o", str(tmp_path / out))
        assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
        assert snapshot(district.stores) == before
        assert not (tmp_path / "utdrag.zip").exists()
