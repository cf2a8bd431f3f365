"""Chapter times from subtitles: each chapter starts where its first script line is spoken, and a chapter whose
line is not in the subtitles is named with what was looked for and what came closest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from resurskurs.catalog.load import Film, load_catalog
from resurskurs.catalog.subtitles import Cue
from resurskurs.films.chapters import ChapterError, chapters_from_subtitles, stops_outside
from resurskurs.schema import FilmChapter
from tests.conftest import FIXTURE_TREE, REPO


def times(chapters: Sequence[FilmChapter]) -> list[tuple[float, float]]:
    return [(chapter.start, chapter.end) for chapter in chapters]


def later(cues: list[Cue], seconds: float, from_index: int = 0) -> list[Cue]:
    """The cues from `from_index` on moved later, as when the lecturer pauses or says more than the script."""
    return [
        Cue(cue.start + seconds, cue.end + seconds, cue.text) if index >= from_index else cue
        for index, cue in enumerate(cues)
    ]


@pytest.fixture(scope="module")
def repo_films() -> dict[str, Film]:
    catalog = load_catalog(REPO)
    assert catalog.problems == []
    return catalog.films


@pytest.fixture
def mini() -> Film:
    return load_catalog(FIXTURE_TREE).films["mini"]


class DescribeChapterTimesFromSubtitles:
    @pytest.mark.parametrize("name", sorted(path.stem for path in (REPO / "films").glob("*.yaml")))
    def it_finds_every_modules_chapters_where_its_stand_in_speaks_them(
        self, repo_films: dict[str, Film], name: str
    ) -> None:
        # The stand-ins speak the subtitles made from the script, whose chapter times the manifests hold.
        film = repo_films[name]
        found = chapters_from_subtitles(film, film.subtitles["sv"], film.manifest.duration)
        assert times(found) == times(film.manifest.chapters)
        assert [chapter.id for chapter in found] == [chapter.id for chapter in film.manifest.chapters]

    def it_follows_a_real_lecture_that_runs_longer_than_the_script(self, repo_films: dict[str, Film]) -> None:
        film = repo_films["takk"]
        cues = film.subtitles["sv"]
        third = next(index for index, cue in enumerate(cues) if cue.start >= film.manifest.chapters[2].start)
        lecture = later(later(cues, 12.5), 40.25, third)
        found = chapters_from_subtitles(film, lecture, film.manifest.duration + 60)
        assert [start for start, _ in times(found)] == [
            0.0,
            film.manifest.chapters[1].start + 12.5,
            film.manifest.chapters[2].start + 52.75,
            *(chapter.start + 52.75 for chapter in film.manifest.chapters[3:]),
        ]
        assert found[-1].end == pytest.approx(film.manifest.duration + 60)

    def it_starts_a_chapter_a_second_before_its_first_cue_but_never_inside_the_cue_before(self, mini: Film) -> None:
        cues = [
            Cue(0.5, 3.0, "En mening i första kapitlet."),
            Cue(3.0, 30.4, "Och så talar hon länge om något annat."),
            Cue(30.9, 33.0, "En mening i andra kapitlet."),
        ]
        assert times(chapters_from_subtitles(mini, cues, 60.0)) == [(0.0, 30.4), (30.4, 60.0)]

    def it_reads_a_supplier_who_breaks_the_lines_elsewhere_and_words_that_differ_a_little(self, mini: Film) -> None:
        cues = [
            Cue(1.0, 4.0, "En mening i första kapitlet."),
            Cue(20.0, 22.0, "Ja, och sen."),
            Cue(35.0, 36.5, "Ja, en mening"),
            Cue(36.5, 38.0, "i det andra kapitlet."),
        ]
        assert times(chapters_from_subtitles(mini, cues, 60.0)) == [(0.0, 34.0), (34.0, 60.0)]

    def it_names_each_chapter_it_cannot_find_with_the_closest_cue(self, mini: Film) -> None:
        cues = [Cue(1.0, 4.0, "En mening i första kapitlet."), Cue(31.0, 34.0, "Något helt annat sägs i andra.")]
        with pytest.raises(ChapterError) as raised:
            chapters_from_subtitles(mini, cues, 60.0)
        assert str(raised.value) == (
            "cannot set the chapter times of mini.yaml from the subtitles: chapter 2 'andra' (Andra kapitlet): "
            "no cue after 0:01 begins with its first line ”En mening i andra kapitlet.” (closest: cue 2 at 0:31, "
            "”Något helt annat sägs i andra.”, 40% of those words). Expected each chapter's first line in "
            "mini.sv.md to be spoken at the start of the chapter: correct the subtitles or the transcript, or set "
            "the chapter times by hand"
        )

    def it_looks_for_a_chapter_only_after_the_one_before(self, mini: Film) -> None:
        cues = [Cue(1.0, 4.0, "En mening i andra kapitlet."), Cue(31.0, 34.0, "En mening i första kapitlet.")]
        with pytest.raises(ChapterError, match=r"chapter 2 'andra' \(Andra kapitlet\): no cue after 0:31 begins"):
            chapters_from_subtitles(mini, cues, 60.0)

    def it_refuses_a_last_chapter_that_would_start_after_the_film_ends(self, mini: Film) -> None:
        cues = [Cue(1.0, 4.0, "En mening i första kapitlet."), Cue(31.0, 34.0, "En mening i andra kapitlet.")]
        with pytest.raises(ChapterError, match=r"chapter 2 starts at 0:30, at or after the film's end 0:25"):
            chapters_from_subtitles(mini, cues, 25.0)

    def it_needs_the_transcript_to_know_each_chapters_first_line(self, mini: Film) -> None:
        with pytest.raises(ChapterError, match=r"the film has no `transcript:`; expected one"):
            chapters_from_subtitles(replace(mini, transcript=None), mini.subtitles["sv"], 60.0)

    def it_names_stops_that_new_times_would_leave_outside_their_chapter(self) -> None:
        module = load_catalog(FIXTURE_TREE).module("mini")
        moved = [module.film.manifest.chapters[0].model_copy(update={"end": 45.0}),
                 module.film.manifest.chapters[1].model_copy(update={"start": 45.0, "end": 60.0})]  # fmt: skip
        assert stops_outside(module, moved) == ["stop 'stopp-2' at 0:40 would lie outside chapter 'andra' (0:45–1:00)"]
        assert stops_outside(module, module.film.manifest.chapters) == []


def chapters_command(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    settings = {"RESURSKURS_ROOT": str(root), "RESURSKURS_VAR": str(root.parent / "var")}
    return subprocess.run(
        [sys.executable, "-m", "resurskurs", "film", "chapters", "--course", "mini", *args],
        env={**os.environ, **settings}, capture_output=True, encoding="utf-8", timeout=120,
    )  # fmt: skip


class DescribeTheChaptersCommand:
    @pytest.fixture
    def root(self, tmp_path: Path) -> Path:
        shutil.copytree(FIXTURE_TREE, tmp_path / "root")
        return tmp_path / "root"

    def it_proposes_times_from_the_suppliers_file_and_changes_nothing_unless_asked(
        self, root: Path, tmp_path: Path
    ) -> None:
        srt = tmp_path / "leverantör.srt"
        srt.write_text("1\n00:00:02,000 --> 00:00:05,000\nEn mening i första kapitlet.\n\n"
                       "2\n00:00:36,500 --> 00:00:39,000\nEn mening i andra kapitlet.\n", "utf-8")  # fmt: skip
        manifest = root / "films" / "mini.yaml"
        before = manifest.read_bytes()
        completed = chapters_command(root, "--subtitles", str(srt))
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.splitlines() == [
            "chapter forsta: 0:00–0:35.5 from the subtitles (was 0:00–0:30)",
            "chapter andra: 0:35.5–1:00 from the subtitles (was 0:30–0:58)",
            "Nothing was changed; --write sets these times.",
        ]
        assert manifest.read_bytes() == before

        assert chapters_command(root, "--subtitles", str(srt), "--write").returncode == 0
        catalog = load_catalog(root)
        assert catalog.problems == []
        assert times(catalog.films["mini"].manifest.chapters) == [(0.0, 35.5), (35.5, 60.0)]
        assert manifest.read_text("utf-8").startswith("# yaml-language-server: $schema=")

    def it_reads_the_films_own_subtitles_by_default(self, root: Path) -> None:
        completed = chapters_command(root)
        assert completed.returncode == 0, completed.stderr
        assert "chapter andra: 0:30–1:00 from the subtitles (was 0:30–0:58)" in completed.stdout

    def it_refuses_times_that_would_leave_a_stop_outside_its_chapter(self, root: Path, tmp_path: Path) -> None:
        srt = tmp_path / "sen.srt"
        srt.write_text("1\n00:00:02,000 --> 00:00:05,000\nEn mening i första kapitlet.\n\n"
                       "2\n00:00:46,000 --> 00:00:49,000\nEn mening i andra kapitlet.\n", "utf-8")  # fmt: skip
        before = (root / "films" / "mini.yaml").read_bytes()
        completed = chapters_command(root, "--subtitles", str(srt), "--write")
        assert completed.returncode == 1
        assert "stop 'stopp-2' at 0:40 would lie outside chapter 'andra' (0:45–1:00)" in completed.stderr
        assert "move its `at:` in" in completed.stderr and "Nothing was changed." in completed.stderr
        assert "Traceback" not in completed.stderr
        assert (root / "films" / "mini.yaml").read_bytes() == before
