"""`resurskurs film add` on films made here: web versions, poster, subtitles, chapter times from the supplier's
subtitles and the sign-language version from good files; a clear message, exit 1 and nothing changed for a
truncated, sound-only or too short one.

Every command runs as a real process against a copy of the fixture tree under tmp_path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from resurskurs.catalog.load import load_catalog
from resurskurs.catalog.subtitles import Cue
from resurskurs.films.film_add import script_cues
from resurskurs.films.media import ffmpeg_executable, probe
from resurskurs.films.stamp import is_stand_in
from resurskurs.films.stand_in import make_stand_in
from tests.conftest import FIXTURE_TREE, REPO

SRT = """1
00:00:01,000 --> 00:00:04,000
En mening i första kapitlet.

2
00:00:31,000 --> 00:00:34,500
En mening i andra kapitlet,
på två rader.
"""


@dataclass(frozen=True)
class Films:
    whole: Path
    short: Path
    sound_only: Path
    truncated: Path
    broken_off: Path
    signed: Path


def render(
    target: Path, seconds: int, *streams: str, faststart: bool = False, size: str = "1280x720:rate=5", rate: int = 22050
) -> Path:
    inputs = {
        "video": ["-f", "lavfi", "-i", f"testsrc2=size={size}:duration={seconds}"],
        "audio": ["-f", "lavfi", "-i", f"sine=frequency=300:sample_rate={rate}:duration={seconds}"],
    }
    arguments = [argument for stream in streams for argument in inputs[stream]]
    if "video" in streams:
        arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    arguments += ["-c:a", "aac", *(["-movflags", "+faststart"] if faststart else [])]
    subprocess.run([ffmpeg_executable(), "-v", "error", "-y", *arguments, str(target)], check=True)
    return target


def cut(source: Path, target: Path, share: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * share)])
    return target


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> Films:
    """A camera's MP4 (index at the end), one with the index first, a short one and a sound-only one."""
    folder = tmp_path_factory.mktemp("films")
    whole = render(folder / "föreläsning.mp4", 60, "video", "audio")
    fronted = render(folder / "fronted.mp4", 60, "video", "audio", faststart=True)
    return Films(
        whole=whole,
        short=render(folder / "kort.mp4", 20, "video", "audio"),
        sound_only=render(folder / "ljud.m4a", 60, "audio"),
        truncated=cut(whole, folder / "avbruten.mp4", 0.5),
        broken_off=cut(fronted, folder / "halv.mp4", 0.5),
        signed=render(folder / "tolk.mov", 60, "video", size="640x360:rate=5"),
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_TREE, tmp_path / "root")
    return tmp_path / "root"


