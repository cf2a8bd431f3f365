"""Film times as authors write them ("12:34", "1:02:03.5") and as code uses them (seconds)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema

_PATTERN = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d(?:\.\d{1,3})?)$")
TIMECODE_REGEX = r"^(\d+:)?[0-5]?\d:[0-5]\d(\.\d{1,3})?$"


def parse_timecode(value: object) -> float:
    """Accept "MM:SS", "H:MM:SS" (optionally with fractions) or a number of seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a time like 12:34 or 1:02:03, not true/false")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("expected a time that is not negative")
        return float(value)
    if isinstance(value, str):
        match = _PATTERN.match(value.strip())
        if match:
            hours, minutes, seconds = match.groups()
            return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    raise ValueError(f"expected a time like 12:34 or 1:02:03, got {value!r}")


def clock(seconds: float) -> str:
    """Whole seconds the way the film player, the page and the deck all show a time: m:ss, h:mm:ss past an hour."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_timecode(seconds: float) -> str:
    """Render seconds the way authors write them, so messages quote times in the authors' form."""
    text = clock(seconds)
    fraction = seconds - int(seconds)
    if fraction >= 0.0005:
        text += f"{fraction:.3f}".lstrip("0").rstrip("0")
    return text


Timecode = Annotated[
    float,
    BeforeValidator(parse_timecode),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": TIMECODE_REGEX},
                {"type": "number", "minimum": 0},
            ],
            "description": "A film time: MM:SS, H:MM:SS or seconds.",
        }
    ),
]
