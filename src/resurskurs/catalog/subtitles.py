"""Subtitles read with webvtt-py, plus the check webvtt-py does not make: cues it silently dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import webvtt
from webvtt.errors import MalformedFileError

from resurskurs.catalog.problems import ContentError, Problem

_SKIPPED_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def seconds(stamp: str) -> float:
    """'01:02:03.250' or '02:03.250' → seconds (webvtt-py's own helper truncates to whole seconds)."""
    parts = [float(part) for part in stamp.split(":")]
    total = 0.0
    for part in parts:
        total = total * 60 + part
    return total


def read_subtitles(file: Path) -> list[Cue]:
    """Parse a WebVTT file; malformed cues are reported with their line instead of being dropped."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError([Problem(file, f"cannot read the subtitles: {error}")]) from None
    try:
        captions = webvtt.from_string(text).captions
    except MalformedFileError as error:
        raise ContentError(
            [Problem(file, f"not a WebVTT file: {error}; expected 'WEBVTT' on the first line", 1, 1)]
        ) from None
    problems = _dropped_blocks(file, text, len(captions))
    cues = [Cue(seconds(caption.start), seconds(caption.end), caption.text) for caption in captions]
    previous_start = 0.0
    for index, cue in enumerate(cues):
        if cue.end <= cue.start:
            problems.append(
                Problem(file, f"cue {index + 1} ends ({cue.end:.3f} s) before it starts ({cue.start:.3f} s)")
            )
        if cue.start < previous_start:
            problems.append(
                Problem(file, f"cue {index + 1} starts before the cue ahead of it; expected cues in time order")
            )
        previous_start = cue.start
    if problems:
        raise ContentError(problems)
    return cues


def _dropped_blocks(file: Path, text: str, parsed: int) -> list[Problem]:
    """webvtt-py skips a cue whose timing line is malformed; find such blocks and name their line."""
    problems = []
    line_number = 1
    blocks = 0
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        stripped = block.strip("\n")
        first_line = line_number + len(block) - len(block.lstrip("\n"))
        if stripped and not stripped.startswith(_SKIPPED_BLOCKS):
            blocks += 1
            if "-->" not in stripped:
                problems.append(
                    Problem(file, "expected a cue timing line like '00:01:02.000 --> 00:01:05.000'", first_line, 1)
                )
        line_number += block.count("\n") + 2
    if not problems and blocks != parsed:
        problems.append(Problem(file, f"{blocks - parsed} cue(s) could not be read; check their timing lines"))
    return problems
