"""Bad input to the command line: a clear message and exit code 1, never a traceback, never a half-written file.

Every command runs as a real process against a content root, var/, exercises/ and gradebook under tmp_path.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from resurskurs.district.roster import COLUMNS, PERSON_ID
from tests.conftest import FIXTURE_TREE

HEADER = ",".join(COLUMNS)
ROSTER = f"{HEADER}\nanna.berg,Anna,Åberg,anna@example.se,Förskolan Sol,Blå,staff\n"
MEMORY_LIMIT = 1 << 30
"""Address space for one command: `check` needs under 512 MB; a billion laughs expanded needed 7 GB."""


@dataclass(frozen=True)
class Place:
    """A fresh installation under one folder: content, and var/ and exercises/ that do not exist yet."""

    home: Path

    @property
    def root(self) -> Path:
        return self.home / "root"

    @property
    def var(self) -> Path:
        return self.home / "var"

    @property
    def gradebook(self) -> Path:
        return self.var / "gradebook.db"

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        settings = {
            "RESURSKURS_ROOT": str(self.root),
            "RESURSKURS_VAR": str(self.var),
            "RESURSKURS_EXERCISES": str(self.home / "exercises"),
            "RESURSKURS_GRADEBOOK_URL": f"sqlite:///{self.gradebook}",
        }
        return subprocess.run(
            [sys.executable, "-m", "resurskurs", *args],
            cwd=self.home,
            env={**os.environ, **settings, **env},
            capture_output=True,
            encoding="utf-8",
            timeout=120,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT)),
        )


def new_place(home: Path) -> Place:
    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE_TREE, home / "root")
    return Place(home)


@pytest.fixture
def place(tmp_path: Path) -> Place:
    return new_place(tmp_path)


def refused(completed: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit code 1, the message on stderr, and no traceback anywhere."""
    assert "Traceback" not in completed.stdout + completed.stderr, completed.stderr
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert message in completed.stderr


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder below `folder` with its content: what a refused command must leave alone."""
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None for path in folder.rglob("*")
    }


ROSTER_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a file that is not there": (lambda home: home / "saknas.csv", "saknas.csv: cannot read the file: No such file"),
    "a folder": (lambda home: home / "root", "root: is a folder; expected the roster CSV file"),
    "an Excel workbook instead of its CSV": (
        lambda home: write(home / "personal.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"),
        'personal.xlsx:1: expected CSV text, found binary data (a NUL byte at byte 5); in Excel, save it as "CSV '
        'UTF-8 (kommaavgränsad)"',
    ),
    "text in neither UTF-8 nor Windows-1252": (
        lambda home: write(home / "roster.csv", f"{HEADER}\nanna,Anna,".encode() + b"\x81berg,a@x.se,U,W,staff\n"),
        "roster.csv:2: expected UTF-8 text (or Windows-1252): invalid start byte at byte 60",
    ),
    "a field over the csv module's 131,072 characters": (
        lambda home: write(home / "roster.csv", f"{HEADER}\nanna,Anna,{'x' * 140_000},a@x.se,U,W,staff\n".encode()),
        "roster.csv:2:1: cannot read this line as CSV: field larger than field limit (131072); a roster field "
        "holds at most 200 characters",
    ),
    "a file with the wrong header": (
        lambda home: write(home / "roster.csv", b"namn,enhet\nAnna,Sol\n"),
        f"roster.csv:1:1: expected the header {HEADER}",
    ),
}


def write(file: Path, data: bytes) -> Path:
    file.write_bytes(data)
    return file


class DescribeRosterImport:
    @pytest.mark.parametrize("case", ROSTER_FILES)
    def it_refuses_a_file_it_cannot_read_and_creates_no_gradebook(self, case: str, place: Place) -> None:
        make, message = ROSTER_FILES[case]
        file = make(place.home)
        refused(place.run("roster", "import", str(file.relative_to(place.home))), message)
        assert not place.var.exists()

    def it_reads_an_excel_export_in_windows_1252_with_semicolons_and_says_so(self, place: Place) -> None:
        rows = ROSTER.replace(",", ";").replace("\n", "\r\n")
        file = write(place.home / "personal.csv", rows.encode("cp1252"))
        completed = place.run("roster", "import", "personal.csv")
        assert completed.returncode == 0, completed.stderr
        assert "personal.csv: not UTF-8; read as Windows-1252" in completed.stderr
        assert "imported 1 people; 0 row(s) left out" in completed.stdout
        with sqlite3.connect(place.gradebook) as connection:
            assert connection.execute("SELECT first_name, last_name FROM student").fetchall() == [("Anna", "Åberg")]
            assert connection.execute("SELECT unit, work_team FROM resurskurs_person").fetchall() == [
                ("Förskolan Sol", "Blå")
            ]
        assert file.read_bytes() == rows.encode("cp1252")


class DescribeAFreshRoot:
    def it_creates_var_for_the_gradebook_on_roster_import(self, place: Place) -> None:
        write(place.home / "roster.csv", ROSTER.encode())
        completed = place.run("roster", "import", "roster.csv")
        assert completed.returncode == 0, completed.stderr
        assert place.gradebook.is_file()

    def it_creates_var_for_the_gradebook_on_build(self, place: Place) -> None:
        completed = place.run("build")
        assert completed.returncode == 0, completed.stderr
        assert "mini: generated" in completed.stdout
        assert place.gradebook.is_file()

    @pytest.mark.parametrize("command", [["roster", "import", "roster.csv"], ["build"]])
    def it_says_when_var_cannot_be_created(self, command: list[str], place: Place) -> None:
        write(place.home / "roster.csv", ROSTER.encode())
        blocked = place.home / "roster.csv" / "var"
        completed = place.run(*command, RESURSKURS_VAR=str(blocked), RESURSKURS_GRADEBOOK_URL=f"sqlite:///{blocked}/g.db")
        refused(completed, f"cannot create the folder {blocked} for the gradebook: Not a directory")
        assert not (place.home / "exercises" / "source").exists()


def billion_laughs() -> str:
    """Nine levels of nine aliases: about 600 bytes that expand to 490 million values."""
    lines = ["lol1: &lol1 [" + ", ".join(["lol"] * 9) + "]"]
    lines += [f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 9) + "]" for n in range(2, 10)]
    return "\n".join(lines) + "\n"


YAML_FILES = {
    "an alias inside its own anchor": (
        "name: rekursiv\nchapters: &a [*a]\n",
        "root/films/trasig.yaml:2:15: the alias *a is used inside the value it names; expected a value not "
        "containing itself",
    ),
    "a billion laughs": (
        billion_laughs(),
        "root/films/trasig.yaml:9:14: 72 aliases expand the file to 490,329,064 values, expected at most 50,000; "
        "write the values out instead of nesting aliases",
    ),
    "lists nested thousands deep": (
        "name: " + "[" * 5000 + "]" * 5000 + "\n",
        "root/films/trasig.yaml: nested too deeply to read; expected a few levels of keys and lists",
    ),
}


class DescribeCheck:
    @pytest.mark.parametrize("case", YAML_FILES)
    def it_names_the_alias_in_seconds_and_bounded_memory(self, case: str, place: Place) -> None:
        text, message = YAML_FILES[case]
        (place.root / "films" / "trasig.yaml").write_text(text, encoding="utf-8")
        completed = place.run("check", "root")
        refused(completed, message)
        assert "1 problem(s) found." in completed.stderr


OUTPUTS = {
    "report": (["report", "-o"], "rapport.xlsx"),
    "slides": (["slides", "mini", "-o"], "mini.pptx"),
}


class DescribeOutputFiles:
    @pytest.mark.parametrize("command", OUTPUTS)
    def it_refuses_a_folder_and_leaves_it_as_it_was(self, command: str, place: Place) -> None:
        args, example = OUTPUTS[command]
        (place.home / "ut").mkdir()
        before = listing(place.home)
        refused(place.run(*args, "ut"), f"ut is a folder; expected -o to name the file to write, such as ut/{example}")
        assert listing(place.home) == before

    @pytest.mark.parametrize("command", OUTPUTS)
    def it_refuses_a_path_through_a_file(self, command: str, place: Place) -> None:
        args, _ = OUTPUTS[command]
        write(place.home / "ut", b"inte en mapp")
        before = listing(place.home)
        refused(place.run(*args, "ut/fil"), "cannot write ut/fil: ut is a file, not a folder")
        assert listing(place.home) == before

    @pytest.mark.parametrize("command", OUTPUTS)
    def it_says_why_a_folder_cannot_be_written(self, command: str, place: Place) -> None:
        args, _ = OUTPUTS[command]
        refused(place.run(*args, "/proc/ut"), "cannot write /proc/ut: No such file or directory")


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Place:
    """One roster imported, shared by the tests that only read the gradebook (var/ made here, not by the import)."""
    place = new_place(tmp_path_factory.mktemp("district"))
    place.var.mkdir()
    write(place.home / "roster.csv", (ROSTER + "bo.ek,Bo,Ek,bo@example.se,Förskolan Måne,Röd,staff\n").encode())
    completed = place.run("roster", "import", "roster.csv")
    assert completed.returncode == 0, completed.stderr
    return place


UNITS = {
    "slides for an unknown unit": (
        ["slides", "mini", "--unit", "Finns Inte", "-o", "ut.pptx"],
        "unknown unit 'Finns Inte'; units in the gradebook: Förskolan Måne, Förskolan Sol",
    ),
    "slides for an empty unit": (
        ["slides", "mini", "--unit", "", "-o", "ut.pptx"],
        "--unit is empty; expected a unit's name as in the roster, or no --unit at all",
    ),
    "a report for an empty unit": (
        ["report", "--unit", "", "-o", "ut.xlsx"],
        "--unit is empty; expected a unit's name as in the roster, or no --unit at all",
    ),
    "a report for a unit of blanks": (
        ["report", "--unit", "  ", "-o", "ut.xlsx"],
        "--unit is empty; expected a unit's name as in the roster, or no --unit at all",
    ),
    "a report for an unknown unit": (
        ["report", "--unit", "Förskolan Sol ", "-o", "ut.xlsx"],
        "unknown unit 'Förskolan Sol '; units in the gradebook: Förskolan Måne, Förskolan Sol",
    ),
    "progress for an empty unit": (
        ["progress", "--unit", ""],
        "--unit is empty; expected a unit's name as in the roster, or no --unit at all",
    ),
}


class DescribeUnits:
    @pytest.mark.parametrize("case", UNITS)
    def it_refuses_a_unit_the_roster_does_not_name_and_writes_nothing(self, case: str, district: Place) -> None:
        args, message = UNITS[case]
        gradebook = district.gradebook.read_bytes()
        refused(district.run(*args), message)
        assert not list(district.home.glob("ut.*"))
        assert district.gradebook.read_bytes() == gradebook

    def it_still_writes_a_deck_for_a_known_unit(self, district: Place) -> None:
        completed = district.run("slides", "mini", "--unit", "Förskolan Måne", "-o", "mane.pptx")
        assert completed.returncode == 0, completed.stderr
        assert (district.home / "mane.pptx").is_file()


class DescribePersonIds:
    @pytest.mark.parametrize("matcher", [re.match, re.fullmatch, re.search])
    def it_takes_no_id_with_a_line_break_at_the_end_whichever_way_it_is_matched(
        self, matcher: Callable[[str, str], re.Match[str] | None]
    ) -> None:
        assert matcher(PERSON_ID, "anna") is not None
        assert matcher(PERSON_ID, "anna\n") is None
        assert matcher(PERSON_ID, "../anna") is None


class DescribeTheDemoDistrict:
    def it_is_never_added_to_a_gradebook_that_holds_real_people(self, place: Place) -> None:
        (place.home / "personal.csv").write_text(ROSTER, encoding="utf-8")
        assert place.run("roster", "import", str(place.home / "personal.csv")).returncode == 0
        before = place.gradebook.read_bytes()
        result = place.run("demo", "--staff", "4", "--units", "1")
        assert result.returncode == 1
        assert "the gradebook holds 1 real people" in result.stderr and "Traceback" not in result.stderr
        assert place.gradebook.read_bytes() == before
        assert not (place.var / "roster.csv").exists()
