"""Shared model settings: unknown keys are errors, so a typo never silently drops content."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

SLUG_REGEX = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_PATTERN = re.compile(SLUG_REGEX)

Slug = Annotated[str, StringConstraints(pattern=SLUG_REGEX, max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    """Base for every schema model: forbid extra keys, keep models immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
