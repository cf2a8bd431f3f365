"""Ledningen först: a module opens to principals first, and each principal releases it to their units.

A release names a module, a unit and the date of the unit's gruppträff. Staff see a module only
once it is released to their unit; principals and the resource team see every module.

The district turns the rule on by having `releases.json` beside the roster (`resurskurs release
--start`, or `resurskurs demo`). Without the file every module is open to everyone, as before the
rule existed, and the principal's page says so. A file that cannot be read closes the modules to
staff and says why on every page (fail closed, never silently), and no release overwrites it, so
what the principals released is never lost to a write on top of a damaged file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from resurskurs.district.roster import MAX_LENGTHS, PERSON_ID, Person, Role
from resurskurs.files import locked, write_atomically
from resurskurs.schema.base import Slug

RELEASES_FILE = "releases.json"
"""The district's releases, beside the roster (var/roster.csv → var/releases.json)."""
LOCK_FILE = ".releases.lock"

UNREADABLE = (
    "Vi kan inte läsa vilka moduler som är öppnade just nu, så modulerna är stängda för personalen tills "
    "resursteamet har rättat det. Det du redan har skrivit är sparat."
)
"""Shown to everyone when the file is damaged: nothing is opened or closed without people being told."""

Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LENGTHS["unit"])]
PersonId = Annotated[str, StringConstraints(pattern=PERSON_ID.replace(r"\A", "^").replace(r"\Z", "$"))]


class Release(BaseModel):
    """One module released to one unit, with the date the unit meets for its gruppträff."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: Slug
    unit: Unit
    workshop: date = Field(description="The date of the unit's gruppträff (part B).")
    released_by: PersonId | None = Field(default=None, description="The principal's id; None from the command line.")
    released_at: datetime


class ReleaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    releases: list[Release] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_per_module_and_unit(self) -> ReleaseFile:
        seen: set[tuple[str, str]] = set()
        for index, release in enumerate(self.releases):
            key = (release.slug, release.unit)
            if key in seen:
                raise ValueError(f"releases[{index}]: {release.slug!r} is released to {release.unit!r} twice")
            seen.add(key)
        return self


PAST = "Datumet har redan varit. Skriv datumet för gruppträffen, i dag eller senare."
"""A principal's release names a gruppträff still to come; the resource team may record one already held."""


class ReleaseRefused(ValueError):
    """A release that may not be made; the message is Swedish, for the person who tried."""


@dataclass(frozen=True)
class Releases:
    """What the district has released, read once per page."""

    started: bool
    """The district uses ledningen först (the file exists); without it every module is open."""
    releases: tuple[Release, ...] = ()
    problem: str | None = None
    """Why the file could not be read (file and field, for the resource team); modules are then closed to staff."""

    def opens(self, person: Person, slug: str) -> bool:
        """Whether `person` may open module `slug`: principals and the resource team always may."""
        if person.role is not Role.STAFF or not self.started:
            return True
        return self.problem is None and self.to_unit(person.unit, slug) is not None

    def to_unit(self, unit: str, slug: str) -> Release | None:
        return next((r for r in self.releases if r.slug == slug and r.unit == unit), None)

    def for_units(self, units: tuple[str, ...] | list[str]) -> list[Release]:
        """The releases to these units only, by module and unit."""
        return sorted((r for r in self.releases if r.unit in units), key=lambda r: (r.slug, r.unit))

    def seen_by(self, person: Person) -> Releases:
        """What `person` may know: the resource team every release, anyone else those to their own units."""
        if person.role is Role.RESOURCE_TEAM:
            return self
        return Releases(self.started, tuple(self.for_units(person.units)), self.problem)


@dataclass(frozen=True)
class FileReleases:
    """The releases file in `folder` (var/ on one machine; the grader service's own var under the hub)."""

    folder: Path

    def load(self) -> Releases:
        return load_releases(self.folder)

    def release(self, slug: str, units: list[str], workshop: date, by: Person, now: datetime) -> Releases:
        return release(self.folder, slug, units, workshop, by, now)


def is_past(workshop: date, now: datetime) -> bool:
    """A gruppträff before today, by the server's own calendar: a principal cannot release a module for it."""
    return workshop < now.astimezone().date()


def release_file(folder: Path) -> Path:
    return folder / RELEASES_FILE


def load_releases(folder: Path) -> Releases:
    """Read and validate the district's releases; a damaged file becomes `problem`, never an exception."""
    file = release_file(folder)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return Releases(started=False)
    except OSError as error:
        return Releases(started=True, problem=f"{file}: cannot read the file: {error.strerror}")
    try:
        parsed = ReleaseFile.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        return Releases(started=True, problem=f"{file}: {where}: {first['msg']} ({error.error_count()} problem(s))")
    return Releases(started=True, releases=tuple(parsed.releases))


def start(folder: Path) -> bool:
    """Turn ledningen först on (an empty release file); False when it was already on."""
    with locked(folder / LOCK_FILE):
        if release_file(folder).exists():
            return False
        _write(folder, [])
        return True


def may_release(person: Person, unit: str) -> bool:
    """A principal releases to the units they lead; the resource team to any unit."""
    return person.role is Role.RESOURCE_TEAM or (person.role is Role.PRINCIPAL and unit in person.units)


def release(folder: Path, slug: str, units: list[str], workshop: date, by: Person | None, now: datetime) -> Releases:
    """Release `slug` to `units` with the gruppträff date; releasing again moves the date.

    `by` is the signed-in person (checked with `may_release`, and refused a gruppträff already past by
    the server's own calendar); None is the resource team at the command line or the demo, which may
    record gruppträffar already held. The file is re-read under the lock, so two principals releasing at
    once both count.
    """
    if not units:
        raise ReleaseRefused("Välj minst en förskoleenhet.")
    if by is not None and is_past(workshop, now):
        raise ReleaseRefused(PAST)
    refused = [unit for unit in units if by is not None and not may_release(by, unit)]
    if refused:
        raise ReleaseRefused(f"Du kan bara öppna moduler för dina egna enheter, inte för {', '.join(refused)}.")
    with locked(folder / LOCK_FILE):
        current = load_releases(folder)
        if not current.started:
            raise ReleaseRefused("Ledningen först är inte påslaget i förvaltningen, så alla moduler är redan öppna.")
        if current.problem is not None:
            raise ReleaseRefused(UNREADABLE)
        added = [
            Release(slug=slug, unit=unit, workshop=workshop, released_by=by.id if by else None, released_at=now)
            for unit in dict.fromkeys(units)
        ]
        kept = [r for r in current.releases if not (r.slug == slug and r.unit in units)]
        try:
            releases = ReleaseFile(releases=[*kept, *added]).releases
        except ValidationError as error:
            raise ReleaseRefused(f"Uppgifterna kunde inte sparas: {error.errors()[0]['msg']}") from None
        _write(folder, releases)
    return Releases(started=True, releases=tuple(releases))


def _write(folder: Path, releases: list[Release]) -> None:
    document = {"releases": [release.model_dump(mode="json") for release in releases]}
    write_atomically(release_file(folder), (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode())
