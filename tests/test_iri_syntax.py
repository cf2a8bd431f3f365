"""rfc3987-syntax's parsers are built when an IRI is first checked, not when a Jupyter server or nbgrader starts,
and jsonschema's `iri` formats answer as the real package does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

IRIS = ["http://exempel.se/förskola?avdelning=ekorren", "urn:isbn:9789127", "http://[trasig", "inget schema", ""]
CHECK = f"""
import json, sys
from jsonschema import Draft202012Validator
from nbgrader.apps import NbGraderAPI
from jupyter_server.serverapp import ServerApp
loaded_at_start = "rfc3987_syntax.syntax_helpers" in sys.modules
answers = []
for form in ("iri", "iri-reference"):
    validator = Draft202012Validator({{"format": form}}, format_checker=Draft202012Validator.FORMAT_CHECKER)
    answers.append([validator.is_valid(iri) for iri in {IRIS!r}])
print(json.dumps([loaded_at_start, answers, "rfc3987_syntax.syntax_helpers" in sys.modules]))
"""


def checked(first: str) -> tuple[bool, list[list[bool]], bool]:
    """In a new interpreter that imports `first` (nothing, or resurskurs), then nbgrader and a Jupyter server."""
    code = f"{first}\n{CHECK}"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded_at_start, answers, loaded_after = json.loads(run.stdout.splitlines()[-1])
    return loaded_at_start, answers, loaded_after


@pytest.fixture(scope="module")
def with_resurskurs() -> tuple[bool, list[list[bool]], bool]:
    """One interpreter that imports resurskurs first, for both specs (each start imports nbgrader and a server)."""
    return checked("import resurskurs")


class DescribeTheIriSyntax:
    def it_is_not_built_while_nbgrader_and_a_jupyter_server_are_imported(
        self, with_resurskurs: tuple[bool, list[list[bool]], bool]
    ) -> None:
        loaded_at_start, _, _ = with_resurskurs
        assert loaded_at_start is False

    def it_is_built_when_an_iri_is_checked_and_answers_as_the_package_itself(
        self, with_resurskurs: tuple[bool, list[list[bool]], bool]
    ) -> None:
        _, answers, loaded_after = with_resurskurs
        real_loaded_at_start, real_answers, _ = checked("")
        assert real_loaded_at_start is True, "without resurskurs jsonschema builds the parsers as it is imported"
        assert loaded_after is True
        assert answers == real_answers
        assert answers[0] == [True, True, False, False, False]
