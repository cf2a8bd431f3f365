"""The demo clip is made by the project's own script: small, playable, as long as its manifest says."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from resurskurs.catalog.load import load_catalog
from resurskurs.films.demo_clip import MAX_BYTES, ffmpeg_executable, make_demo_clip
from tests.conftest import REPO


class DescribeTheDemoClip:
    def it_renders_a_small_vp9_opus_clip_of_the_manifests_length(self, tmp_path: Path) -> None:
        (tmp_path / "courses").mkdir()
        shutil.copytree(REPO / "films", tmp_path / "films", ignore=shutil.ignore_patterns("media", "[!d]*"))
        catalog = load_catalog(tmp_path)
        assert catalog.problems == []
        film = catalog.films["demo"]
        video, poster = make_demo_clip(film)
        assert video == tmp_path / "films" / "media" / "demo.webm"
        assert 0 < video.stat().st_size <= MAX_BYTES
        assert poster.read_bytes()[:2] == b"\xff\xd8"
        probe = subprocess.run([ffmpeg_executable(), "-hide_banner", "-i", str(video)], capture_output=True, text=True)
        assert "Video: vp9" in probe.stderr and "Audio: opus" in probe.stderr
        hours, minutes, seconds = re.search(r"Duration: (\d+):(\d+):([\d.]+)", probe.stderr).groups()  # type: ignore[union-attr]
        assert abs(int(hours) * 3600 + int(minutes) * 60 + float(seconds) - film.manifest.duration) < 0.5
        assert load_catalog(tmp_path).films["demo"].has_media

    def it_has_chapters_and_swedish_subtitles(self) -> None:
        film = load_catalog(REPO).films["demo"]
        assert len(film.manifest.chapters) >= 3
        assert film.subtitles["sv"]
