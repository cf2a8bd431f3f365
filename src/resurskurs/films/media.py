"""ffmpeg from the imageio-ffmpeg wheel: probe a film, render with progress, and put results in place atomically.

The wheel ships ffmpeg but no ffprobe, so probing reads what `ffmpeg -i` prints about a file.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

OnProgress = Callable[[float], None]
"""Told the share done, 0–1, while ffmpeg works."""


class MediaError(Exception):
    """A film that cannot be used, said so that the person who chose the file can act on it."""


def ffmpeg_executable() -> str:
    """The ffmpeg that the imageio-ffmpeg wheel ships (H.264, AAC, VP9 and Opus included)."""
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


@dataclass(frozen=True)
class Probe:
    duration: float
    video: str | None
    """The picture's codec, or None for a file with sound only."""
    width: int
    height: int
    audio: str | None


_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")


def probe(file: Path) -> Probe:
    """Duration and streams of a media file; a file ffmpeg cannot read raises MediaError naming the reason."""
    if not file.is_file():
        raise MediaError(f"{file}: file not found")
    completed = subprocess.run(
        [ffmpeg_executable(), "-hide_banner", "-nostdin", "-i", str(file)], capture_output=True, text=True
    )
    report = completed.stderr
    duration = _DURATION.search(report)
    if duration is None:
        reason = report.strip().splitlines()[-1] if report.strip() else "no output"
        raise MediaError(
            f"{file}: not a film ffmpeg can read ({reason}); expected a whole video file such as an MP4 "
            "from a camera or a video supplier – is the file truncated (copied or downloaded only in part)?"
        )
    hours, minutes, seconds = duration.groups()
    lines = [line for line in report.splitlines() if "(attached pic)" not in line]
    video = next((m for m in map(_VIDEO.search, lines) if m), None)
    audio = next((m for m in map(_AUDIO.search, lines) if m), None)
    return Probe(
        duration=int(hours) * 3600 + int(minutes) * 60 + float(seconds),
        video=video.group(1) if video else None,
        width=int(video.group(2)) if video else 0,
        height=int(video.group(3)) if video else 0,
        audio=audio.group(1) if audio else None,
    )


def run_ffmpeg(arguments: list[str], duration: float, progress: OnProgress | None = None) -> None:
    """Run ffmpeg, telling `progress` how far it has come; a failure raises MediaError with ffmpeg's own words."""
    command = [ffmpeg_executable(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y"]
    command += ["-progress", "pipe:1", *arguments]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert process.stdout is not None
        for line in process.stdout:
            if progress is not None and line.startswith("out_time_us=") and line[12:].strip().isdigit():
                progress(min(1.0, int(line[12:]) / 1e6 / max(duration, 0.001)))
        process.wait()
        errors.seek(0)
        said = errors.read().strip()
    if process.returncode != 0:
        raise MediaError(f"ffmpeg stopped: {said.splitlines()[-1] if said else f'exit code {process.returncode}'}")


class Staging:
    """Temporary files beside their targets; `commit` renames them into place, and whatever is left is removed."""

    def __init__(self) -> None:
        self._pairs: list[tuple[Path, Path]] = []

    def temporary(self, target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        self._pairs.append((Path(name), target))
        return Path(name)

    def commit(self) -> None:
        """Rename each file into place, readable by the web server as a copied file would be."""
        for temporary, target in self._pairs:
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        self._pairs.clear()

    def discard(self) -> None:
        for temporary, _ in self._pairs:
            temporary.unlink(missing_ok=True)
        self._pairs.clear()


@contextmanager
def staged() -> Iterator[Staging]:
    """Write everything to temporary files first: a failure or an interruption leaves the targets as they were."""
    staging = Staging()
    try:
        yield staging
    finally:
        staging.discard()
