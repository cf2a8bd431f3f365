"""The front-end chunks' one script: built from the installed files, in the listed order, safe to concatenate."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from voila.paths import collect_static_paths
from voila.utils import get_voila_labextensions_path

from resurskurs.server.front_end import LEAD, build_bundle, listed_chunks


@pytest.fixture
def folders(tmp_path: Path) -> tuple[list[str], list[str]]:
    static = tmp_path / "static"
    labextensions = tmp_path / "labextensions"
    (static).mkdir()
    (labextensions / "widgets" / "static").mkdir(parents=True)
    (static / "1.voila.js").write_text('"use strict";(self.chunks=self.chunks||[]).push([[1],{}]);', encoding="utf-8")
    (labextensions / "widgets" / "static" / "2.js").write_text("sloppy = 2; // no newline at the end", encoding="utf-8")
    return [str(static)], [str(labextensions)]


class DescribeBuildingTheScript:
    def it_joins_the_listed_files_in_order_after_a_first_statement(self, folders: tuple[list[str], list[str]]) -> None:
        bundle = build_bundle(["labextensions/widgets/static/2.js", "static/1.voila.js"], *folders)
        assert bundle.content.startswith(LEAD)
        assert bundle.content.index(b"sloppy = 2") < bundle.content.index(b"use strict")
        assert bundle.missing == ()
        assert bundle.name == f"front-end-{bundle.digest}.js"

    def it_keeps_one_chunks_strict_mode_and_line_comment_from_the_next(
        self, folders: tuple[list[str], list[str]], tmp_path: Path
    ) -> None:
        bundle = build_bundle(["static/1.voila.js", "labextensions/widgets/static/2.js", "static/1.voila.js"], *folders)
        script = tmp_path / "bundle.js"
        script.write_bytes(bundle.content + b"\nconsole.log(sloppy, self.chunks.length);")
        ran = subprocess.run(
            ["node", "-e", f"globalThis.self = globalThis; require({str(script)!r});"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.split() == ["2", "2"]

    def it_leaves_out_a_chunk_that_is_not_installed_and_names_it(
        self, folders: tuple[list[str], list[str]], caplog: pytest.LogCaptureFixture
    ) -> None:
        bundle = build_bundle(["static/1.voila.js", "static/404.voila.js"], *folders)
        assert bundle.missing == ("static/404.voila.js",)
        assert b"use strict" in bundle.content
        assert "static/404.voila.js" in caplog.text

    def it_changes_its_name_when_a_chunk_changes(self, folders: tuple[list[str], list[str]]) -> None:
        before = build_bundle(["static/1.voila.js"], *folders)
        Path(folders[0][0], "1.voila.js").write_text("(self.chunks=[]).push([[1],{}]);", encoding="utf-8")
        assert build_bundle(["static/1.voila.js"], *folders).name != before.name

    @pytest.mark.parametrize("chunk", ["1.voila.js", "static/../../secret.js", "labextensions/../x.js"])
    def it_refuses_a_line_outside_voilas_two_folders(self, folders: tuple[list[str], list[str]], chunk: str) -> None:
        with pytest.raises(ValueError, match=r"front_end_chunks\.txt"):
            build_bundle([chunk], *folders)


class DescribeTheChunkList:
    def it_names_only_files_the_installed_voila_and_widgets_have(self) -> None:
        static_paths = collect_static_paths(["voila", "nbconvert"], "lab")
        bundle = build_bundle(listed_chunks(), static_paths, get_voila_labextensions_path())
        assert bundle.missing == ()
        assert len(bundle.content) > 1_000_000
