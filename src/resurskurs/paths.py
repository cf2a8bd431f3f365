"""Where the content tree lives: a checkout, an explicit RESURSKURS_ROOT, or the copy in the wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
"""The font the decks and the stand-in films draw with (Debian: fonts-dejavu-core)."""


def _checkout() -> Path | None:
    """The source checkout this package runs from (editable install), or None for an installed wheel."""
    root = _PACKAGE.parents[1]
    return root if (root / "pyproject.toml").is_file() and (root / "courses").is_dir() else None


def content_root() -> Path:
    """The folder holding courses/ and films/.

    RESURSKURS_ROOT wins; then a source checkout (editable install); then the content the wheel
    carries, so an installed package serves the same courses as the repository it came from.
    """
    explicit = os.environ.get("RESURSKURS_ROOT")
    if explicit:
        return Path(explicit).resolve()
    return _checkout() or _PACKAGE / "content"


def var_root() -> Path:
    """Where per-person data lives (drafts, the gradebook, the demo roster): RESURSKURS_VAR or <root>/var."""
    explicit = os.environ.get("RESURSKURS_VAR")
    return Path(explicit).resolve() if explicit else content_root() / "var"


def hub_config() -> Path | None:
    """deploy/jupyterhub_config.py of the source checkout this package runs from; None for an installed wheel."""
    checkout = _checkout()
    return checkout / "deploy" / "jupyterhub_config.py" if checkout else None


def widgets_dir() -> Path:
    """The widgets' ESM and CSS: top-level widgets/ in a checkout, resurskurs/widgets in the wheel."""
    checkout = _checkout()
    return checkout / "widgets" if checkout else _PACKAGE / "widgets"
