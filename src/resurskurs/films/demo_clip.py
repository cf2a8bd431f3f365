"""The tiny demo clip: made here from ffmpeg test sources, so tests and demos need no real film.

Its manifest (films/demo.yaml) is the single description: duration, media path and poster
come from there, and the subtitles beside it give the clip chapters and text.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from resurskurs.catalog.load import Film
from resurskurs.films.media import ffmpeg_executable

MAX_BYTES = 500_000


def make_demo_clip(film: Film) -> list[Path]:
    """Render the clip and its poster to the paths the manifest names; each is written atomically."""
    manifest = film.manifest
    video = film.local_path(manifest.source)
    if video is None or manifest.poster is None:
        raise ValueError(f"{film.file}: the demo film needs a local source and a poster")
    poster = film.local_path(manifest.poster)
    assert poster is not None
    seconds = f"{manifest.duration:.3f}"
    _render(
        video,
        [
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=320x180:rate=12:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:v",
            "libvpx-vp9",
            "-b:v",
            "80k",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-c:a",
            "libopus",
            "-b:a",
            "24k",
            "-shortest",
            "-f",
            "webm",
        ],
    )
    _render(
        poster,
        [
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x180:rate=1:duration=1",
            "-frames:v",
            "1",
            "-f",
            "image2",
            "-c:v",
            "mjpeg",
        ],
    )
    size = video.stat().st_size
    if size > MAX_BYTES:
        raise RuntimeError(f"{video}: the demo clip is {size} bytes, more than {MAX_BYTES}")
    return [video, poster]


def _render(target: Path, arguments: list[str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=target.suffix)
    os.close(handle)
    try:
        subprocess.run(
            [ffmpeg_executable(), "-hide_banner", "-loglevel", "error", "-y", *arguments, temporary],
            check=True,
            capture_output=True,
            text=True,
        )
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
