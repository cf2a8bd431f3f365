"""The `resurskurs` command is a contract: exit codes, the JSON keys of `list`, the schema files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from resurskurs.cli import app
from resurskurs.json_schema import SCHEMAS, schema_text
from tests.conftest import REPO, Edit

runner = CliRunner()
LIST_KEYS = ["slug", "title", "chapters", "stops", "quiz_items", "has_media", "subtitles"]


class DescribeCheck:
    def it_exits_0_on_valid_content(self, tree: Path) -> None:
        result = runner.invoke(app, ["check", str(tree)])
        assert result.exit_code == 0, result.output
        assert "OK: 1 courses, 1 films." in result.output

    def it_exits_1_and_lists_all_problems(self, tree: Path, edit: Edit) -> None:
        edit("courses/mini/course.yaml", "\nsummary:", "\nsumary:")
        edit("films/mini.yaml", "  end: 0:58", "  end: 1:05")
        result = runner.invoke(app, ["check", str(tree)])
        assert result.exit_code == 1
        assert "did you mean 'summary'?" in result.output
        assert "after the film's duration 1:00" in result.output
        assert "3 problem(s) found." in result.output

    def it_says_when_the_root_holds_no_content(self, tmp_path: Path) -> None:
        result = runner.invoke(app, ["check", str(tmp_path)])
        assert result.exit_code == 1
        assert "folder not found; expected courses/ and films/ under the content root" in result.output


class DescribeList:
    def it_prints_exactly_the_contract_keys_as_json(self, tree: Path) -> None:
        result = runner.invoke(app, ["list", str(tree), "--json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)
        assert rows == [
            {"slug": "mini", "title": "Minikurs", "chapters": 2, "stops": 2, "quiz_items": 2,
             "has_media": False, "subtitles": ["sv"]}
        ]

    def it_sees_media_once_the_file_is_there(self, tree: Path) -> None:
        (tree / "films" / "media").mkdir()
        (tree / "films" / "media" / "mini.webm").write_bytes(b"\x1a\x45\xdf\xa3")
        rows = json.loads(runner.invoke(app, ["list", str(tree), "--json"]).output)
        assert rows[0]["has_media"] is True

    def it_lists_the_nine_modules_of_the_repository(self) -> None:
        completed = subprocess.run(
            [sys.executable, "-m", "resurskurs", "list", "--json"], capture_output=True, text=True, check=True
        )
        rows = json.loads(completed.stdout)
        assert len(rows) == 9
        assert all(list(row) == LIST_KEYS for row in rows)


class DescribeSchema:
    def it_writes_json_schemas_that_match_the_committed_ones(self, tmp_path: Path) -> None:
        result = runner.invoke(app, ["schema", "--out", str(tmp_path)])
        assert result.exit_code == 0
        for name in SCHEMAS:
            written = (tmp_path / name).read_text(encoding="utf-8")
            assert written == (REPO / "schema" / name).read_text(encoding="utf-8"), (
                f"schema/{name} is stale; run `resurskurs schema`"
            )
            assert json.loads(written)["additionalProperties"] is False

    def it_describes_times_as_editors_see_them(self) -> None:
        chapter = json.loads(schema_text(SCHEMAS["film.schema.json"]))["$defs"]["FilmChapter"]
        assert {"type": "string", "pattern": r"^(\d+:)?[0-5]?\d:[0-5]\d(\.\d{1,3})?$"} in chapter["properties"][
            "start"
        ]["anyOf"]
