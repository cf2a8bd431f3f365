"""The one seam between the pages and shared state, chosen once per page from `Settings`.

A page asks `backend_for(person)` and talks to what it gets (`contract.Backend`); it never asks whether it runs
on one machine or under the hub. Only this package and the server start know which implementation runs
(tests/test_architecture.py holds that).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from resurskurs.backend.settings import Settings

if TYPE_CHECKING:  # the server process asks `open_to_everyone_here` and must not load the pages' model for it
    from resurskurs.backend.contract import Backend
    from resurskurs.catalog.load import Catalog
    from resurskurs.district.roster import Person

__all__ = ["Settings", "backend_for", "open_to_everyone_here", "person_lookup"]


def backend_for(person: Person, catalog: Catalog, settings: Settings | None = None) -> Backend:
    """The hub's service when the spawner said where it is and gave the person's token; else this machine."""
    settings = Settings.from_environ() if settings is None else settings
    if settings.under_hub:
        from resurskurs.backend.hub import HubBackend

        return HubBackend(person, settings)
    from resurskurs.backend.local import LocalBackend
    from resurskurs.paths import var_root
    from resurskurs.tracking.course_dir import CourseDir

    return LocalBackend(person, catalog, CourseDir.default(), var_root())


def person_lookup(settings: Settings | None = None) -> Callable[[str], Person | None]:
    """Who a signed-in id is: the service's answer under the hub, where a person's server keeps no copy of the
    gradebook; the gradebook's row on this machine. None for an id that is nobody here (never imported, left)."""
    settings = Settings.from_environ() if settings is None else settings
    if settings.under_hub:
        from resurskurs.backend.hub import Service, ServicePeople

        return ServicePeople(Service(settings)).find
    from resurskurs.tracking.course_dir import default_db_url
    from resurskurs.tracking.people import find_person

    return partial(find_person, default_db_url())


def open_to_everyone_here(environ: Mapping[str, str], var: Path) -> bool:
    """Whether every module is open to everyone this server serves, known without a person or a network call:
    only on one machine whose district has no release file (ledningen först is off). Under the hub the releases
    live with the grader service; an unreadable release file closes the modules to staff, so it answers no too.
    """
    if Settings.from_environ(environ).under_hub:
        return False
    from resurskurs.district.releases import release_file

    try:
        os.stat(release_file(var))
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False
