"""Local routines: named slots the modules refer to by id, filled in by the district and by each unit.

The slots are the same everywhere, so a module can say where a local routine matters (its
orosanmälan routine, interpreter booking, plan mot kränkande behandling …). What each one says is
local: `routines.yaml` beside the roster holds the district's section (`routines`, written by the
resource team) and a section per unit (`units`, written by the unit's principal). A learner sees their
unit's routine before the district's, slot by slot; a slot neither filled in stays empty and the module
says so: the product never makes up a local fact.

The app writes the file under a lock, re-reading it first, so a save changes one slot of one section and
keeps every other section as it was, whoever wrote it. A file that cannot be read is never written over.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import Field, HttpUrl, ValidationError

from resurskurs.catalog.problems import ContentError, Problem
from resurskurs.catalog.validation import validate_document
from resurskurs.catalog.yaml_source import read_yaml
from resurskurs.district.releases import Unit
from resurskurs.district.roster import Person, Role
from resurskurs.files import locked, write_atomically
from resurskurs.schema.base import Slug, Strict, Text
from resurskurs.schema.vocabulary import ROUTINE_SLOTS

ROUTINES_FILE = "routines.yaml"
"""The district's file, beside the roster (var/roster.csv → var/routines.yaml)."""
LOCK_FILE = ".routines.lock"

EMPTY_TEXT = "Den här rutinen är inte ifylld än. Fråga din rektor hur ni gör på er förskoleenhet."
"""Shown for a slot the district has not filled in: it points to a person, never to a made-up routine."""
BROKEN = "Rutinerna kan inte sparas, eftersom filen med rutinerna har ett fel. Resursteamet behöver rätta den först."
"""Why nothing is saved over a file that cannot be read (the file's own problem is shown beside it)."""
MAX_LENGTHS = {"text": 2000, "contact": 300, "url": 500}
"""What the form takes per field: a routine is a few sentences and a way to reach someone, not a document."""
HEADER = (
    "# Local routines (docs/AUTHORING.md): `routines` is the district's, `units` each unit's own.\n"
    "# Principals and the resource team also save them in the app, which rewrites this file: comments are not kept.\n"
)


class Routine(Strict):
    """One slot as the district or a unit fills it in: its own words, and where to read more or whom to call."""

    id: Slug
    text: Text | None = None
    contact: Text | None = Field(default=None, description="Who to contact, e.g. a function and a phone number.")
    url: HttpUrl | None = Field(default=None, description="The district's own document, e.g. on the intranet.")

    @property
    def filled(self) -> bool:
        return bool(self.text or self.contact or self.url)


class DistrictRoutines(Strict):
    """The file: the district's section and each unit's own, by unit name as on the roster."""

    routines: list[Routine] = Field(default_factory=list)
    units: dict[Unit, list[Routine]] = Field(default_factory=dict)


class RoutineRefused(ValueError):
    """A routine that may not be saved as it is; the message is Swedish, for the person who wrote it."""


@dataclass(frozen=True)
class Shown:
    """What a learner of a unit sees for one slot: the unit's routine, else the district's, else nothing."""

    routine: Routine
    by_unit: bool = False


@dataclass(frozen=True)
class Routines:
    """The routines as a page knows them, read once per page; `problem` says why the file could not be read."""

    book: DistrictRoutines
    problem: str | None = None

    def section(self, unit: str | None) -> dict[str, Routine]:
        """The filled-in slots of one section (None: the district's), by slot id."""
        given = self.book.routines if unit is None else self.book.units.get(unit, [])
        return {routine.id: routine for routine in given if routine.filled}

    def shown(self, slot: str, unit: str | None) -> Shown:
        own = self.section(unit).get(slot) if unit is not None else None
        if own is not None:
            return Shown(own, by_unit=True)
        return Shown(self.section(None).get(slot, Routine(id=slot)))

    def seen_by(self, person: Person) -> Routines:
        """What `person` may know: the resource team every section, anyone else the district's and their units'."""
        if person.role is Role.RESOURCE_TEAM:
            return self
        units = {unit: found for unit, found in self.book.units.items() if unit in person.units}
        return Routines(DistrictRoutines(routines=self.book.routines, units=units), self.problem)


def empty_routines() -> DistrictRoutines:
    """Every slot, none filled in: what a district has before it writes its own."""
    return DistrictRoutines(routines=[Routine(id=slot) for slot in ROUTINE_SLOTS])


