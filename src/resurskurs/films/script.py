"""Authoring aid: time a lecture script (the transcript) into WebVTT cues and chapter times.

Before a lecture is filmed, its script is the film's spoken content. Timing it at a
comfortable reading speed gives subtitles that follow the subtitle guide (two lines of at
most 42 characters, about 15 characters a second) and chapter times to match, so the
manifest, the subtitles and the transcript cannot drift apart by hand.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import webvtt
import yaml

from resurskurs.catalog.problems import ContentError, Problem
from resurskurs.catalog.subtitles import Cue
from resurskurs.catalog.transcript import Transcript, read_transcript
from resurskurs.schema.timecode import format_timecode

LINE_WIDTH = 42
CHARS_PER_SECOND = 14.0
MIN_CUE_SECONDS = 1.5
CHAPTER_PAUSE_SECONDS = 2.0
SCHEMA_HEADER = "# yaml-language-server: $schema=../schema/film.schema.json\n"

_SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+|(?<=[.!?…:]”)\s+")


@dataclass(frozen=True)
class TimedScript:
    cues: list[Cue]
    chapters: list[tuple[float, float]]  # whole seconds, so manifests stay readable
    duration: float


# A line never ends on one of these inside a sentence: the break goes before it, at a phrase boundary.
SMALL_WORDS = frozenset(
    word
    for group in (
        "och att i på en ett som det den de med till för av om men eller så när från vid hos ur mot under",
        "efter utan över inför genom där hur vad vem eftersom medan innan tills då",
        "sin sitt sina min mitt mina din ditt dina vår vårt våra er ert era hans hennes deras dess",
    )
    for word in group.split()
)


def cue_texts(paragraph: str) -> list[str]:
    """Split a paragraph into cue texts: whole sentences where possible, two wrapped lines at most."""
    texts: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph.strip()):
        lines = wrap_phrases(sentence, LINE_WIDTH)
        texts.extend("\n".join(lines[i : i + 2]) for i in range(0, len(lines), 2))
    return texts


def wrap_phrases(sentence: str, width: int) -> list[str]:
    """Wrap like textwrap, but break after a comma or dash when one is near, never after a small word."""
    lines: list[str] = []
    current: list[str] = []
    for word in sentence.split():
        if current and len(" ".join([*current, word])) > width:
            keep = _break_point(current, width)
            if len(" ".join([*current[keep:], word])) > width:
                keep = len(current)
            lines.append(" ".join(current[:keep]))
            current = current[keep:]
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def _break_point(words: list[str], width: int) -> int:
    """How many words stay on the line: after a comma or dash in its second half, else not after a small word."""
    for keep in range(len(words), 0, -1):
        if len(" ".join(words[:keep])) < width // 2:
            break
        if words[keep - 1].endswith((",", ";")) or words[keep - 1] in {"–", "—"}:
            return keep
    keep = len(words)
    while keep > 1 and words[keep - 1].lower() in SMALL_WORDS:
        keep -= 1
    return keep


def time_script(transcript: Transcript) -> TimedScript:
    cues: list[Cue] = []
    chapters: list[tuple[float, float]] = []
    clock = 0.0
    for section in transcript.sections:
        start = clock
        clock += CHAPTER_PAUSE_SECONDS / 2
        for paragraph in section.paragraphs:
            for text in cue_texts(paragraph):
                length = max(MIN_CUE_SECONDS, len(text.replace("\n", " ")) / CHARS_PER_SECOND)
                cues.append(Cue(round(clock, 3), round(clock + length, 3), text))
                clock = round(clock + length, 3)
        clock = float(math.ceil(clock + CHAPTER_PAUSE_SECONDS / 2))
        chapters.append((start, clock))
    return TimedScript(cues, chapters, clock)


def write_vtt(cues: list[Cue], file: Path) -> None:
    captions = [webvtt.Caption(start=_stamp(cue.start), end=_stamp(cue.end), text=cue.text.split("\n")) for cue in cues]
    file.write_text(webvtt.WebVTT(captions=captions).content, encoding="utf-8")


def script_film(manifest_file: Path) -> TimedScript:
    """Time the film's transcript, write its Swedish subtitles and set the manifest's chapter times.

    File names come from the manifest (`transcript`, `subtitles.sv`), read as plain YAML so an
    unfinished manifest can still be timed; `resurskurs check` validates the result.
    """
    data = yaml.safe_load(manifest_file.read_text(encoding="utf-8")) or {}
    transcript_name = data.get("transcript")
    subtitles_name = (data.get("subtitles") or {}).get("sv")
    if not transcript_name or not subtitles_name:
        raise ContentError(
            [Problem(manifest_file, "expected both `transcript` and `subtitles: {sv: ...}` to time a script")]
        )
    transcript = read_transcript(manifest_file.parent / transcript_name)
    chapters = data.get("chapters") or []
    headings = [section.heading for section in transcript.sections]
    titles = [chapter.get("title") for chapter in chapters]
    if titles != headings:
        raise ContentError(
            [
                Problem(
                    manifest_file,
                    f"chapter titles {titles} differ from the transcript's headings {headings}",
                    field="chapters",
                )
            ]
        )
    timed = time_script(transcript)
    for chapter, (start, end) in zip(chapters, timed.chapters, strict=True):
        chapter["start"] = format_timecode(start)
        chapter["end"] = format_timecode(end)
    data["duration"] = format_timecode(timed.duration)
    write_vtt(timed.cues, manifest_file.parent / subtitles_name)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    manifest_file.write_text(SCHEMA_HEADER + body, encoding="utf-8")
    return timed


def _stamp(value: float) -> str:
    hours, rest = divmod(round(value * 1000), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
