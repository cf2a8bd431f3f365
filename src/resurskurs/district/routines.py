"""A district's local routines: named slots the modules refer to by id, filled in once per district.

The slots are the same everywhere, so a module can say where a local routine matters (its
orosanmälan routine, interpreter booking, plan mot kränkande behandling …). What each one says is
local: the district writes it in `routines.yaml` beside the roster. A slot nobody has filled in
stays empty and the module says so; the product never makes up a local fact.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, HttpUrl

from resurskurs.catalog.problems import ContentError
from resurskurs.catalog.validation import validate_document
from resurskurs.catalog.yaml_source import read_yaml
from resurskurs.schema.base import Slug, Strict, Text
from resurskurs.schema.vocabulary import ROUTINE_SLOTS

ROUTINES_FILE = "routines.yaml"
"""The district's file, beside the roster (var/roster.csv → var/routines.yaml)."""


EMPTY_TEXT = "Den här rutinen är inte ifylld än. Fråga din rektor hur ni gör på er förskoleenhet."
"""Shown for a slot the district has not filled in: it points to a person, never to a made-up routine."""


class Routine(Strict):
    """One slot as the district fills it in: its own words, and where to read more or whom to call."""

    id: Slug
    text: Text | None = None
    contact: Text | None = Field(default=None, description="Who to contact, e.g. a function and a phone number.")
    url: HttpUrl | None = Field(default=None, description="The district's own document, e.g. on the intranet.")


class DistrictRoutines(Strict):
    routines: list[Routine] = Field(default_factory=list)


def empty_routines() -> DistrictRoutines:
    """Every slot, none filled in: what a district has before it writes its own."""
    return DistrictRoutines(routines=[Routine(id=slot) for slot in ROUTINE_SLOTS])


def load_routines(folder: Path) -> DistrictRoutines:
    """Read folder/routines.yaml; every slot is present in the result, unfilled ones empty.

    A missing file means nothing is filled in yet. An unknown slot id or a bad field is a
    ContentError naming the file, the field and the slots that exist.
    """
    file = folder / ROUTINES_FILE
    if not file.is_file():
        return empty_routines()
    document = read_yaml(file)
    given = validate_document(DistrictRoutines, document)
    problems = [
        document.problem(
            ("routines", index, "id"),
            f"no local-routine slot {routine.id!r}; expected one of: {', '.join(ROUTINE_SLOTS)}",
            f"routines[{index}].id",
        )
        for index, routine in enumerate(given.routines)
        if routine.id not in ROUTINE_SLOTS
    ]
    if problems:
        raise ContentError(problems)
    filled = {routine.id: routine for routine in given.routines}
    return DistrictRoutines(routines=[filled.get(slot, Routine(id=slot)) for slot in ROUTINE_SLOTS])
