"""A learner's words in a markdown cell, so that every renderer shows them as the text they typed.

nbgrader's formgrader and its feedback render markdown cells as HTML without sanitising, so
anything a learner writes would otherwise run as markup or script in the reviewer's browser.
Here nothing is interpreted: HTML's special characters become entities, every other ASCII
punctuation mark is backslash-escaped (CommonMark allows that for all of them, which also stops
links, images, emphasis, math and autolinks), and the learner's line breaks stay line breaks.
"""

from __future__ import annotations

import re
import string

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ESCAPED = {char: f"\\{char}" for char in string.punctuation if char not in _ENTITIES}
_TABLE = str.maketrans({**_ENTITIES, **_ESCAPED})
_HARD_BREAK = "\\\n"
_UNESCAPE = re.compile(r"\\(.)|&(?:amp|lt|gt|quot|#39);", re.DOTALL)
_CHARACTERS = {entity: char for char, entity in _ENTITIES.items()}


def as_markdown_text(text: str) -> str:
    """Markdown that renders as exactly `text`: paragraphs at blank lines, a line break at each newline."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        stripped = line.strip()
        if stripped:
            paragraphs[-1].append(stripped.translate(_TABLE))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(_HARD_BREAK.join(paragraph) for paragraph in paragraphs if paragraph)


def from_markdown_text(markdown: str) -> str:
    """The learner's words back from `as_markdown_text`, for a reviewer who reads them as plain text.

    Each line comes back trimmed, with one blank line between paragraphs, as the notebook stored them.
    """
    return _UNESCAPE.sub(lambda found: found.group(1) or _CHARACTERS[found.group(0)], markdown)
