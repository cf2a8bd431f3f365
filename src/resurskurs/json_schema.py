"""JSON Schemas of the content files, generated from the pydantic models so they never drift."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from resurskurs.schema import Course, FilmManifest

SCHEMAS: dict[str, type[BaseModel]] = {"course.schema.json": Course, "film.schema.json": FilmManifest}


def schema_text(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        file = folder / name
        file.write_text(schema_text(model), encoding="utf-8")
        written.append(file)
    return written
