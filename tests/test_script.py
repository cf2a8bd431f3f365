"""Timing a lecture script gives subtitles that follow the subtitle guide and chapters that match."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from resurskurs.catalog.load import load_catalog
from resurskurs.catalog.subtitles import read_subtitles
from resurskurs.catalog.transcript import Transcript, TranscriptSection
from resurskurs.cli import app
from resurskurs.films import script
from tests.conftest import Edit

LONG = (
    "När barnet kommer till förskolan på morgonen behöver det en vuxen som tar emot. "
    "Den vuxna blir en trygg bas, någon som barnet kan utgå från när det vill utforska rummet och leken, "
    "och som det kan återvända till när något känns svårt eller nytt. Det tar tid!"
)


def _transcript() -> Transcript:
    return Transcript(
        "Prov",
        [TranscriptSection("Ett", 3, [LONG, "Kort mening."]), TranscriptSection("Två", 7, [LONG])],
    )


class DescribeCueTexts:
    def it_keeps_every_cue_within_two_lines_of_42_characters(self) -> None:
        for text in script.cue_texts(LONG):
            lines = text.split("\n")
            assert len(lines) <= 2
            assert all(len(line) <= script.LINE_WIDTH for line in lines)

    def it_loses_no_words(self) -> None:
        assert " ".join(t.replace("\n", " ") for t in script.cue_texts(LONG)).split() == LONG.split()


class DescribeTimeScript:
    def it_shows_each_cue_long_enough_to_read(self) -> None:
        for cue in script.time_script(_transcript()).cues:
            characters = len(cue.text.replace("\n", " "))
            assert cue.end - cue.start >= max(script.MIN_CUE_SECONDS, characters / 15) - 1e-6

    def it_puts_each_chapters_cues_inside_that_chapter(self) -> None:
        timed = script.time_script(_transcript())
        (first_start, first_end), (second_start, second_end) = timed.chapters
        assert first_start == 0 and first_end == second_start and second_end == timed.duration
        assert all(
            (first_start <= cue.start and cue.end <= first_end) or (second_start <= cue.start and cue.end <= second_end)
            for cue in timed.cues
        )
        assert all(float(t).is_integer() for span in timed.chapters for t in span)

    def it_writes_webvtt_that_reads_back_the_same(self, tmp_path: Path) -> None:
        timed = script.time_script(_transcript())
        file = tmp_path / "prov.sv.vtt"
        script.write_vtt(timed.cues, file)
        assert read_subtitles(file) == timed.cues


class DescribeScriptFilm:
    def it_writes_subtitles_and_chapter_times_that_pass_the_checks(self, tree: Path) -> None:
        timed = script.script_film(tree / "films" / "mini.yaml")
        film = load_catalog(tree).films["mini"]
        assert [(c.start, c.end) for c in film.manifest.chapters] == timed.chapters
        assert film.manifest.duration == timed.duration
        assert film.subtitles["sv"] == timed.cues
        assert (tree / "films" / "mini.yaml").read_text(encoding="utf-8").startswith(script.SCHEMA_HEADER)

    def it_refuses_when_the_headings_drift_from_the_chapter_titles(self, tree: Path, edit: Edit) -> None:
        edit("films/mini.sv.md", "## Andra kapitlet", "## Kapitel två")
        before = (tree / "films" / "mini.sv.vtt").read_text(encoding="utf-8")
        result = CliRunner().invoke(app, ["subtitles", "mini", "--root", str(tree)])
        assert result.exit_code == 1
        assert "differ from the transcript's headings" in result.output
        assert (tree / "films" / "mini.sv.vtt").read_text(encoding="utf-8") == before
