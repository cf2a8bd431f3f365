"""A film manifest changed by a command: read as plain YAML, validated before it is written, keys kept in order."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from resurskurs.catalog.load import Film
from resurskurs.films.media import MediaError
from resurskurs.films.script import SCHEMA_HEADER
from resurskurs.schema import FilmManifest


def manifest_data(film: Film) -> dict[str, Any]:
    """The manifest as the author wrote it (key order and all), to change and write back."""
    data: dict[str, Any] = yaml.safe_load(film.file.read_text(encoding="utf-8"))
    return data


def manifest_text(film: Film, data: dict[str, Any]) -> str:
    """The changed manifest as YAML, or MediaError naming the field when it would no longer be valid."""
    try:
        FilmManifest.model_validate(data)
    except ValidationError as error:
        raise MediaError(f"{film.file}: the updated manifest would not be valid: {error}") from None
    return SCHEMA_HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
