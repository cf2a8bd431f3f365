"""The transcript: the film's spoken text as Markdown paragraphs under one heading per chapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from resurskurs.catalog.problems import ContentError, Problem


@dataclass
class TranscriptSection:
    heading: str
    line: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Transcript:
    title: str
    sections: list[TranscriptSection]

    @property
    def text(self) -> str:
        return "\n\n".join(p for section in self.sections for p in section.paragraphs)


def read_transcript(file: Path) -> Transcript:
    """Parse '# Title', then '## Chapter title' sections of paragraphs separated by blank lines."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError([Problem(file, f"cannot read the transcript: {error}")]) from None
    title = ""
    sections: list[TranscriptSection] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph and sections:
            sections[-1].paragraphs.append(" ".join(paragraph))
        paragraph.clear()

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("## "):
            flush()
            sections.append(TranscriptSection(stripped[3:].strip(), number))
        elif stripped.startswith("# ") and not title and not sections:
            title = stripped[2:].strip()
        elif not stripped:
            flush()
        elif not sections:
            raise ContentError([Problem(file, "expected a '## Chapter title' heading before the text", number, 1)])
        else:
            paragraph.append(stripped)
    flush()
    if not sections:
        raise ContentError([Problem(file, "expected one '## Chapter title' section per film chapter, found none")])
    empty = [s for s in sections if not s.paragraphs]
    if empty:
        raise ContentError([Problem(file, f"section {s.heading!r} has no text", s.line, 1) for s in empty])
    return Transcript(title, sections)
