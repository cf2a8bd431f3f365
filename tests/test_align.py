"""Without the supplier's subtitles, `film add` moves the script's cues onto the film's speech by its pauses.

The film is a stand-in spoken at times the script does not know (pauses of varying length, as a
lecturer makes): the cues `film add` writes must start where the speech does, median error ≤ 0.5 s,
where the script's reading-speed timing alone is further off.
"""

from __future__ import annotations

import random
import shutil
import statistics
from pathlib import Path

import yaml

from resurskurs.catalog.load import load_catalog
from resurskurs.catalog.subtitles import Cue
from resurskurs.films import script
from resurskurs.films.align import _match, align
from resurskurs.films.film_add import add_film, script_cues
from resurskurs.films.stand_in import make_stand_in
from resurskurs.schema import FilmChapter
from tests.conftest import FIXTURE_TREE

TRANSCRIPT = """# Minifilm

## Första kapitlet

Barnen kommer in från gården. Vi möter dem i hallen. Någon behöver hjälp med stövlarna.
Vi säger hej till varje barn. Det tar en stund. Sedan går vi in till samlingen.
Där väntar en bild av dagen. Barnen ser vad som händer nu.

## Andra kapitlet

Efter maten är det vila. Några barn somnar fort. Andra ligger vakna och lyssnar.
En vuxen sitter kvar i rummet. Hon läser en kort saga. Rösten är lugn och låg.
När vilan är slut tänder vi lampan. Vi går ut igen.
"""


def lecture_timing(cues: list[Cue], chapters: list[tuple[float, float]]) -> tuple[list[Cue], list[float]]:
    """The script's cues as a lecturer says them: each as long, then a pause of 0.3–2.5 s; chapter starts."""
    pauses = random.Random(15)
    spoken: list[Cue] = []
    starts: list[float] = []
    clock = 0.0
    for start, end in chapters:
        starts.append(float(round(clock)))
        clock = starts[-1] + 1.0
        for cue in (cue for cue in cues if start <= cue.start < end):
            spoken.append(Cue(round(clock, 3), round(clock + cue.end - cue.start, 3), cue.text))
            clock = spoken[-1].end + pauses.uniform(0.3, 2.5)
        clock += 1.0
    return spoken, [*starts, float(round(clock + 0.5))]


class DescribePauseAlignment:
    def it_puts_each_cue_where_the_stand_in_speaks_it(self, tmp_path: Path) -> None:
        root = tmp_path / "root"
        shutil.copytree(FIXTURE_TREE, root)
        films = root / "films"
        (films / "mini.sv.md").write_text(TRANSCRIPT, encoding="utf-8")
        course = root / "courses" / "mini" / "course.yaml"
        course.write_text(course.read_text("utf-8").replace("      at: 0:40\n", ""), "utf-8")
        timed = script.script_film(films / "mini.yaml")
        truth, starts = lecture_timing(timed.cues, timed.chapters)
        data = yaml.safe_load((films / "mini.yaml").read_text("utf-8"))
        for chapter, start, end in zip(data["chapters"], starts, starts[1:], strict=False):
            chapter["start"], chapter["end"] = start, end
        data["duration"] = starts[-1]
        (films / "mini.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        script.write_vtt(truth, films / "mini.sv.vtt")
        assert make_stand_in(load_catalog(root).films["mini"]).startswith("mini: made")
        lecture = shutil.copy(films / "media" / "mini.webm", tmp_path / "föreläsning.webm")

        module = load_catalog(root).module("mini")
        unaligned = script_cues(module.film, [])
        assert unaligned is not None
        added = add_film(module, Path(lecture), None, lambda _: None)
        assert any("pause alignment" in warning for warning in added.warnings)

        aligned = load_catalog(root).films["mini"].subtitles["sv"]
        assert [cue.text for cue in aligned] == [cue.text for cue in truth]
        error = statistics.median(abs(a.start - t.start) for a, t in zip(aligned, truth, strict=True))
        before = statistics.median(abs(u.start - t.start) for u, t in zip(unaligned, truth, strict=True))
        assert error <= 0.5, f"median error {error:.2f} s (the script's timing alone: {before:.2f} s)"
        assert before > 2 * error, "the lecture's pauses put the script's timing off"


class DescribeMatchingCuesToOnsets:
    def it_takes_the_nearest_onsets_in_order_and_keeps_a_cue_with_none_near(self) -> None:
        assert _match([1.0, 5.0, 9.0, 13.0], [0.8, 2.0, 6.1, 9.5, 14.0]) == [0.8, 6.1, 9.5, 14.0]
        assert _match([1.0, 5.0, 9.0], [30.0]) == [1.0, 5.0, 9.0]
        assert _match([1.0, 5.0], []) == [1.0, 5.0]

    def it_keeps_cues_inside_their_chapter_and_ends_each_where_the_next_begins(self) -> None:
        chapters = [FilmChapter(id="a", title="A", start=0, end=10), FilmChapter(id="b", title="B", start=10, end=20)]
        cues = [Cue(1.0, 4.0, "ett"), Cue(5.0, 8.0, "två"), Cue(11.0, 15.0, "tre")]
        assert align(cues, chapters, [1.4, 5.5, 10.2, 12.0]) == [
            Cue(1.4, 5.5, "ett"), Cue(5.5, 8.0, "två"), Cue(10.2, 15.0, "tre")]  # fmt: skip
