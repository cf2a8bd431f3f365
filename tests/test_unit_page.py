"""The principal's unit page in words: each work team's summary counts people and modules so it cannot be misread,
and the running total of hand-ins is a sentence until there is a first week to draw."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import ipywidgets as w

from resurskurs.catalog.load import load_catalog
from resurskurs.core.figures import ProgressRow
from resurskurs.core.progress import COMPLETE, Status
from resurskurs.overview.charts import WEEK_MS, over_time
from resurskurs.overview.unit_page import NOTHING_HANDED_IN, over_time_section, team_summary
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from resurskurs.ui.widgets import Chart
from tests.conftest import REPO
from tests.test_releases import PRINCIPAL, RESOURCE_TEAM, STAFF_EKORREN, STAFF_HUMLAN, router_var, shown_to

__all__ = ["router_var"]

HANDED_IN = datetime(2026, 11, 2, 9, 30)


def row(person: str, slug: str, status: Status = Status.NOT_STARTED, percent: int = 0) -> ProgressRow:
    submitted = HANDED_IN if status in (Status.SUBMITTED, Status.REVIEWED) else None
    return ProgressRow(
        person, person.title(), "Ekorren", "Lag 1", slug, status, percent, None, None, None, None, submitted
    )


class DescribeATeamsSummary:
    def it_names_the_people_and_their_modules_so_two_people_in_one_module_do_not_read_as_two_modules(self) -> None:
        assert team_summary([row("anna", "lek"), row("bo", "lek")]) == "Klart: 0 av 2 (2 personer med 1 modul var)."

    def it_counts_only_what_was_handed_in_with_every_step_done(self) -> None:
        rows = [
            row("anna", "lek", Status.REVIEWED, COMPLETE),
            row("anna", "samtal", Status.SUBMITTED, 1),
            row("anna", "trygghet", Status.IN_PROGRESS, 80),
        ]
        assert team_summary(rows) == "Klart: 1 av 3 (1 person med 3 moduler)."

    def it_says_it_counts_per_person_and_module_when_people_have_different_modules(self) -> None:
        rows = [row("anna", "lek", Status.SUBMITTED, COMPLETE), row("anna", "samtal"), row("bo", "lek")]
        assert team_summary(rows) == "Klart: 1 av 3, räknat per person och modul (2 personer)."


class DescribeTheRunningTotal:
    def it_is_a_sentence_before_the_first_hand_in_with_no_chart_of_bare_numbers(self) -> None:
        shown = over_time_section([], 18, "plotly")
        assert [type(widget) for widget in shown] == [w.HTML]
        assert NOTHING_HANDED_IN in shown[0].value

    def it_is_a_chart_with_its_description_from_the_first_week(self) -> None:
        shown = over_time_section([(date(2026, 11, 2), 1), (date(2026, 11, 9), 3)], 18, "plotly")
        chart = shown[-1]
        assert isinstance(chart, Chart)
        assert chart.figure["data"][0]["y"] == [1, 3]
        assert chart.description.endswith("från 1 vecka 45 (2026-11-02) till 3 av 18 möjliga vecka 46 (2026-11-09).")

    def it_marks_whole_weeks_from_the_first_monday_and_whole_hand_ins(self) -> None:
        """plotly's own spacing marked the same Monday twice around a single week, and half a hand-in."""
        one = over_time([(date(2026, 11, 2), 3)], 18)[0]["layout"]
        assert (one["xaxis"]["tick0"], one["xaxis"]["dtick"]) == ("2026-11-02", WEEK_MS)
        assert one["xaxis"]["range"] == ["2026-10-29T12:00:00", "2026-11-05T12:00:00"]
        assert (one["yaxis"]["tick0"], one["yaxis"]["dtick"]) == (0, 1)
        term = [(date(2026, 8, 17) + timedelta(weeks=week), 40 * week) for week in range(20)]
        many = over_time(term, 900)[0]["layout"]
        assert many["xaxis"]["dtick"] == 4 * WEEK_MS
        assert "dtick" not in many["yaxis"], "hundreds of hand-ins: plotly's own round numbers"


class DescribeThePrincipalsPage:
    def it_shows_each_team_in_people_and_modules_and_says_nobody_has_handed_in_yet(self, router_var: Path) -> None:
        course_dir = CourseDir(router_var / "exercises", f"sqlite:///{router_var / 'gradebook.db'}")
        import_people([STAFF_EKORREN, STAFF_HUMLAN, PRINCIPAL, RESOURCE_TEAM], course_dir)
        modules = len(load_catalog(REPO).modules)
        shown = shown_to(PRINCIPAL, "vy=enhet")
        assert f"Klart: 0 av {modules} (1 person med {modules} moduler)." in shown
        assert NOTHING_HANDED_IN in shown
        assert "moduler klara" not in shown
