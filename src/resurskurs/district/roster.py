"""The roster CSV: one row per person with unit, work team and role; bad rows are reported by line.

A principal who leads several units has one row per unit, alike but for the unit (and work team),
the way HR lists often give one row per assignment.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from resurskurs.catalog.problems import ContentError, Problem
from resurskurs.files import write_atomically

ROSTER_FILE = "roster.csv"
"""The roster's name in the var folder, where the import writes it and the app reads it."""
COLUMNS = ["id", "first_name", "last_name", "email", "unit", "work_team", "role"]
EMAIL_DOMAIN = "forskola.example"
"""The reserved domain of fictional people: the demo district's addresses; every other address is a real person's."""
PERSON_ID = r"\A[a-z0-9][a-z0-9._-]{0,62}\Z"


def is_person_id(value: str) -> bool:
    """Whether `value` is a whole person id (a full match: "anna\n" is not one)."""
    return re.fullmatch(PERSON_ID, value) is not None


"""Anchored at the very ends: `$` also matches before a final line break, so "anna" + newline passed as an id."""
# The gradebook's column widths: nbgrader's student names and e-mail are VARCHAR(128), the unit and work
# team (tracking/own_tables.py) VARCHAR(200). PostgreSQL refuses longer values where SQLite keeps them,
# so a longer value is a bad row here rather than a failed import on a hub.
MAX_LENGTHS = {"first_name": 128, "last_name": 128, "email": 128, "unit": 200, "work_team": 200}


class Role(StrEnum):
    STAFF = "staff"
    PRINCIPAL = "principal"
    RESOURCE_TEAM = "resourceteam"


GROUPS = {Role.STAFF: "personalen", Role.PRINCIPAL: "rektorer", Role.RESOURCE_TEAM: "resursteamet"}
"""Each role as a group, in the words a page uses to say whom it is for."""


def is_for(page: str, roles: tuple[Role, ...]) -> str:
    """Whom `page` is for, from the same roles that let people in ("Granska är för resursteamet.")."""
    groups = [GROUPS[role] for role in roles]
    listed = groups[0] if len(groups) == 1 else f"{', '.join(groups[:-1])} och {groups[-1]}"
    return f"{page} är för {listed}."


@dataclass(frozen=True)
class Person:
    id: str
    first_name: str
    last_name: str
    email: str
    unit: str
    work_team: str
    role: Role
    more_units: tuple[str, ...] = ()
    """Further units a principal leads, in alphabetical order; `unit` is the one on their first row."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def units(self) -> tuple[str, ...]:
        return (self.unit, *self.more_units)


def leads_another_unit(earlier: Person, later: Person) -> bool:
    """Whether `later` is the same principal as `earlier`, on a row for a unit not yet listed."""
    same = (earlier.first_name, earlier.last_name, earlier.email) == (later.first_name, later.last_name, later.email)
    both_lead = earlier.role is later.role is Role.PRINCIPAL
    return same and both_lead and later.unit not in earlier.units


@dataclass
class Roster:
    people: list[Person]
    problems: list[Problem]
    encoding: str = "utf-8"
    """"cp1252" when the file was not UTF-8 but Windows-1252, as Excel saves "CSV (kommaavgränsad)"; "utf-16" for
    Excel's "Unicode-text" (tab-separated)."""

    def find(self, person_id: str) -> Person | None:
        return next((person for person in self.people if person.id == person_id), None)


