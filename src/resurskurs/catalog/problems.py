"""Author-grade problems: the file, the line and column, the field path and what was expected."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """`("chapters", 2, "end")` → `chapters[2].end`, the way authors read a YAML path."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True)
class Problem:
    file: Path
    message: str
    line: int | None = None
    column: int | None = None
    field: str = ""

    def __str__(self) -> str:
        return self.describe()

    def describe(self, base: Path | None = None) -> str:
        """`file:line:column: field: message`, with the file relative to `base` when it lies below it."""
        where = str(self.file.relative_to(base) if base and self.file.is_relative_to(base) else self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ContentError(Exception):
    """Raised when content cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (str(p.file), p.line or 0, p.column or 0, p.field))
