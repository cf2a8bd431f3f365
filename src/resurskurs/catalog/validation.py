"""Turn pydantic's validation errors into problems that point into the author's YAML file."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from resurskurs.catalog.problems import ContentError, Loc, Problem, format_loc
from resurskurs.catalog.yaml_source import YamlDocument
from resurskurs.schema.base import SLUG_REGEX

M = TypeVar("M", bound=BaseModel)


def validate_document(model: type[M], document: YamlDocument) -> M:
    """Validate parsed YAML as `model`; raise ContentError listing every problem with its position."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        raise ContentError([_problem(model, document, detail) for detail in error.errors()]) from None


def _problem(model: type[BaseModel], document: YamlDocument, detail: ErrorDetails) -> Problem:
    loc: Loc = tuple(detail["loc"])
    kind = detail["type"]
    if kind == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}"
        valid = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {close[0]!r}?"
        elif valid:
            message += f"; expected one of: {', '.join(sorted(valid))}"
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "string_pattern_mismatch" and detail.get("ctx", {}).get("pattern") == SLUG_REGEX:
        message = "expected lower-case letters a-z, digits and single dashes, like 'lek-och-samspel'"
        message += f" (got {detail.get('input')!r})"
    else:
        message = detail["msg"].removeprefix("Value error, ")
        if kind not in {"value_error", "assertion_error"} and not isinstance(detail.get("input"), (dict, list)):
            message += f" (got {detail.get('input')!r})"
    return document.problem(loc, message, format_loc(loc))


def _field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed at `loc`, found by walking the model's annotations."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(part, str):
            field = annotation.model_fields.get(part)
            if field is None:
                return []
            annotation = field.annotation
        else:
            args = typing.get_args(annotation)
            if not args:
                return []
            annotation = args[-1]
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and `X | None` down to the model or container inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = options[0]
        else:
            return annotation
