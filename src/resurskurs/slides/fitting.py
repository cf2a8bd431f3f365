"""Text that fits: wrap with the deck's real font, shrink within limits, then continue on another slide.

The deck sets every run in DejaVu Sans and every paragraph's line pitch exactly, so the lines
measured here are the lines PowerPoint and LibreOffice draw. Widths are measured without kerning
and with a safety margin, which can only make the renderer's lines shorter than ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageFont

from resurskurs.paths import FONT_FILE

FONT_NAME = "DejaVu Sans"
LINE_PITCH = 1.2
"""Exact distance between baselines, as a multiple of the font size."""
PARAGRAPH_GAP = 0.4
"""Space before every paragraph but the first, as a multiple of the font size."""
BULLET_INDENT = 1.0
"""How far a bulleted paragraph's text is indented, as a multiple of the font size."""
WIDTH_SAFETY = 0.96
"""Share of the frame's width a line may use: room for rounding and hinting in the renderers."""
_MEASURE_SIZE = 1000
_WORD = re.compile(r"\S+")


class FontError(RuntimeError):
    """The font the deck is measured and set in is not on this machine."""


@dataclass(frozen=True)
class Para:
    """A paragraph of a text frame: a bullet, a plain paragraph, or the rest of a bullet cut by a page."""

    text: str
    bullet: bool = True
    continued: bool = False

    @property
    def indented(self) -> bool:
        return self.bullet or self.continued


@dataclass(frozen=True)
class Sizes:
    """The largest font size a frame starts at and the smallest it may shrink to, in points."""

    largest: int
    smallest: int
    step: int = 2

    def descending(self) -> range:
        return range(self.largest, self.smallest - 1, -self.step)


@dataclass(frozen=True)
class Page:
    """What one slide's frame holds: its paragraphs at one font size."""

    size: int
    paragraphs: tuple[Para, ...]


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    if not FONT_FILE.is_file():
        raise FontError(f"the deck's font {FONT_NAME} is missing: expected {FONT_FILE} (Debian: fonts-dejavu-core)")
    return ImageFont.truetype(str(FONT_FILE), _MEASURE_SIZE, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8192)
def _em_width(text: str) -> float:
    """Advance width of `text` in ems; advances add up, so words are measured once and summed."""
    return float(_font().getlength(text)) / _MEASURE_SIZE


def text_width(text: str, size: float) -> float:
    """Width in points of one line of `text` at `size` points."""
    words = text.split(" ")
    return size * (sum(_em_width(word) for word in words if word) + (len(words) - 1) * _em_width(" "))


def wrap(text: str, width: float, size: float) -> list[tuple[int, int]]:
    """Greedy line breaks of `text` within `width` points, as (start, end) offsets into the text.

    Breaks at spaces; a word longer than a line (an address, say) is broken between characters.
    """
    usable = width * WIDTH_SAFETY
    space = _em_width(" ") * size
    lines: list[tuple[int, int]] = []
    start = end = -1
    used = 0.0
    for match in _WORD.finditer(text):
        word_start, word_end = match.span()
        word = size * _em_width(match.group())
        if start >= 0 and used + space + word <= usable:
            end, used = word_end, used + space + word
            continue
        if start >= 0:
            lines.append((start, end))
        start, used = word_start, 0.0
        for index in range(word_start, word_end):
            glyph = size * _em_width(text[index])
            if used + glyph > usable and index > start:
                lines.append((start, index))
                start, used = index, 0.0
            used += glyph
        end = word_end
    if start >= 0:
        lines.append((start, end))
    return lines


@dataclass(frozen=True)
class Frame:
    """The inner text area of a shape, in points."""

    width: float
    height: float

    def text_width(self, paragraph: Para, size: float) -> float:
        return self.width - (BULLET_INDENT * size if paragraph.indented else 0.0)

    def lines(self, paragraph: Para, size: float) -> list[tuple[int, int]]:
        return wrap(paragraph.text, self.text_width(paragraph, size), size)

    def height_of(self, paragraphs: tuple[Para, ...] | list[Para], size: float) -> float:
        lines = sum(len(self.lines(paragraph, size)) for paragraph in paragraphs)
        return lines * LINE_PITCH * size + max(0, len(paragraphs) - 1) * PARAGRAPH_GAP * size

    def holds(self, paragraphs: tuple[Para, ...] | list[Para], size: float) -> bool:
        return self.height_of(paragraphs, size) <= self.height


def paginate(paragraphs: list[Para], frame: Frame, sizes: Sizes) -> list[Page]:
    """One page at the largest size that holds everything; failing that, as many pages as needed at the
    smallest size, moving whole paragraphs on and cutting only a paragraph too tall for a page of its own."""
    for size in sizes.descending():
        if frame.holds(paragraphs, size):
            return [Page(size, tuple(paragraphs))]
    size = sizes.smallest
    pitch, gap = LINE_PITCH * size, PARAGRAPH_GAP * size
    pages: list[tuple[Para, ...]] = []
    current: list[Para] = []
    used = 0.0
    queue = list(paragraphs)
    while queue:
        paragraph = queue.pop(0)
        lines = frame.lines(paragraph, size)
        before = gap if current else 0.0
        if used + before + len(lines) * pitch <= frame.height:
            current.append(paragraph)
            used += before + len(lines) * pitch
            continue
        room = int((frame.height - used - before) // pitch)
        if current and (len(lines) * pitch <= frame.height or room < 1):
            queue.insert(0, paragraph)
        elif max(1, room) >= len(lines):
            current.append(paragraph)
        else:
            cut = lines[max(1, room)][0]
            current.append(Para(paragraph.text[:cut].rstrip(), paragraph.bullet, paragraph.continued))
            queue.insert(0, Para(paragraph.text[cut:], bullet=False, continued=paragraph.indented))
        pages.append(tuple(current))
        current, used = [], 0.0
    if current:
        pages.append(tuple(current))
    return [Page(size, page) for page in pages]


def fit_line(text: str, frame: Frame, sizes: Sizes) -> tuple[str, int]:
    """A title: the largest size at which it fits; at the smallest, cut at a word with an ellipsis."""
    for size in sizes.descending():
        if frame.holds([Para(text, bullet=False)], size):
            return text, size
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        shortened = " ".join(words).rstrip(",.:;–-") + "…"
        if frame.holds([Para(shortened, bullet=False)], sizes.smallest):
            return shortened, sizes.smallest
    return words[0], sizes.smallest
