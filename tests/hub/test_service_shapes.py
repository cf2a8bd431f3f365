"""What crosses the grader service's wire for releases, the follow-up and activity, without a hub: fast."""

from __future__ import annotations

from datetime import UTC, date, datetime

from resurskurs.backend.contract import Refused
from resurskurs.backend.wire import FIGURES, releases_from_json, releases_json
from resurskurs.core.figures import EvaluationFigures, LikertFigures
from resurskurs.district.releases import Release, Releases
from resurskurs.district.roster import Person, Role
from resurskurs.player.session import ProgressReports

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
        assert FIGURES.validate_python(FIGURES.dump_python([found], mode="json")) == [found]


class DescribeProgressReports:
    def it_reports_once_per_module_within_the_interval(self) -> None:
        sent: list[tuple[str, int]] = []
        reports = ProgressReports(30.0)

        def report(slug: str, percent: int) -> None:
            sent.append((slug, percent))

        started = [
            reports(report, "a", 10, 0.0, wait=True),
            reports(report, "a", 20, 29.0, wait=True),
            reports(report, "b", 5, 29.0, wait=True),
            reports(report, "a", 30, 30.0, wait=True),
        ]
        assert started == [True, False, True, True]
        assert sent == [("a", 10), ("b", 5), ("a", 30)]

    def it_swallows_a_refusal_and_an_unreachable_store(self) -> None:
        def refuse(slug: str, percent: int) -> None:
            raise Refused("för ofta")

        def unreachable(slug: str, percent: int) -> None:
            raise OSError("connection refused")

        assert ProgressReports(30.0)(refuse, "a", 10, 0.0, wait=True) is True
        assert ProgressReports(30.0)(unreachable, "a", 10, 0.0, wait=True) is True
