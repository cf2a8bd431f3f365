"""The register of personal data: every table, column and per-person file the product makes is declared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from resurskurs.catalog.load import Catalog
from resurskurs.privacy.document import register_markdown
from resurskurs.privacy.register import KINDS, Root, declared_tables, kind_of_file
from resurskurs.tracking.course_dir import CourseDir
from tests.privacy_district import District, populate

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def district(tmp_path: Path, catalog: Catalog, course_dir: CourseDir) -> District:
    return populate(catalog, course_dir, tmp_path / "var")


class DescribeTheRegister:
    def it_declares_every_table_and_column_the_gradebook_holds(self, district: District) -> None:
        engine = sa.create_engine(district.stores.db_url)
        try:
            inspector = sa.inspect(engine)
            found = {name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()}
        finally:
            engine.dispose()
        declared = {name: set(columns) for name, columns in declared_tables().items()}
        undeclared = {name: sorted(columns - declared.get(name, set())) for name, columns in found.items()}
        assert {name: columns for name, columns in undeclared.items() if columns} == {}

    def it_declares_every_file_under_var_and_exercises(self, district: District) -> None:
        undeclared = [
            f"{root.value}/{file.relative_to(base).as_posix()}"
            for root in Root
            for base in [district.stores.root(root)]
            for file in base.rglob("*")
            if file.is_file() and kind_of_file(root, file.relative_to(base).as_posix()) is None
        ]
        assert undeclared == []

    def it_fails_on_a_new_per_person_file_or_column(self) -> None:
        assert kind_of_file(Root.VAR, "answers/eva.lund/prova-pa.json") is not None
        assert kind_of_file(Root.VAR, "notes/eva.lund.json") is None
        assert "phone" not in declared_tables()["student"]

    def it_says_what_why_who_and_how_long_for_every_kind(self) -> None:
        for kind in KINDS:
            assert kind.what and kind.why and kind.readers and kind.retention_from, kind.key
            assert kind.tables or kind.files, kind.key


class DescribeTheDocument:
    def it_is_generated_from_the_register_and_up_to_date(self) -> None:
        assert (REPO / "docs" / "PERSONAL_DATA.md").read_text(encoding="utf-8") == register_markdown(), (
            "docs/PERSONAL_DATA.md is stale: run `resurskurs privacy register --markdown -o docs/PERSONAL_DATA.md`"
        )

    def it_is_printed_in_swedish_by_the_command(self) -> None:
        shown = subprocess.run(
            [sys.executable, "-m", "resurskurs", "privacy", "register"],
            capture_output=True, encoding="utf-8", check=True, env=os.environ.copy(),
        ).stdout
        assert "Utkast" in shown and "Varför" in shown and "Sparas" in shown