def read_roster(file: Path) -> Roster:
    """Read every good row; each bad one becomes a problem naming its line, and the rest still count.

    A file that cannot be read as CSV text at all raises ContentError, so nothing of it is imported.
    """
    people: list[Person] = []
    problems: list[Problem] = []
    seen: dict[str, tuple[int, int]] = {}
    text, encoding = _text(file)
    header, rows = _csv_rows(file, text)
    if header != COLUMNS:
        return Roster([], [Problem(file, f"expected the header {','.join(COLUMNS)}", 1, 1)], encoding)
    for line, row in rows:
        values = {key: (row.get(key) or "").strip() for key in COLUMNS}
        empty = [key for key in COLUMNS if not values[key]]
        if None in row or empty:
            problems.append(
                Problem(
                    file,
                    f"expected {len(COLUMNS)} filled columns; empty or extra: {', '.join(empty) or 'extra values'}",
                    line,
                    1,
                )
            )
            continue
        if not is_person_id(values["id"]):
            problems.append(
                Problem(file, f"id {values['id']!r} should be lower-case letters, digits, . _ -", line, 1, "id")
            )
            continue
        if values["role"] not in {role.value for role in Role}:
            problems.append(
                Problem(
                    file,
                    f"role {values['role']!r} should be one of: {', '.join(role.value for role in Role)}",
                    line,
                    1,
                    "role",
                )
            )
            continue
        too_long = [key for key, limit in MAX_LENGTHS.items() if len(values[key]) > limit]
        if too_long:
            key = too_long[0]
            problems.append(
                Problem(
                    file,
                    f"{len(values[key])} characters; the gradebook holds at most {MAX_LENGTHS[key]}",
                    line,
                    1,
                    key,
                )
            )
            continue
        person = Person(
            values["id"],
            values["first_name"],
            values["last_name"],
            values["email"],
            values["unit"],
            values["work_team"],
            Role(values["role"]),
        )
        if person.id not in seen:
            seen[person.id] = (line, len(people))
            people.append(person)
            continue
        first_line, index = seen[person.id]
        if leads_another_unit(people[index], person):
            people[index] = replace(people[index], more_units=tuple(sorted({*people[index].more_units, person.unit})))
            continue
        hint = "; a principal who leads several units has one row per unit, alike but for unit and work_team"
        problems.append(
            Problem(
                file,
                f"id {person.id!r} is already used on line {first_line}"
                + (hint if person.role is Role.PRINCIPAL else ""),
                line,
                1,
                "id",
            )
        )
    return Roster(people, problems, encoding)


def _text(file: Path) -> tuple[str, str]:
    """The file's text and encoding: UTF-16 with its BOM (Excel's "Unicode-text"), UTF-8 (with or without a BOM),
    else Windows-1252 if it decodes cleanly."""
    if file.is_dir():
        raise ContentError([Problem(file, "is a folder; expected the roster CSV file")])
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ContentError([Problem(file, f"cannot read the file: {error.strerror}")]) from None
    save_as = 'in Excel, save it as "CSV UTF-8 (kommaavgränsad)"'
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            message = f"expected UTF-16 text after its byte order mark: {error.reason} at byte {error.start}; {save_as}"
            raise ContentError([Problem(file, message)]) from None
    if b"\0" in data:
        nul = data.index(b"\0")
        message = f"expected CSV text, found binary data (a NUL byte at byte {nul}); {save_as}"
        raise ContentError([Problem(file, message, data.count(b"\n", 0, nul) + 1)])
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        message = f"expected UTF-8 text (or Windows-1252): {utf8_error.reason} at byte {utf8_error.start}; {save_as}"
        raise ContentError([Problem(file, message, data.count(b"\n", 0, utf8_error.start) + 1)]) from None


def _csv_rows(file: Path, text: str) -> tuple[list[str], list[tuple[int, dict[Any, Any]]]]:
    """The header and every row with its line number, separated by commas or, as Swedish Excel saves, semicolons
    (or tabs, in its "Unicode-text").

    A line the csv module cannot read (a field past its size limit) raises ContentError naming the line.
    """
    first_line = text.partition("\n")[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader.fieldnames or []), [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        longest = max(MAX_LENGTHS.values())
        message = f"cannot read this line as CSV: {error}; a roster field holds at most {longest} characters"
        raise ContentError([Problem(file, message, reader.reader.line_num, 1)]) from None


def write_roster(people: list[Person], file: Path) -> None:
    """One row per person, and per further unit a principal leads; readers never see half a file."""
    rows = io.StringIO(newline="")
    writer = csv.writer(rows)
    writer.writerow(COLUMNS)
    for person in people:
        names = [person.id, person.first_name, person.last_name, person.email]
        writer.writerows([*names, unit, person.work_team, person.role.value] for unit in person.units)
    write_atomically(file, rows.getvalue().encode("utf-8"))
