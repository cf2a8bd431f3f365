"""rfc3987-syntax, loaded when an IRI is first checked rather than whenever jsonschema is imported.

jsonschema takes `rfc3987_syntax.is_valid_syntax` for its `iri` formats as it is imported itself, which every
Jupyter server (through jupyter_events) and every nbgrader process does, and rfc3987-syntax 1.1 builds 39 Earley
parsers as it is imported: 2.3 s of CPU each time a Voilà server, a hub user server or the grader starts
(jupyter_server#1559, jsonschema#1428). No schema those check uses the `iri` formats. `defer()` puts a stand-in
under the package's name whose functions load the real module on first use, so an IRI checked gets the same
answer, only later.
"""

from __future__ import annotations

import importlib
import sys
import types
from importlib.util import find_spec
from typing import Any

PACKAGE = "rfc3987_syntax"
HELPERS = f"{PACKAGE}.syntax_helpers"
"""The package's one module (its `__init__` only re-exports it): where the parsers are built."""


def _helpers() -> types.ModuleType:
    return importlib.import_module(HELPERS)


def _is_valid_syntax(term: str, value: str) -> bool:
    return bool(_helpers().is_valid_syntax(term, value))


def _attribute(name: str) -> Any:
    """Any other name of the package, from the real module (PEP 562's module `__getattr__`)."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_helpers(), name)


def defer() -> None:
    """Stand in for rfc3987_syntax until it is used; nothing to do when it is not installed or already loaded."""
    if PACKAGE in sys.modules:
        return
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return
    stand_in = types.ModuleType(PACKAGE, "Stands in for rfc3987_syntax until it is used (resurskurs.iri_syntax).")
    stand_in.__path__ = list(spec.submodule_search_locations)
    stand_in.is_valid_syntax = _is_valid_syntax  # type: ignore[attr-defined]  # what jsonschema imports
    stand_in.__getattr__ = _attribute  # type: ignore[method-assign]  # PEP 562
    sys.modules[PACKAGE] = stand_in