def film_add(root: Path, *args: str, course: str = "mini") -> subprocess.CompletedProcess[str]:
    settings = {"RESURSKURS_ROOT": str(root), "RESURSKURS_VAR": str(root.parent / "var")}
    return subprocess.run(
        [sys.executable, "-m", "resurskurs", "film", "add", *args, "--course", course],
        cwd=root.parent,
        env={**os.environ, **settings},
        capture_output=True,
        encoding="utf-8",
        timeout=300,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def refused(root: Path, completed: subprocess.CompletedProcess[str], before: dict[str, bytes], message: str) -> None:
    assert "Traceback" not in completed.stdout + completed.stderr, completed.stderr
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert message in completed.stderr
    assert "Nothing was changed." in completed.stderr
    assert snapshot(root) == before, "a refused film must leave every file as it was, and no temporary files"


class DescribeAddingARealFilm:
    def it_makes_web_versions_a_poster_and_subtitles_from_the_suppliers_srt(
        self, root: Path, films: Films, tmp_path: Path
    ) -> None:
        assert make_stand_in(load_catalog(root).films["mini"]).startswith("mini: made")
        srt = tmp_path / "leverantör.srt"
        srt.write_text(SRT, encoding="utf-8")
        completed = film_add(root, str(films.whole), "--subtitles", str(srt))
        assert completed.returncode == 0, completed.stderr
        assert "making the web versions: 100 %" in completed.stdout

        catalog = load_catalog(root)
        assert catalog.problems == []
        film = catalog.films["mini"]
        assert (film.manifest.source, film.manifest.small, film.manifest.poster) == (
            "media/mini.mp4",
            "media/mini.small.mp4",
            "media/mini.jpg",
        )
        assert abs(film.manifest.duration - 60) < 0.2
        assert [(cue.start, cue.end, cue.text) for cue in film.subtitles["sv"]] == [
            (1.0, 4.0, "En mening i första kapitlet."),
            (31.0, 34.5, "En mening i andra kapitlet,\npå två rader."),
        ]
        assert film.has_media and not is_stand_in(film)
        assert [(chapter.start, chapter.end) for chapter in film.manifest.chapters] == [
            (0.0, 30.0),
            (30.0, film.manifest.duration),
        ], "the chapters start where their first lines are spoken"

        media = root / "films" / "media"
        main, small = probe(media / "mini.mp4"), probe(media / "mini.small.mp4")
        assert (main.video, main.audio, main.height, small.video, small.audio, small.height) == (
            "h264",
            "aac",
            720,
            "h264",
            "aac",
            360,
        )
        data = (media / "mini.mp4").read_bytes()
        assert data.index(b"moov") < data.index(b"mdat"), "the index comes first, so playing starts at once"
        assert (media / "mini.small.mp4").stat().st_size < (media / "mini.mp4").stat().st_size
        assert (media / "mini.jpg").read_bytes()[:2] == b"\xff\xd8"
        assert not list(media.glob(".*.tmp"))

    def it_takes_the_chapter_times_from_the_suppliers_subtitles_unless_told_to_keep_them(
        self, root: Path, films: Films, tmp_path: Path
    ) -> None:
        srt = tmp_path / "senare.srt"
        srt.write_text(SRT.replace("00:00:31,000 --> 00:00:34,500", "00:00:36,250 --> 00:00:39,000"), "utf-8")
        kept = film_add(root, str(films.whole), "--subtitles", str(srt), "--keep-chapters")
        assert kept.returncode == 0, kept.stderr
        chapters = load_catalog(root).films["mini"].manifest.chapters
        assert [(chapter.start, chapter.end) for chapter in chapters] == [(0.0, 30.0), (30.0, 58.0)]

        completed = film_add(root, str(films.whole), "--subtitles", str(srt))
        assert completed.returncode == 0, completed.stderr
        assert "chapter andra: 0:35.25–1:00" in completed.stdout and "(was 0:30–0:58)" in completed.stdout
        catalog = load_catalog(root)
        assert catalog.problems == []
        chapters = catalog.films["mini"].manifest.chapters
        assert [(chapter.start, chapter.end) for chapter in chapters] == [
            (0.0, 35.25),
            (35.25, catalog.films["mini"].manifest.duration),
        ]

    def it_adds_the_sign_language_version_that_the_player_offers(self, root: Path, films: Films) -> None:
        completed = film_add(root, str(films.whole), "--sign-language", str(films.signed))
        assert completed.returncode == 0, completed.stderr
        assert "making the sign-language version: 100 %" in completed.stdout
        film = load_catalog(root).films["mini"]
        assert film.manifest.sign_language is not None
        assert film.manifest.sign_language.source == "media/mini.teckensprak.mp4"
        assert film.manifest.sign_language.language == "svenskt teckenspråk"
        signed = root / "films" / "media" / "mini.teckensprak.mp4"
        made = probe(signed)
        assert (made.video, made.audio, made.height) == ("h264", None, 360)
        assert abs(made.duration - 60) < 0.5
        data = signed.read_bytes()
        assert data.index(b"moov") < data.index(b"mdat"), "the index comes first, so switching starts at once"
        assert film.local_path(film.manifest.sign_language.source) == signed, "where the player looks for it"

    def it_fits_the_scripts_timing_into_the_chapters_without_subtitles_and_says_so(
        self, root: Path, films: Films
    ) -> None:
        completed = film_add(root, str(films.whole))
        assert completed.returncode == 0, completed.stderr
        assert "warning: no --subtitles" in completed.stderr
        assert "pause alignment" in completed.stderr
        film = load_catalog(root).films["mini"]
        # The script times each chapter as 4 s (1 s pause, the sentence at 14 characters a second, 1 s pause);
        # the chapters are 30 and 28 s long, so each cue is stretched 7.5 and 7 times from its chapter's start.
        starts_ends = [(cue.start, cue.end) for cue in film.subtitles["sv"]]
        assert starts_ends == [(7.5, 22.5), (37.0, pytest.approx(30 + (1 + 27 / 14) * 7, abs=0.01))]

    def it_keeps_subtitles_that_were_not_made_from_the_script(self, root: Path) -> None:
        vtt = root / "films" / "mini.sv.vtt"
        vtt.write_text(vtt.read_text(encoding="utf-8").replace("En mening i andra", "Ett ord i andra"), "utf-8")
        warnings: list[str] = []
        assert script_cues(load_catalog(root).films["mini"], warnings) is None
        assert warnings == [
            "no --subtitles: kept mini.sv.vtt, which was not made from the script; check that it follows this film"
        ]


class DescribeRefusingAFilm:
    def it_refuses_a_truncated_camera_file(self, root: Path, films: Films) -> None:
        before = snapshot(root)
        refused(root, film_add(root, str(films.truncated)), before, "is the file truncated")

    def it_refuses_a_file_that_breaks_off_before_its_stated_end(self, root: Path, films: Films) -> None:
        before = snapshot(root)
        refused(root, film_add(root, str(films.broken_off)), before, "the file is truncated or damaged")

    def it_refuses_sound_without_a_picture(self, root: Path, films: Films) -> None:
        before = snapshot(root)
        refused(root, film_add(root, str(films.sound_only)), before, "sound only (aac), no picture")

    def it_refuses_a_film_shorter_than_its_chapters_and_stops(self, root: Path, films: Films) -> None:
        before = snapshot(root)
        refused(
            root,
            film_add(root, str(films.short)),
            before,
            "the film is 0:20 long, shorter than mini needs: chapter 'forsta' (Första kapitlet) ends at 0:30; "
            "chapter 'andra' (Andra kapitlet) ends at 0:58; stop 'stopp-1' comes at 0:30; "
            "stop 'stopp-2' comes at 0:40",
        )

    def it_refuses_subtitles_that_break_the_rules(self, root: Path, films: Films, tmp_path: Path) -> None:
        srt = tmp_path / "lång.srt"
        srt.write_text(SRT.replace("på två rader.", "på två rader som blir alldeles för långa att läsa"), "utf-8")
        before = snapshot(root)
        refused(
            root,
            film_add(root, str(films.whole), "--subtitles", str(srt)),
            before,
            "cue 2 (0:31): line 'på två rader som blir alldeles för långa att läsa' is over 42 characters",
        )

    def it_refuses_subtitles_in_which_a_chapter_cannot_be_found(self, root: Path, films: Films, tmp_path: Path) -> None:
        srt = tmp_path / "annan.srt"
        srt.write_text(SRT.replace("En mening i andra kapitlet,", "Något helt annat,"), "utf-8")
        before = snapshot(root)
        refused(root, film_add(root, str(films.whole), "--subtitles", str(srt)), before,
                "chapter 2 'andra' (Andra kapitlet): no cue after 0:01 begins with its first line "
                "”En mening i andra kapitlet.”")  # fmt: skip

    @pytest.mark.parametrize(
        ("sign", "message"),
        [
            ("sound_only", "sound only (aac), no picture; expected the film with the sign-language interpreter"),
            ("short", "the sign-language version is 0:20 long and the film 1:00"),
            ("truncated", "is the file truncated"),
        ],
    )
    def it_refuses_a_sign_language_version_that_is_not_the_same_film(
        self, root: Path, films: Films, sign: str, message: str
    ) -> None:
        before = snapshot(root)
        refused(root, film_add(root, str(films.whole), "--sign-language", str(getattr(films, sign))), before, message)

    def it_refuses_a_missing_file(self, root: Path) -> None:
        before = snapshot(root)
        refused(root, film_add(root, str(root / "finns-inte.mp4")), before, "finns-inte.mp4: file not found")


def srt_text(cues: list[Cue]) -> str:
    """Cues as a subtitling supplier delivers them."""

    def stamp(seconds: float) -> str:
        millis = round(seconds * 1000)
        return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d},{millis % 1000:03d}"

    return "\n".join(
        f"{number}\n{stamp(cue.start)} --> {stamp(cue.end)}\n{cue.text}\n" for number, cue in enumerate(cues, 1)
    )


