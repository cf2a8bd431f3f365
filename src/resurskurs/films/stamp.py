"""A stand-in's stamp: whether a module's film is the narrated stand-in made here (films/stand_in.py) or a real film.

Kept apart from the maker, so a page that labels a stand-in loads no imaging or speech library (Pillow alone is
about 4 MB in every launched kernel).
"""

from __future__ import annotations

import json
from pathlib import Path

from resurskurs.catalog.load import Film

NOTICE = "Exempelfilm: påhittad föreläsare och syntetisk röst – den riktiga filmen läggs in av resursteamet"
STAMP_SUFFIX = ".stand-in.json"


def stamp_file(film: Film) -> Path | None:
    """The stamp beside a local source (media/<name>.stand-in.json); None for a film on the video platform."""
    source = film.local_path(film.manifest.source)
    return None if source is None else source.with_name(source.stem + STAMP_SUFFIX)


def is_stand_in(film: Film) -> bool:
    """Whether the film's media file is the stand-in made here (its stamp matches), not a real film."""
    source, stamp = film.local_path(film.manifest.source), stamp_file(film)
    if source is None or stamp is None or not source.is_file():
        return False
    return read_stamp(stamp).get("bytes") == source.stat().st_size


def read_stamp(stamp: Path) -> dict[str, object]:
    """The stamp's fields; none for a stamp missing or unreadable (the film then counts as real)."""
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