def load_routines(folder: Path) -> DistrictRoutines:
    """Read folder/routines.yaml; every slot is present in the district's section, unfilled ones empty.

    A missing file means nothing is filled in yet. An unknown slot id, a slot given twice in one section or a
    bad field is a ContentError naming the file, the line, the field and the slots that exist.
    """
    file = folder / ROUTINES_FILE
    if not file.is_file():
        return empty_routines()
    document = read_yaml(file)
    given = validate_document(DistrictRoutines, document)
    sections: list[tuple[tuple[str | int, ...], list[Routine]]] = [(("routines",), given.routines)]
    sections += [(("units", unit), routines) for unit, routines in given.units.items()]
    problems: list[Problem] = []
    for where, routines in sections:
        seen: set[str] = set()
        for index, routine in enumerate(routines):
            field = ".".join(str(part) for part in where) + f"[{index}].id"
            if routine.id not in ROUTINE_SLOTS:
                message = f"no local-routine slot {routine.id!r}; expected one of: {', '.join(ROUTINE_SLOTS)}"
                problems.append(document.problem((*where, index, "id"), message, field))
            elif routine.id in seen:
                message = f"slot {routine.id!r} is given twice in this section; keep one"
                problems.append(document.problem((*where, index, "id"), message, field))
            seen.add(routine.id)
    if problems:
        raise ContentError(problems)
    filled = {routine.id: routine for routine in given.routines}
    return DistrictRoutines(routines=[filled.get(slot, Routine(id=slot)) for slot in ROUTINE_SLOTS], units=given.units)


def read_routines(folder: Path) -> Routines:
    """The routines for a page: a file that cannot be read becomes `problem` (file, line and field), never an
    exception, and every slot is then empty."""
    try:
        return Routines(load_routines(folder))
    except ContentError as error:
        return Routines(empty_routines(), "; ".join(problem.describe(folder) for problem in error.problems))


def may_change_routines(person: Person, unit: str | None) -> bool:
    """The resource team writes the district's routines and any unit's; a principal those of units they lead."""
    if person.role is Role.RESOURCE_TEAM:
        return True
    return unit is not None and person.role is Role.PRINCIPAL and unit in person.units


def who_may_change(unit: str | None) -> str:
    """The refusal, naming who may change the section."""
    if unit is None:
        return "Förvaltningens rutiner fylls i av resursteamet."
    return f"Rutinerna för {unit} fylls i av rektorn för {unit} eller av resursteamet."


def routine_from_form(slot: str, text: str, contact: str, url: str) -> Routine:
    """A routine from what someone typed: blank fields are left out, and anything too long or a link that is
    not a web address is RoutineRefused with a Swedish message."""
    if slot not in ROUTINE_SLOTS:
        raise RoutineRefused("Välj vilken rutin du fyller i.")
    fields = {"text": text.strip(), "contact": contact.strip(), "url": url.strip()}
    too_long(fields)
    try:
        return Routine(id=slot, **{key: value for key, value in fields.items() if value})
    except ValidationError:
        raise RoutineRefused(
            "Länken behöver vara en webbadress som börjar med https://, till exempel till rutinen på intranätet."
        ) from None


def too_long(fields: dict[str, str]) -> None:
    """RoutineRefused when a field is longer than the form takes (MAX_LENGTHS)."""
    names = {"text": "Texten", "contact": "Kontakten", "url": "Länken"}
    for key, limit in MAX_LENGTHS.items():
        if len(fields.get(key) or "") > limit:
            raise RoutineRefused(f"{names[key]} är längre än {limit} tecken. Korta den och spara igen.")


def save_routine(folder: Path, unit: str | None, routine: Routine) -> Routines:
    """Put `routine` in one section (None: the district's) and keep every other slot and section as it was.

    An empty routine takes the slot out of the section, so the district's shows again. The file is re-read
    under the lock, so two people saving at once both count; one that cannot be read is RoutineRefused and
    stays as it is. Who may save is the caller's rule (`may_change_routines`).
    """
    with locked(folder / LOCK_FILE):
        try:
            current = load_routines(folder)
        except ContentError:
            raise RoutineRefused(BROKEN) from None
        district = [r for r in current.routines if r.filled]
        units = {name: list(found) for name, found in current.units.items()}
        section = district if unit is None else units.setdefault(unit, [])
        kept = [r for r in section if r.id != routine.id]
        section[:] = sorted(
            [*kept, *([routine] if routine.filled else [])], key=lambda r: list(ROUTINE_SLOTS).index(r.id)
        )
        book = DistrictRoutines(routines=district, units=units)
        write_atomically(folder / ROUTINES_FILE, routines_yaml(book).encode("utf-8"))
    return read_routines(folder)


def routines_yaml(book: DistrictRoutines) -> str:
    """The file's text: the filled-in slots only, the district's first, then each unit's."""
    document: dict[str, object] = {
        "routines": [r.model_dump(mode="json", exclude_none=True) for r in book.routines if r.filled]
    }
    units = {
        unit: [r.model_dump(mode="json", exclude_none=True) for r in found if r.filled]
        for unit, found in book.units.items()
    }
    if any(units.values()):
        document["units"] = {unit: found for unit, found in units.items() if found}
    return HEADER + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