class DescribeARealLectureEndToEnd:
    def it_brings_a_lecture_with_the_suppliers_subtitles_and_an_interpreter_into_the_takk_module(
        self, tmp_path: Path
    ) -> None:
        root = tmp_path / "root"
        shutil.copytree(REPO / "courses", root / "courses")
        shutil.copytree(REPO / "films", root / "films", ignore=shutil.ignore_patterns("media"))
        takk = load_catalog(root).films["takk"]
        script = takk.manifest.chapters
        # The lecturer starts 12.5 s later than the script and talks 40.25 s longer in the second chapter.
        third = next(index for index, cue in enumerate(takk.subtitles["sv"]) if cue.start >= script[2].start)
        lecture = [
            Cue(round(cue.start + shift, 3), round(cue.end + shift, 3), cue.text)
            for index, cue in enumerate(takk.subtitles["sv"])
            for shift in [12.5 + (40.25 if index >= third else 0.0)]
        ]
        srt = tmp_path / "takk.srt"
        srt.write_text(srt_text(lecture), encoding="utf-8")
        length = round(takk.manifest.duration) + 60
        small = "320x180:rate=1"
        film = render(tmp_path / "takk-föreläsning.mp4", length, "video", "audio", size=small, rate=8000)
        signed = render(tmp_path / "takk-tolk.mp4", length, "video", size=small)

        completed = film_add(root, str(film), "--subtitles", str(srt), "--sign-language", str(signed), course="takk")
        assert completed.returncode == 0, completed.stderr
        assert "warning" not in completed.stderr, completed.stderr

        catalog = load_catalog(root)
        assert catalog.problems == []
        added = catalog.films["takk"]
        assert [chapter.start for chapter in added.manifest.chapters] == [
            0.0, script[1].start + 12.5, *(chapter.start + 52.75 for chapter in script[2:])]  # fmt: skip
        assert abs(added.manifest.duration - length) < 0.5
        read = [(round(cue.start, 3), round(cue.end, 3), cue.text) for cue in added.subtitles["sv"]]
        assert read == [(cue.start, cue.end, cue.text) for cue in lecture]
        assert added.has_media and not is_stand_in(added)
        manifest = added.manifest
        assert manifest.sign_language is not None
        sources = [manifest.source, manifest.small, manifest.poster, manifest.sign_language.source]
        assert sources == ["media/takk.mp4", "media/takk.small.mp4", "media/takk.jpg", "media/takk.teckensprak.mp4"]
        assert {f"media/{path.name}" for path in (root / "films" / "media").iterdir()} == set(sources)
        listed = subprocess.run(
            [sys.executable, "-m", "resurskurs", "list", "--json", str(root)],
            capture_output=True, encoding="utf-8", timeout=120, check=True,
        )  # fmt: skip
        assert {row["slug"]: row["has_media"] for row in json.loads(listed.stdout)}["takk"] is True
