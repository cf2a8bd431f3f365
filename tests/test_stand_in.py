"""A narrated stand-in: as long as its manifest, one card per chapter, speech inside each subtitle cue, labelled,
made once, and never made over a real film."""

from __future__ import annotations

import array
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from resurskurs.catalog.load import Film, load_catalog
from resurskurs.films.media import ffmpeg_executable, probe
from resurskurs.films.stamp import NOTICE, is_stand_in, stamp_file
from resurskurs.films.stand_in import card, make_stand_in

RATE = 8000


def mini_film(tree: Path) -> Film:
    catalog = load_catalog(tree)
    assert catalog.problems == []
    return catalog.films["mini"]


def frame(video: Path, at: float, out: Path) -> Image.Image:
    subprocess.run([ffmpeg_executable(), "-v", "error", "-y", "-ss", str(at), "-i", str(video), "-frames:v", "1",
                    str(out)], check=True)
    return Image.open(out).convert("RGB")


def loudness(video: Path) -> list[float]:
    """Mean absolute amplitude of each tenth of a second of the sound track."""
    raw = subprocess.run([ffmpeg_executable(), "-v", "error", "-i", str(video), "-ac", "1", "-ar", str(RATE),
                          "-f", "s16le", "-"], check=True, capture_output=True).stdout
    samples = array.array("h", raw)
    step = RATE // 10
    return [sum(map(abs, samples[i : i + step])) / step for i in range(0, len(samples), step)]


def difference(a: Image.Image, b: Image.Image) -> float:
    return float(sum(ImageStat.Stat(ImageChops.difference(a, b)).mean))


class DescribeAStandIn:
    def it_is_as_long_as_the_manifest_with_a_card_per_chapter_and_speech_inside_each_cue(
        self, tree: Path, tmp_path: Path
    ) -> None:
        film = mini_film(tree)
        assert make_stand_in(film).startswith("mini: made mini.webm")
        video = tree / "films" / "media" / "mini.webm"
        found = probe(video)
        assert abs(found.duration - film.manifest.duration) < 0.5
        assert (found.video, found.audio) == ("vp9", "opus")
        assert (tree / "films" / "media" / "mini.jpg").read_bytes()[:2] == b"\xff\xd8"

        chapters = film.manifest.chapters
        cards = [card(film.manifest.title, f"Kapitel {n} av {len(chapters)}", c.title)
                 for n, c in enumerate(chapters, start=1)]
        for chapter in chapters:
            for at in (chapter.start + 1, chapter.end - 1):
                shown = frame(video, at, tmp_path / f"{chapter.id}-{at}.png")
                nearest = min(chapters, key=lambda other: difference(shown, cards[chapters.index(other)]))
                assert nearest == chapter, f"at {at} s the card of {chapter.id} should show"

        level = loudness(video)
        quiet = max(level[:8])
        for cue in film.subtitles["sv"]:
            spoken = level[round(cue.start * 10) : round(cue.end * 10)]
            assert max(spoken) > 20 * max(quiet, 1), f"the cue at {cue.start} s should be spoken"
        assert max(level[50:300]) <= max(quiet, 1) * 2, "no speech between the cues"

    def it_is_labelled_and_made_once(self, tree: Path) -> None:
        film = mini_film(tree)
        assert not is_stand_in(film)
        make_stand_in(film)
        assert is_stand_in(mini_film(tree))
        assert NOTICE == (
            "Exempelfilm: påhittad föreläsare och syntetisk röst – den riktiga filmen läggs in av resursteamet"
        )
        video = tree / "films" / "media" / "mini.webm"
        made = video.stat().st_mtime_ns
        assert make_stand_in(mini_film(tree)) == "mini: stand-in up to date"
        assert video.stat().st_mtime_ns == made

        subtitles = tree / "films" / "mini.sv.vtt"
        subtitles.write_text(subtitles.read_text(encoding="utf-8").replace("En mening", "Ett stycke"), encoding="utf-8")
        assert make_stand_in(mini_film(tree)).startswith("mini: made mini.webm")

    def it_never_replaces_a_real_film(self, tree: Path) -> None:
        media = tree / "films" / "media"
        media.mkdir(parents=True)
        (media / "mini.webm").write_bytes(b"a real film")
        film = mini_film(tree)
        assert make_stand_in(film) == f"mini: a real film is in {media / 'mini.webm'}; left as it is"
        assert (media / "mini.webm").read_bytes() == b"a real film"
        assert not is_stand_in(film)
        stamp = stamp_file(film)
        assert stamp is not None and not stamp.exists()
