"""The given names the privacy guard knows, read once from `given_names.txt` (its header names the sources)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

NAMES_FILE = Path(__file__).with_name("given_names.txt")


@dataclass(frozen=True)
class GivenNames:
    """`names` are only names; `words` are names that are also ordinary Swedish words (björn, liv, saga)."""

    names: frozenset[str]
    words: frozenset[str]


@cache
def given_names() -> GivenNames:
    names: set[str] = set()
    words: set[str] = set()
    for line in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, mark = line.partition("\t")
        (words if mark else names).add(name)
    return GivenNames(frozenset(names), frozenset(words))
