"""The privacy guard: before a reflection is submitted, point out identity numbers and children's names.

Reflections are personal data and may touch children. Nothing is changed or sent on the writer's
behalf: the guard names what it found, in Swedish, and the submission waits until the writer has
removed it. Dates, times, phone numbers and organisation numbers must not raise false alarms.

The text is normalised before matching, so that spaces, dots, odd dashes, digits of other scripts
(full-width, Arabic-Indic, Persian, …) and invisible characters cannot hide a number or a name; findings
still quote the writer's own text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# YYMMDD or YYYYMMDD, the date parts run together or split alike by a space, dot or dash; then a dash,
# plus, dot, space or nothing; then four digits. Never part of a longer number or of a spaced phone number.
_IDENTITY = re.compile(
    r"(?<![\d+])(?<!\d[-. ])"
    r"(?P<century>19|20)?(?P<year>\d{2})(?P<gap>[ .-]?)(?P<month>\d{2})(?P=gap)(?P<day>\d{2})"
    r"(?P<separator>\s?[-+.]?\s?)(?P<tail>\d{4})"
    r"(?!\d|[-.,:/]\d)"
)
# A bare ten-digit number starting with 0 after these words is a phone number, unless the writer says it is not.
_PHONE_CONTEXT = re.compile(r"\b(?:tel|telefon|mobil|ring|sms|nås|växel|fax|\w*nummer\b|\w*numret\b|nr\b)", re.I)
_IDENTITY_CONTEXT = re.compile(r"\b(?:person|samordnings|p)-?(?:nummer|numret|nr)\b", re.I)
_PHONE_WINDOW = 40

_ONE_CHILD = [
    "barnet", "flickan", "pojken", "tjejen", "killen", "bebisen", "bäbisen", "babyn", "dottern", "sonen", "lillebror",
    "lillasyster", "storebror", "storasyster", "syskonet",
]
_CHILDREN = ["barnen", "flickorna", "pojkarna", "tjejerna", "killarna", "syskonen", "tvillingarna"]
_LITTLE = ["lilla", "lille"]
_SINGULAR_CHILD = "|".join([*_ONE_CHILD, r"[\w-]*åringen"])
_CHILD_WORDS = "|".join([_SINGULAR_CHILD, *_CHILDREN, r"[\w-]*åringarna", *_LITTLE])
_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)?"
# A word for a child, then a name: "flickan Maja", "pojken, Omar", "barnet, som heter Elis", "flickan (Maja)".
# The name is looked ahead at, so that a word passed over as no name can still be the next child word.
_CHILD_THEN_NAME = re.compile(
    rf"\b(?P<child>{_CHILD_WORDS})(?=(?P<link>,? som (?:heter|hette|kallas|kallades) |, | \(| )(?P<name>{_WORD})\b)",
    re.I,
)
# More names in the same list: "barnen Maja, Omar och Elis".
_MORE_NAMES = re.compile(rf"(?:, | och | & )(?P<name>{_WORD})\b")
# A name set off by a comma before a word for a child, not in a list: "Maja, flickan i röda jackan, grät."
_NAME_THEN_CHILD = re.compile(
    rf"\b(?P<name>{_WORD}), (?:som är )?(?:{_SINGULAR_CHILD})\b(?! och| eller| samt|,)", re.I
)
_SENTENCE_END = (".", "!", "?", ":", "\n")
_NOT_NAMES = frozenset(
    [
        *_ONE_CHILD,
        *_CHILDREN,
        *_LITTLE,
        "jag", "du", "vi", "ni", "hon", "han", "hen", "de", "det", "den", "dem", "dom", "man", "som", "och", "eller",
        "samt", "men", "när", "då", "sen", "sedan", "efter", "innan", "under", "i", "på", "med", "till", "från", "om",
        "att", "var", "är", "blev", "ville", "kunde", "skulle", "hade", "har", "inte", "också", "bara", "lite",
        "mycket", "igen", "nu", "där", "här", "så", "ja", "nej", "okej", "alla", "båda", "flera", "några", "många",
        "hela", "varje", "ingen", "inget", "något", "nästa", "idag", "igår", "imorgon", "därefter", "först", "sist",
        "senare", "plötsligt", "tyvärr", "kanske", "hur", "vad", "vem", "varför", "vilken", "vilket", "eftersom",
        "medan", "trots", "fast", "även", "dock", "alltså", "ofta", "alltid", "aldrig", "ibland", "min", "mitt",
        "mina", "din", "ditt", "dina", "hans", "hennes", "deras", "vår", "vårt", "våra", "er", "ert", "era", "sin",
        "sitt", "sina", "en", "ett", "mamma", "pappa", "mamman", "pappan", "mormor", "morfar", "farmor", "farfar",
        "vårdnadshavaren", "föräldern", "föräldrarna", "pedagogen", "pedagogerna", "förskolläraren", "barnskötaren",
        "rektorn", "personalen", "läraren", "kollegan", "gruppen", "förskolan", "avdelningen", "hej", "tack", "se",
    ]
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int

    @property
    def message(self) -> str:
        shown = " ".join("".join(char for char in self.text if unicodedata.category(char) != "Cf").split())
        if self.kind == "identity":
            return (
                f"Texten verkar innehålla ett person- eller samordningsnummer (”{shown}”). "
                "Ta bort det innan du lämnar in."
            )
        return (
            f"Texten verkar nämna ett barns namn (”{shown}”). Skriv hellre till exempel ”ett barn” "
            "eller ”en treåring”, så att ingen kan kännas igen."
        )


@dataclass(frozen=True)
class _Normalised:
    """The text as the patterns see it, and for each of its characters the span of the writer's text it came from."""

    original: str
    text: str
    spans: tuple[tuple[int, int], ...]

    def finding(self, kind: str, start: int, end: int) -> Finding:
        first, last = self.spans[start][0], self.spans[end - 1][1]
        return Finding(kind, self.original[first:last], first)


