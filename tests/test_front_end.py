"""The front-end chunks' one script: built from the installed files, in the listed order, safe to concatenate."""

from __future__ import annotations

import gzip
import logging
import subprocess
from pathlib import Path

import pytest
from voila.paths import collect_static_paths
from voila.utils import get_voila_labextensions_path

from resurskurs.server.front_end import GZIPPED, LEAD, Bundle, build_bundle, keep, listed_chunks
from resurskurs.server.voila_app import ResurskursVoila


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


def bundle_of(text: str) -> Bundle:
    return Bundle(text.encode(), text.encode().hex()[:16], ())


def files(folder: Path) -> dict[str, int]:
    """Each file's name and inode: a file written again gets a new inode (written atomically, by rename)."""
    return {file.name: file.stat().st_ino for file in folder.iterdir()}


class DescribeKeepingTheScript:
    def it_writes_the_script_and_its_gzipped_copy_once_for_a_front_end(self, tmp_path: Path) -> None:
        bundle = bundle_of("void 0;\nfirst = 1;")
        script = keep(bundle, tmp_path / "front-end")
        written = files(tmp_path / "front-end")
        assert script.read_bytes() == bundle.content
        assert gzip.decompress(Path(f"{script}{GZIPPED}").read_bytes()) == bundle.content
        assert keep(bundle, tmp_path / "front-end") == script
        assert files(tmp_path / "front-end") == written

    def it_writes_both_again_when_the_gzipped_copy_is_missing(self, tmp_path: Path) -> None:
        bundle = bundle_of("void 0;\nfirst = 1;")
        script = keep(bundle, tmp_path)
        Path(f"{script}{GZIPPED}").unlink()
        keep(bundle, tmp_path)
        assert gzip.decompress(Path(f"{script}{GZIPPED}").read_bytes()) == bundle.content

    def it_removes_what_an_older_front_end_left(self, tmp_path: Path) -> None:
        keep(bundle_of("void 0;\nold = 1;"), tmp_path)
        (tmp_path / "previews-0123.json").write_text("{}", encoding="utf-8")
        script = keep(bundle_of("void 0;\nnew = 2;"), tmp_path)
        assert sorted(files(tmp_path)) == sorted([script.name, f"{script.name}{GZIPPED}", "previews-0123.json"])

    def it_keeps_it_for_the_run_only_when_the_cache_cannot_be_written(
        self, tmp_path: Path, voila_app: ResurskursVoila, caplog: pytest.LogCaptureFixture
    ) -> None:
        app = voila_app
        (tmp_path / "var" / "cache").mkdir(parents=True)
        (tmp_path / "var" / "cache" / "front-end").write_text("not a folder", encoding="utf-8")
        app.log.addHandler(caplog.handler)  # the application's log does not reach the root logger
        try:
            with caplog.at_level(logging.WARNING):
                app.init_settings()
        finally:
            app.log.removeHandler(caplog.handler)
        kept = Path(app.bundle_folder) / app.bundle_name
        assert tmp_path not in kept.parents and kept.is_file() and Path(f"{kept}{GZIPPED}").is_file()
        assert "the front-end script is kept for this run only" in caplog.text


class DescribeTheChunkList:
    def it_names_only_files_the_installed_voila_and_widgets_have(self) -> None:
        static_paths = collect_static_paths(["voila", "nbconvert"], "lab")
        bundle = build_bundle(listed_chunks(), static_paths, get_voila_labextensions_path())
        assert bundle.missing == ()
        assert len(bundle.content) > 1_000_000
