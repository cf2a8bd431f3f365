"""Where the content tree lives: a checkout, an explicit RESURSKURS_ROOT, or the copy in the wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def content_root() -> Path:
    """The folder holding courses/ and films/.

    RESURSKURS_ROOT wins; then a source checkout (editable install); then the content the wheel
    carries, so an installed package serves the same courses as the repository it came from.
    """
    explicit = os.environ.get("RESURSKURS_ROOT")
    if explicit:
        return Path(explicit).resolve()
    checkout = _PACKAGE.parents[1]
    if (checkout / "courses").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return _PACKAGE / "content"


def var_root() -> Path:
    """Where per-person data lives (drafts, the gradebook, the demo roster): RESURSKURS_VAR or <root>/var."""
    explicit = os.environ.get("RESURSKURS_VAR")
    return Path(explicit).resolve() if explicit else content_root() / "var"


def widgets_dir() -> Path:
    """The widgets' ESM and CSS: top-level widgets/ in a checkout, resurskurs/widgets in the wheel."""
    checkout = _PACKAGE.parents[1] / "widgets"
    return (
        checkout if checkout.is_dir() and (_PACKAGE.parents[1] / "pyproject.toml").is_file() else _PACKAGE / "widgets"
    )
