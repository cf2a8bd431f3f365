"""`resurskurs signs add`: clips named as people write the word find their TAKK word; the report names the rest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from resurskurs.films.media import ffmpeg_executable, probe
from resurskurs.films.signs import key
from tests.conftest import REPO


def clip(target: Path, *, sound: bool) -> Path:
    inputs = ["-f", "lavfi", "-i", "testsrc2=size=640x480:rate=10:duration=2"]
    if sound:
        inputs += ["-f", "lavfi", "-i", "sine=duration=2"]
    subprocess.run([ffmpeg_executable(), "-v", "error", "-y", *inputs, "-c:v", "libx264", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p", str(target)], check=True)
    return target


class DescribeAddingSignClips:
    def it_matches_clips_to_words_converts_them_and_lists_what_did_not_match(self, tmp_path: Path) -> None:
        root = tmp_path / "root"
        shutil.copytree(REPO / "courses", root / "courses")
        shutil.copytree(REPO / "films", root / "films", ignore=shutil.ignore_patterns("media"))
        folder = tmp_path / "tecken"
        folder.mkdir()
        clip(folder / "Glad.mp4", sound=False)
        clip(folder / "rädd.mov", sound=True)
        clip(folder / "min_tur.mp4", sound=False)
        clip(folder / "okänt.mp4", sound=False)
        (folder / "ledsen.mp4").write_bytes(clip(tmp_path / "hel.mp4", sound=False).read_bytes()[:2000])

        completed = subprocess.run(
            [sys.executable, "-m", "resurskurs", "signs", "add", str(folder)],
            env={**os.environ, "RESURSKURS_ROOT": str(root), "RESURSKURS_VAR": str(tmp_path / "var")},
            capture_output=True, encoding="utf-8", timeout=300,
        )
        assert "Traceback" not in completed.stderr, completed.stderr
        assert completed.returncode == 1, "a broken clip is reported with exit code 1"
        assert "not added: " in completed.stderr and "ledsen.mp4: not a film ffmpeg can read" in completed.stderr
        assert "added 3 clip(s)" in completed.stdout
        assert "clips without a word (1): okänt.mp4" in completed.stdout
        assert "words without a clip (57): ledsen, arg," in completed.stdout

        media = root / "films" / "media" / "takk"
        assert sorted(path.name for path in media.iterdir()) == ["glad.mp4", "min-tur.mp4", "radd.mp4"]
        converted = probe(media / "radd.mp4")
        assert (converted.video, converted.audio, converted.height) == ("h264", "aac", 480)
        assert probe(media / "glad.mp4").audio is None
        data = (media / "glad.mp4").read_bytes()
        assert data.index(b"moov") < data.index(b"mdat")

    def it_follows_no_link_and_fails_when_nothing_was_added(self, tmp_path: Path) -> None:
        root = tmp_path / "root"
        shutil.copytree(REPO / "courses", root / "courses")
        shutil.copytree(REPO / "films", root / "films", ignore=shutil.ignore_patterns("media"))
        secret = tmp_path / "secret.mp4"
        secret.write_bytes(b"not for the course")
        folder = tmp_path / "tecken"
        folder.mkdir()
        (folder / "glad.mp4").symlink_to(secret)
        (folder / "okänt.txt").write_text("x", encoding="utf-8")

        completed = subprocess.run(
            [sys.executable, "-m", "resurskurs", "signs", "add", str(folder)],
            env={**os.environ, "RESURSKURS_ROOT": str(root), "RESURSKURS_VAR": str(tmp_path / "var")},
            capture_output=True, encoding="utf-8", timeout=300,
        )
        assert completed.returncode == 1
        assert "glad.mp4: a link, not followed" in completed.stderr
        assert "No clip was added" in completed.stderr
        assert not (root / "films" / "media" / "takk").exists()

    def it_compares_names_without_accents_case_or_spaces(self) -> None:
        assert key("Min tur") == key("min_tur") == "min-tur"
        assert key("Rädd") == key("radd")
        assert key("FÖRLÅT") == "forlat"
