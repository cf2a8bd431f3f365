"""What crosses the grader service's wire for releases, the follow-up and activity, without a hub: fast."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from resurskurs.core.figures import EvaluationFigures, LikertFigures
from resurskurs.district.releases import Release, Releases
from resurskurs.district.roster import Person, Role
from resurskurs.tracking.service_client import (
    ActivityPoster,
    ServiceError,
    figures_from_json,
    figures_json,
    releases_from_json,
    releases_json,
)

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
STAFF = Person("anna.berg", "Anna", "Berg", "anna.berg@forskola.example", "Solrosen", "Blå", Role.STAFF)
PRINCIPAL = Person(
    "rut.lind", "Rut", "Lind", "rut.lind@forskola.example", "Solrosen", "Ledning", Role.PRINCIPAL, ("Lärkan",)
)
TEAM = Person("eva.ros", "Eva", "Ros", "eva.ros@forskola.example", "Resursenheten", "Resursteamet", Role.RESOURCE_TEAM)


def _release(unit: str) -> Release:
    return Release(
        slug="lek-och-samspel", unit=unit, workshop=date(2027, 2, 1), released_by="rut.lind", released_at=NOW
    )


ALL = Releases(started=True, releases=tuple(_release(unit) for unit in ("Lärkan", "Solrosen", "Vitsippan")))


class DescribeWhatAPersonIsToldOfReleases:
    def it_tells_staff_only_their_own_units(self) -> None:
        assert [r.unit for r in ALL.seen_by(STAFF).releases] == ["Solrosen"]

    def it_tells_a_principal_every_unit_they_lead(self) -> None:
        assert [r.unit for r in ALL.seen_by(PRINCIPAL).releases] == ["Lärkan", "Solrosen"]

    def it_tells_the_resource_team_everything(self) -> None:
        assert ALL.seen_by(TEAM) == ALL

    def it_keeps_a_problem_and_the_rule_being_on(self) -> None:
        damaged = Releases(started=True, problem="releases.json: trasig")
        assert damaged.seen_by(STAFF) == damaged and not damaged.seen_by(STAFF).opens(STAFF, "lek-och-samspel")

    def it_survives_the_wire_unchanged(self) -> None:
        assert releases_from_json(releases_json(ALL)) == ALL
        assert releases_from_json(releases_json(Releases(started=False))) == Releases(started=False)


class DescribeFollowUpFiguresOnTheWire:
    def it_survives_the_wire_unchanged(self) -> None:
        found = EvaluationFigures(
            "lek-och-samspel",
            "Solrosen",
            5,
            [LikertFigures("f1", "Jag gör annorlunda.", (0, 1, 1, 2, 1))],
            {"g1": ["a"]},
        )
        assert figures_from_json(figures_json(found)) == found


class DescribeTheActivityPoster:
    def it_posts_once_per_module_within_the_interval(self) -> None:
        sent: list[tuple[str, dict[str, Any]]] = []
        poster = ActivityPoster(30.0, lambda path, body: sent.append((path, body)))
        assert [poster("a", 10, 0.0), poster("a", 20, 29.0), poster("b", 5, 29.0), poster("a", 30, 30.0)] == [
            True,
            False,
            True,
            True,
        ]
        assert sent == [
            ("api/activity", {"slug": "a", "percent": 10}),
            ("api/activity", {"slug": "b", "percent": 5}),
            ("api/activity", {"slug": "a", "percent": 30}),
        ]

    def it_swallows_an_unreachable_service(self) -> None:
        def refuse(path: str, body: dict[str, Any]) -> None:
            raise ServiceError(0, "connection refused")

        assert ActivityPoster(30.0, refuse)("a", 10, 0.0) is False
