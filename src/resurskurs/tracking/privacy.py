"""The privacy guard: before a reflection is submitted, point out identity numbers and children's names.

Reflections are personal data and may touch children. Nothing is changed or sent on the writer's
behalf: the guard names what it found, in Swedish, and the submission waits until the writer has
removed it. Dates, times and phone numbers must not raise false alarms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# YYMMDD or YYYYMMDD, then -, + or nothing, then four digits; not part of a longer number.
_IDENTITY = re.compile(r"(?<![\d+-])(?:(19|20)?(\d{2}))(\d{2})(\d{2})([-+]?)(\d{4})(?![\d-])")
_PHONE_CONTEXT = re.compile(r"(tel|telefon|mobil|ring|nummer|nr|sms)\w*[\s.:]*$", re.IGNORECASE)
CHILD_WORDS = r"barnet|flickan|pojken|tjejen|killen|bebisen|ettåringen|tvååringen|treåringen|fyraåringen|femåringen"
_NAME = r"[A-ZÅÄÖ][a-zåäöéü]{1,20}"
_CHILD_THEN_NAME = re.compile(rf"\b({CHILD_WORDS})\s*,?\s+({_NAME})\b", re.IGNORECASE)
_NAME_THEN_CHILD = re.compile(rf"\b({_NAME}),?\s+(?:som är\s+)?({CHILD_WORDS})\b")
_NOT_NAMES = {
    "jag",
    "du",
    "vi",
    "ni",
    "hon",
    "han",
    "hen",
    "de",
    "det",
    "den",
    "som",
    "och",
    "men",
    "när",
    "då",
    "sedan",
    "efter",
    "innan",
    "under",
    "i",
    "på",
    "med",
    "till",
    "från",
    "om",
    "att",
    "var",
    "är",
    "blev",
    "ville",
    "kunde",
    "skulle",
    "hade",
    "har",
    "inte",
    "också",
    "bara",
    "lite",
    "mycket",
    "igen",
    "nu",
    "där",
    "här",
    *CHILD_WORDS.split("|"),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int

    @property
    def message(self) -> str:
        if self.kind == "identity":
            return (
                f"Texten verkar innehålla ett person- eller samordningsnummer (”{self.text}”). "
                "Ta bort det innan du lämnar in."
            )
        return (
            f"Texten verkar nämna ett barns namn (”{self.text}”). Skriv hellre till exempel ”ett barn” "
            "eller ”en treåring”, så att ingen kan kännas igen."
        )


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _identity_numbers(text: str) -> list[Finding]:
    found = []
    for match in _IDENTITY.finditer(text):
        _, year, month, day, separator, tail = match.groups()
        day_value = int(day)
        if not (1 <= int(month) <= 12 and (1 <= day_value <= 31 or 61 <= day_value <= 91)):
            continue
        if not luhn_ok(year + month + day + tail):
            continue
        if not separator and text[match.start()] == "0" and _PHONE_CONTEXT.search(text[: match.start()]):
            continue
        found.append(Finding("identity", match.group(0), match.start()))
    return found


def _child_names(text: str) -> list[Finding]:
    found = []
    for match in _CHILD_THEN_NAME.finditer(text):
        if match.group(2).lower() not in _NOT_NAMES and match.group(2)[0].isupper():
            found.append(Finding("child-name", match.group(0), match.start()))
    for match in _NAME_THEN_CHILD.finditer(text):
        if match.group(1).lower() not in _NOT_NAMES:
            found.append(Finding("child-name", match.group(0), match.start()))
    return found


def check_text(text: str) -> list[Finding]:
    """Everything in `text` that should not be submitted, in reading order."""
    return sorted(_identity_numbers(text) + _child_names(text), key=lambda finding: finding.start)


def privacy_findings(answers: dict[str, Any]) -> list[str]:
    """Swedish messages about what must be removed from the free text before it can be submitted."""
    practice = answers.get("practice") or {}
    survey = answers.get("survey") or {}
    texts = [
        ("Reflektionsuppgiften", answers.get("reflection") or ""),
        ("Pröva i praktiken", practice.get("note") or ""),
    ]
    texts += [("Utvärderingen", text) for text in (survey.get("open") or {}).values()]
    return [f"{where}: {finding.message}" for where, text in texts for finding in check_text(text)]