def _normalise(original: str) -> _Normalised:
    """NFKC per character and its combining marks, invisible characters dropped, dashes and whitespace folded."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(original):
        end = index + 1
        while end < len(original) and unicodedata.combining(original[end]):
            end += 1
        for char in unicodedata.normalize("NFKC", original[index:end]):
            category = unicodedata.category(char)
            if category == "Cf":
                continue
            if category == "Pd" or char == "\u2212":
                char = "-"
            elif category == "Nd" and not char.isascii():
                char = str(unicodedata.decimal(char))
            elif char.isspace():
                char = "\n" if char in _LINE_BREAKS else " "
                if chars and chars[-1].isspace():
                    chars[-1] = "\n" if "\n" in (char, chars[-1]) else " "
                    spans[-1] = (spans[-1][0], end)
                    continue
            chars.append(char)
            spans.append((index, end))
        index = end
    return _Normalised(original, "".join(chars), tuple(spans))


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _is_birth_date(month: int, day: int) -> bool:
    """A calendar day; samordningsnummer add 60 to the day. Organisation numbers fail here (their month is 20+)."""
    if not 1 <= month <= 12:
        return False
    days = _DAYS_IN_MONTH[month - 1]
    return 1 <= day <= days or 61 <= day <= 60 + days


def _looks_like_phone(text: str, match: re.Match[str]) -> bool:
    """A bare 0-leading ten-digit number near a word for a telephone, with no word for an identity number."""
    if match["century"] or match["gap"] or match["separator"] or not match["year"].startswith("0"):
        return False
    before = text[max(0, match.start() - _PHONE_WINDOW) : match.start()]
    return not _IDENTITY_CONTEXT.search(before) and bool(_PHONE_CONTEXT.search(before))


def _identity_numbers(normalised: _Normalised) -> list[Finding]:
    found = []
    for match in _IDENTITY.finditer(normalised.text):
        if not _is_birth_date(int(match["month"]), int(match["day"])):
            continue
        if not luhn_ok(match["year"] + match["month"] + match["day"] + match["tail"]):
            continue
        if _looks_like_phone(normalised.text, match):
            continue
        found.append(normalised.finding("identity", *match.span()))
    return found


def _is_name(word: str) -> bool:
    return word[0].isupper() and word.lower() not in _NOT_NAMES


def _names_a_child(text: str, match: re.Match[str], end: int) -> bool:
    """Not a capitalised "Lilla" inside a sentence (a unit or a book: "på Lilla Björn"), nor "barnet (Se nedan)"."""
    child, before = match["child"], text[: match.start()].rstrip()
    if child.lower() in _LITTLE and child[0].isupper() and before and not before.endswith(_SENTENCE_END):
        return False
    return match["link"] != " (" or text.startswith((")", ","), end)


def _child_names(normalised: _Normalised) -> list[Finding]:
    text = normalised.text
    found = []
    for match in _CHILD_THEN_NAME.finditer(text):
        if not _is_name(match["name"]):
            continue
        end = match.end("name")
        while (more := _MORE_NAMES.match(text, end)) and _is_name(more["name"]):
            end = more.end()
        if not _names_a_child(text, match, end):
            continue
        if match["link"] == " (" and text.startswith(")", end):
            end += 1
        found.append(normalised.finding("child-name", match.start(), end))
    for match in _NAME_THEN_CHILD.finditer(text):
        if _is_name(match["name"]):
            found.append(normalised.finding("child-name", *match.span()))
    return found


def check_text(text: str) -> list[Finding]:
    """Everything in `text` that should not be submitted, in reading order."""
    normalised = _normalise(text)
    return sorted(_identity_numbers(normalised) + _child_names(normalised), key=lambda finding: finding.start)


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
