"""Where a film's media lives: a local file under films/media/ (kept out of git) or an https address."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, WithJsonSchema

MEDIA_DIR = "media"


def check_media_source(value: str) -> str:
    """Reject plain http (leaks viewing over the network) and paths that escape films/media/."""
    if value.startswith("https://"):
        return value
    if "://" in value:
        raise ValueError(f"expected an https:// address or a path under {MEDIA_DIR}/, got {value!r}")
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] != MEDIA_DIR:
        raise ValueError(f"expected a path under {MEDIA_DIR}/ (relative to films/), got {value!r}")
    return value


def is_remote(source: str) -> bool:
    """True for sources on the city's video platform rather than on this machine."""
    return source.startswith("https://")


MediaSource = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(check_media_source),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(https://\S+|media/[^\s]+)$",
            "description": "A path under films/media/ or an https:// address.",
        }
    ),
]

FileName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._-]+$"),
]
