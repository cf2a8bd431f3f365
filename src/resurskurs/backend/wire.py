"""The shapes that cross between the grader service and a user server, typed once for both sides.

Pydantic validates what arrives as strictly as it writes what leaves: a user server never builds a page
from a field the contract does not name.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter

from resurskurs.core.figures import DistrictFigures, EvaluationFigures, ModuleFigures, ProgressRow
from resurskurs.core.review import Review
from resurskurs.district.releases import Release, Releases, Unit
from resurskurs.district.roster import Person
from resurskurs.district.routines import DistrictRoutines, Routine, Routines

ROWS: TypeAdapter[list[ProgressRow]] = TypeAdapter(list[ProgressRow])
FIGURES: TypeAdapter[list[EvaluationFigures]] = TypeAdapter(list[EvaluationFigures])
MODULE_FIGURES: TypeAdapter[ModuleFigures] = TypeAdapter(ModuleFigures)
REVIEWS: TypeAdapter[dict[str, Review]] = TypeAdapter(dict[str, Review])
DISTRICT_FIGURES: TypeAdapter[DistrictFigures] = TypeAdapter(DistrictFigures)
PERSON: TypeAdapter[Person] = TypeAdapter(Person)


def releases_json(releases: Releases) -> dict[str, Any]:
    return {
        "started": releases.started,
        "releases": [release.model_dump(mode="json") for release in releases.releases],
        "problem": releases.problem,
    }


def releases_from_json(answer: dict[str, Any]) -> Releases:
    return Releases(
        started=bool(answer["started"]),
        releases=tuple(Release.model_validate(item) for item in answer["releases"]),
        problem=answer.get("problem"),
    )


def evaluations_json(shown: dict[tuple[str, str], EvaluationFigures]) -> list[Any]:
    dumped: list[Any] = FIGURES.dump_python(list(shown.values()), mode="json")
    return dumped


def evaluations_from_json(items: list[Any]) -> dict[tuple[str, str], EvaluationFigures]:
    return {(found.group, found.slug): found for found in FIGURES.validate_python(items)}


class RoutineChange(BaseModel):
    """POST /api/routines: one slot of one section (unit None: the district's); the person is the token's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Unit | None
    routine: Routine


def routines_json(routines: Routines) -> dict[str, Any]:
    return {"book": routines.book.model_dump(mode="json", exclude_none=True), "problem": routines.problem}


def routines_from_json(answer: dict[str, Any]) -> Routines:
    problem = answer.get("problem")
    return Routines(DistrictRoutines.model_validate(answer["book"]), None if problem is None else str(problem))
