"""Script cues moved onto the film's speech by its pauses: alignment without a speech model.

No well-kept forced aligner runs offline without downloading a speech model, but a lecturer pauses
between phrases, and ffmpeg's silencedetect hears where speech starts again. Each cue of the script,
first timed at reading speed within its chapter, is moved to a speech onset near where it was
expected; the onsets are matched to the cues in order (dynamic programming, least total shift), and
a cue with no onset near enough keeps its expected time.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from resurskurs.catalog.subtitles import Cue
from resurskurs.films.media import MediaError, ffmpeg_executable
from resurskurs.schema import FilmChapter

SILENCE_DB = -35
"""Quieter than this counts as a pause (room noise on a lavalier microphone stays below it)."""
PAUSE_SECONDS = 0.15
"""The shortest pause between phrases that is heard as one."""
MAX_SHIFT_SECONDS = 6.0
"""How far from its reading-speed time a cue may move; beyond, the onset is taken to belong to another cue."""
UNMATCHED_COST = 2.0
"""What leaving a cue at its expected time costs, against moving it to an onset that far away."""
MIN_CUE_SECONDS = 0.5

_SILENCE_END = re.compile(r"silence_end: (\d+(?:\.\d+)?)")


def speech_onsets(file: Path) -> list[float]:
    """Times where speech starts after a pause (and at 0 s when the film opens with speech)."""
    command = [ffmpeg_executable(), "-hide_banner", "-nostdin", "-nostats", "-i", str(file), "-map", "0:a:0",
               "-af", f"silencedetect=noise={SILENCE_DB}dB:d={PAUSE_SECONDS}", "-f", "null", "-"]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if completed.returncode != 0:
        said = completed.stderr.strip().splitlines()
        raise MediaError(f"{file}: cannot listen for pauses: {said[-1] if said else completed.returncode}")
    return [float(match) for match in _SILENCE_END.findall(completed.stderr)]


def align(cues: Sequence[Cue], chapters: Sequence[FilmChapter], onsets: Sequence[float]) -> list[Cue]:
    """The cues moved onto speech onsets, chapter by chapter; each cue ends where the next one starts."""
    aligned: list[Cue] = []
    for chapter in chapters:
        inside = [cue for cue in cues if chapter.start <= cue.start < chapter.end]
        heard = [onset for onset in onsets if chapter.start <= onset < chapter.end]
        starts = _match([cue.start for cue in inside], heard)
        for index, (cue, start) in enumerate(zip(inside, starts, strict=True)):
            following = starts[index + 1] if index + 1 < len(starts) else max(cue.end, start + MIN_CUE_SECONDS)
            end = min(following, chapter.end)
            aligned.append(Cue(round(start, 3), round(max(end, start + 0.001), 3), cue.text))
    return aligned


def _match(expected: list[float], onsets: list[float]) -> list[float]:
    """Each expected time's onset, in order and each onset once, with the least total shift (or its own time)."""
    n, m = len(expected), len(onsets)
    infinity = float("inf")
    # cost[i][j]: the best for the first i cues using onsets before j.
    cost = [[infinity] * (m + 1) for _ in range(n + 1)]
    choice: list[list[tuple[int, int, float]]] = [[(0, 0, 0.0)] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        cost[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(m + 1):
            best, pick = cost[i - 1][j] + UNMATCHED_COST, (i - 1, j, expected[i - 1])
            if j and cost[i][j - 1] < best:
                best, pick = cost[i][j - 1], choice[i][j - 1]
            if j:
                shift = abs(onsets[j - 1] - expected[i - 1])
                if shift <= MAX_SHIFT_SECONDS and cost[i - 1][j - 1] + shift < best:
                    best, pick = cost[i - 1][j - 1] + shift, (i - 1, j - 1, onsets[j - 1])
            cost[i][j], choice[i][j] = best, pick
    starts = [0.0] * n
    i, j = n, m
    while i:  # every pick, carried or not, steps back one cue
        i, j, start = choice[i][j]
        starts[i] = start
    return _in_order(starts)


def _in_order(starts: list[float]) -> list[float]:
    """A cue kept at its own time never starts before the one ahead of it."""
    ordered: list[float] = []
    for start in starts:
        ordered.append(max(start, ordered[-1] + MIN_CUE_SECONDS) if ordered else start)
    return ordered
