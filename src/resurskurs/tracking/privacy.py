"""The privacy guard: before free text leaves a person, point out identity numbers and names.

Reflections, practice notes and survey and follow-up answers are personal data and may touch children. Nothing
is changed or sent on the writer's behalf: the guard names what it found, in Swedish, and the text waits until
the writer has removed it. Dates, times, phone numbers, organisation numbers, a work team's name and a book's
title must not raise false alarms.

The text is normalised before matching, so that spaces, dots, slashes, line breaks, odd dashes, digits of other
scripts (full-width, Arabic-Indic, Persian, …) and invisible characters cannot hide a number or a name; findings
still quote the writer's own text. Names are known from a name list of the languages of Stockholm's families
(`names.py`); a name that is also a Swedish word (björn, liv, saga) counts only where the text shows it is a name.
It runs as people type, so it is one pass of a few regular expressions and set look-ups.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from resurskurs.tracking.names import given_names

# Characters that need folding: all but printable ASCII and the Swedish letters, and a space after whitespace.
_SPECIAL = re.compile(r"[^\x21-\x7eÅÄÖåäöÉéÜü ]|(?<=\s) ")
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# YYMMDD or YYYYMMDD, the date parts run together or split by a space, dot, dash, slash or line break; then a
# dash, plus, dot, slash, space, line break or nothing; then four digits. Never part of a longer number or of a
# spaced phone number.
_IDENTITY = re.compile(
    r"(?=\d)(?<![\d+])(?<!\d[-. /])"
    r"(?P<century>19|20)?(?P<year>\d{2})(?P<gap>[ .\-/\n]?)(?P<month>\d{2})(?P<gap2>[ .\-/\n]?)(?P<day>\d{2})"
    r"(?P<separator>\s?[-+./_]?\s?)(?P<tail>\d{4})"
    r"(?!\d|[-.,:/]\d)"
)
# A bare ten-digit number starting with 0 after these words is a phone number, unless the writer says it is not.
_PHONE_CONTEXT = re.compile(r"\b(?:tel|telefon|mobil|ring|sms|nås|växel|fax|\w*nummer\b|\w*numret\b|nr\b)", re.I)
_IDENTITY_CONTEXT = re.compile(r"\b(?:person|samordnings|p)-?(?:nummer|numret|nr)\b", re.I)
_PHONE_WINDOW = 40

_ONE_CHILD = [
    "barnet",
    "flickan",
    "pojken",
    "tjejen",
    "killen",
    "bebisen",
    "bäbisen",
    "babyn",
    "dottern",
    "sonen",
    "lillebror",
    "lillasyster",
    "storebror",
    "storasyster",
    "syskonet",
    "kompisen",
    "kamraten",
    "vännen",
    "bästisen",
    "lillkillen",
    "lilltjejen",
    "lillpojken",
    "lillflickan",
    "minstingen",
    "brorsan",
    "syrran",
    "systern",
    "brodern",
    "bror",
    "syster",
    "kusinen",
    "grannbarnet",
    "tvillingen",
]
_CHILDREN = [
    "barnen", "flickorna", "pojkarna", "tjejerna", "killarna", "syskonen", "tvillingarna", "kompisarna", "kamraterna",
    "vännerna", "kusinerna",
]  # fmt: skip
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
_NAME_THEN_CHILD = re.compile(rf"\b(?P<name>{_WORD}), (?:som är )?(?:{_SINGULAR_CHILD})\b(?! och| eller| samt|,)", re.I)
# Things that have names too: "boken som heter …", "avdelningen Lilla Björn", "sagan om …".
_THINGS = frozenset(
    [
        "bok", "boken", "saga", "sagan", "sång", "sången", "visa", "visan", "ramsa", "ramsan", "lek", "leken",
        "film", "filmen", "serie", "serien", "app", "appen", "spel", "spelet", "program", "programmet", "dikt",
        "dikten", "pjäs", "pjäsen", "teater", "teatern", "tema", "temat", "projekt", "projektet", "metod",
        "metoden", "modell", "modellen", "material", "materialet", "kurs", "kursen", "modul", "modulen",
        "avdelning", "avdelningen", "avd", "grupp", "gruppen", "förskola", "förskolan", "docka", "dockan", "nalle",
        "nallen", "gosedjur", "gosedjuret", "hund", "hunden", "katt", "katten", "kanin", "kaninen", "häst",
        "hästen", "figur", "figuren", "karaktär", "karaktären", "bilderbok", "bilderboken", "sagobok", "sagoboken",
    ]
)  # fmt: skip
_TEAMS = frozenset(["avdelningen", "avdelning", "gruppen", "förskolan", "förskola", "arbetslaget"])
_BIG_AND_LITTLE = frozenset(["Lilla", "Lille", "Stora", "Store"])
# "som heter", "hon heter", "pojken kallas", "vid namn", "kallad": the next word is a name.
_NAMING = frozenset(["heter", "hette", "kallas", "kallades"])
_NAMED = frozenset(["namn", "kallad", "kallade"])
_WHO = frozenset(["som", "han", "hon", "hen", "jag", "du"])
_PEOPLE = frozenset(["pojke", "flicka", "tjej", "kille", "barn", "kompis", "kamrat", "vän", "bebis", "bror", "syster"])
_CHILD_SET = frozenset([*_ONE_CHILD, *_CHILDREN, *_LITTLE])
_ONE_CHILD_SET = frozenset(_ONE_CHILD)
_SENTENCE_END = (".", "!", "?", ":", "\n")
_OPENERS = " \"'“”„«»‹›‘’(*•-"
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_NOT_NAMES = frozenset(
    [
        *_ONE_CHILD,
        *_CHILDREN,
        *_LITTLE,
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
        "dem",
        "dom",
        "man",
        "som",
        "och",
        "eller",
        "samt",
        "men",
        "när",
        "då",
        "sen",
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
        "så",
        "ja",
        "nej",
        "okej",
        "alla",
        "båda",
        "flera",
        "några",
        "många",
        "hela",
        "varje",
        "ingen",
        "inget",
        "något",
        "nästa",
        "idag",
        "igår",
        "imorgon",
        "därefter",
        "först",
        "sist",
        "senare",
        "plötsligt",
        "tyvärr",
        "kanske",
        "hur",
        "vad",
        "vem",
        "varför",
        "vilken",
        "vilket",
        "eftersom",
        "medan",
        "trots",
        "fast",
        "även",
        "dock",
        "alltså",
        "ofta",
        "alltid",
        "aldrig",
        "ibland",
        "min",
        "mitt",
        "mina",
        "din",
        "ditt",
        "dina",
        "hans",
        "hennes",
        "deras",
        "vår",
        "vårt",
        "våra",
        "er",
        "ert",
        "era",
        "sin",
        "sitt",
        "sina",
        "en",
        "ett",
        "mamma",
        "pappa",
        "mamman",
        "pappan",
        "mormor",
        "morfar",
        "farmor",
        "farfar",
        "vårdnadshavaren",
        "föräldern",
        "föräldrarna",
        "pedagogen",
        "pedagogerna",
        "förskolläraren",
        "barnskötaren",
        "rektorn",
        "personalen",
        "läraren",
        "kollegan",
        "gruppen",
        "förskolan",
        "avdelningen",
        "hej",
        "tack",
        "se",
        "vid",
        "typ",
        "liksom",
        "ju",
        "väl",
        "nog",
        "redan",
        "fortfarande",
        "direkt",
        "genast",
        "själv",
        "själva",
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
                "Ta bort det, så att ingen kan kännas igen."
            )
        if self.kind == "name":
            return f"Det ser ut som ett namn (”{shown}”). Skriv ”ett barn” i stället, så att ingen kan kännas igen."
        return (
            f"Texten verkar nämna ett barns namn (”{shown}”). Skriv hellre till exempel ”ett barn” "
            "eller ”en treåring”, så att ingen kan kännas igen."
        )


class PrivateText(ValueError):
    """Free text that names someone or holds an identity number; `str()` says, in Swedish, what to change."""


@dataclass(frozen=True)
class _Normalised:
    """The text as the patterns see it, and for each of its characters the span of the writer's text it came from."""

    original: str
    text: str
    starts: array[int]
    ends: array[int]

    def finding(self, kind: str, start: int, end: int) -> Finding:
        first, last = self.starts[start], self.ends[end - 1]
        return Finding(kind, self.original[first:last], first)


@lru_cache(maxsize=4096)
def _fold(chars: str) -> str:
    """One character and its combining marks as the patterns see them: NFKC, invisible characters dropped, every
    dash a hyphen, every decimal digit its ASCII digit, every space " " and every line break "\n"."""
    folded = []
    for char in unicodedata.normalize("NFKC", chars):
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        if category == "Pd" or char == "\u2212":
            char = "-"
        elif category == "Nd" and not char.isascii():
            char = str(unicodedata.decimal(char))
        elif char.isspace():
            char = "\n" if char in _LINE_BREAKS else " "
        folded.append(char)
    return "".join(folded)


class _Builder:
    """The normalised text as it grows, with each character's span in the writer's text."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.starts = array("l")
        self.ends = array("l")
        self.last = ""

    def add(self, char: str, start: int, end: int) -> None:
        """One folded character; a space or line break after another is merged into it."""
        if char in " \n" and self.last in (" ", "\n"):
            self.last = "\n" if "\n" in (char, self.last) else " "
            self.pieces[-1] = self.pieces[-1][:-1] + self.last
            self.ends[-1] = end
            return
        self.pieces.append(char)
        self.starts.append(start)
        self.ends.append(end)
        self.last = char

    def add_plain(self, run: str, start: int) -> None:
        """Characters that fold to themselves, no two spaces together, copied whole."""
        if run[0] == " " and self.last in (" ", "\n"):
            self.ends[-1] = start + 1
            run, start = run[1:], start + 1
        if run:
            self.pieces.append(run)
            self.starts.extend(range(start, start + len(run)))
            self.ends.extend(range(start + 1, start + len(run) + 1))
            self.last = run[-1]


def _normalise(original: str) -> _Normalised:
    """Each character with its combining marks folded (`_fold`), runs of whitespace made one (a line break if
    the run has one). Runs of plain characters are copied whole, so that everyday text costs little."""
    built = _Builder()
    position, length = 0, len(original)
    for special in _SPECIAL.finditer(original):
        index = special.start()
        if index < position:
            continue
        if index > position and unicodedata.combining(original[index]):
            index -= 1
        if index > position:
            built.add_plain(original[position:index], position)
        end = index + 1
        while end < length and unicodedata.combining(original[end]):
            end += 1
        for char in _fold(original[index:end]):
            built.add(char, index, end)
        position = end
    if position < length:
        built.add_plain(original[position:], position)
    return _Normalised(original, "".join(built.pieces), built.starts, built.ends)


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
    if match["century"] or match["gap"] or match["gap2"] or match["separator"] or not match["year"].startswith("0"):
        return False
    before = text[max(0, match.start() - _PHONE_WINDOW) : match.start()]
    return not _IDENTITY_CONTEXT.search(before) and bool(_PHONE_CONTEXT.search(before))


def _identity_numbers(normalised: _Normalised) -> list[Finding]:
    found = []
    for match in _IDENTITY.finditer(normalised.text):
        if match["gap"] != match["gap2"] and "\n" not in (match["gap"], match["gap2"]):
            continue
        if not _is_birth_date(int(match["month"]), int(match["day"])):
            continue
        if not luhn_ok(match["year"] + match["month"] + match["day"] + match["tail"]):
            continue
        if _looks_like_phone(normalised.text, match):
            continue
        found.append(normalised.finding("identity", *match.span()))
    return found


def _is_name(word: str) -> bool:
    """Capitalised and no ordinary word, or a known name in lower case ("flickan maja")."""
    lower = word.lower()
    if lower in _NOT_NAMES:
        return False
    return word[0].isupper() or all(part in given_names().names for part in lower.split("-"))


def _names_a_child(text: str, match: re.Match[str], end: int) -> bool:
    """Not a capitalised "Lilla" inside a sentence (a unit or a book: "på Lilla Björn"), nor "barnet (Se nedan)"."""
    child, before = match["child"], text[: match.start()].rstrip()
    if child.lower() in _LITTLE and child[0].isupper():
        if before and not before.endswith(_SENTENCE_END):
            return False
        if _name_kind(match["name"]) == "word":
            return False
    return match["link"] != " (" or text.startswith((")", ","), end)


def _child_start(text: str, token: re.Match[str]) -> int:
    """Where a word for a child starts, with a prefix such as "3-" in "3-åringen"."""
    start = token.start()
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
        start -= 1
    return start


def _child_then_name(normalised: _Normalised, token: re.Match[str]) -> Finding | None:
    """ "flickan Maja", "barnen Maja och Omar", "pojken (Hugo)", "barnet, som heter Elis"."""
    text = normalised.text
    match = _CHILD_THEN_NAME.match(text, _child_start(text, token))
    if match is None or not _is_name(match["name"]):
        return None
    end = match.end("name")
    while (more := _MORE_NAMES.match(text, end)) and _is_name(more["name"]):
        end = more.end()
    if not _names_a_child(text, match, end):
        return None
    if match["link"] == " (" and text.startswith(")", end):
        end += 1
    return normalised.finding("child-name", match.start(), end)


def _name_then_child(normalised: _Normalised, tokens: list[re.Match[str]], index: int) -> Finding | None:
    """ "Maja, flickan i röda jackan, grät", "Omar, som är pojken med kepsen"."""
    for back in (1, 3):
        if index >= back:
            match = _NAME_THEN_CHILD.match(normalised.text, tokens[index - back].start())
            if match and match.end() == tokens[index].end() and _is_name(match["name"]):
                return normalised.finding("child-name", *match.span())
    return None


def _called(normalised: _Normalised, tokens: list[re.Match[str]], index: int) -> Finding | None:
    """ "en pojke som heter Viggo", "hon heter Idun", "ett barn vid namn Leia", not "boken som heter …"."""
    if index + 1 >= len(tokens):
        return None
    text, word, name = normalised.text, tokens[index].group().lower(), tokens[index + 1]
    if text[tokens[index].end() : name.start()] != " ":
        return None
    before = [token.group().lower() for token in tokens[max(0, index - 2) : index]]
    if word == "namn" and before[-1:] != ["vid"]:
        return None
    if word in _NAMING:
        if not before or before[-1] not in _WHO | _ONE_CHILD_SET | _PEOPLE:
            return None
        if before[-1] == "som" and len(before) == 2 and before[0] in _THINGS:
            return None
    lower = name.group().lower()
    if lower in _NOT_NAMES or not (name.group()[0].isupper() or _known(lower)):
        return None
    return normalised.finding("child-name", *name.span())


def _child_names(normalised: _Normalised) -> list[Finding]:
    """A name next to a word for a child, or given as a name ("som heter", "vid namn")."""
    tokens = list(_TOKEN.finditer(normalised.text))
    found = []
    for index, token in enumerate(tokens):
        lower = token.group().lower()
        if lower in _CHILD_SET or lower.endswith(("åringen", "åringarna")):
            found.append(_child_then_name(normalised, token))
            if lower in _ONE_CHILD_SET or lower.endswith("åringen"):
                found.append(_name_then_child(normalised, tokens, index))
        elif lower in _NAMING or lower in _NAMED:
            found.append(_called(normalised, tokens, index))
    return [finding for finding in found if finding is not None]


def _known(lower: str) -> bool:
    names = given_names()
    return lower in names.names or lower in names.words


def _starts_sentence(text: str, start: int) -> bool:
    """At the start of the text, a line, or after . ! ? : …, with only quotes, brackets or a dash between."""
    index = start
    while index > 0 and text[index - 1] in _OPENERS:
        index -= 1
    return index == 0 or text[index - 1] in ".!?:;\n…"


def _next_word(text: str, end: int) -> str:
    found = _TOKEN.match(text, end + 1) if text.startswith(" ", end) else None
    return found.group() if found else ""


def _name_kind(word: str) -> str:
    """ "name" (only a name), "word" (a name that is also a Swedish word) or "" (no name)."""
    names = given_names()
    parts = word.lower().replace("’", "'").split("-")
    if len(parts) > 1:
        if all(part in names.names or part in names.words for part in parts):
            return "name" if any(part in names.names for part in parts) else "word"
        return ""
    lower = parts[0].split("'")[0]
    if lower in names.names:
        return "name"
    if lower in names.words:
        return "word"
    if word[0].isupper() and len(lower) > 3 and lower.endswith("s") and lower[:-1] in names.names:
        return "name"
    return ""


def _in_a_title(text: str, start: int, end: int, word: str) -> bool:
    """A book, song or work team: up to two words after a capitalised "Lilla" or "Stora" ("Lilla spöket Laban";
    at a sentence's start only for a name that is also a word: "Lilla Björn"), or right after a thing ("boken",
    "avdelningen", "sagan om"), or before a team word ("Blå avdelningen")."""
    before = list(_TOKEN.finditer(text, max(0, start - 40), start))[-2:]
    for little in before:
        if little.group() not in _BIG_AND_LITTLE or any(char in ".!?:;\n" for char in text[little.end() : start]):
            continue
        if _name_kind(word) == "word" or not _starts_sentence(text, little.start()):
            return True
    previous = [found.group().lower() for found in before]
    if before and text[before[-1].end() : start] == " " and previous[-1] in _THINGS:
        return True
    if len(before) == 2 and text[before[0].end() : start] == " om " and previous[0] in _THINGS:
        return True
    return _next_word(text, end).lower() in _TEAMS


def _bare_names(normalised: _Normalised) -> list[Finding]:
    """A known given name on its own: anywhere if it is only a name, capitalised inside a sentence if also a word."""
    text = normalised.text
    found = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        kind = _name_kind(word)
        if not kind or word.lower() in _NOT_NAMES:
            continue
        capitalised = word[0].isupper()
        if kind == "word" and (not capitalised or _starts_sentence(text, match.start())):
            continue
        if kind == "name" and not capitalised and len(word) < 3:
            continue
        if capitalised and _in_a_title(text, match.start(), match.end(), word):
            continue
        found.append(normalised.finding("name", *match.span()))
    return found


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """In reading order; a name inside a longer finding ("flickan Maja") is said once, by the longer one."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda found: (found.start, -len(found.text))):
        if kept and finding.start < kept[-1].start + len(kept[-1].text):
            continue
        kept.append(finding)
    return kept


def check_text(text: str) -> list[Finding]:
    """Everything in `text` that should not leave the writer, in reading order."""
    normalised = _normalise(text)
    numbers = _identity_numbers(normalised)
    names = _without_overlaps(_child_names(normalised) + _bare_names(normalised))
    digits = [(found.start, found.start + len(found.text)) for found in numbers]
    names = [found for found in names if not any(start <= found.start < end for start, end in digits)]
    return sorted(numbers + names, key=lambda finding: finding.start)


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


def refuse_private(text: str) -> None:
    """Raise PrivateText, with every finding's message, when `text` may not be stored where others read it."""
    findings = check_text(text)
    if findings:
        raise PrivateText(" ".join(finding.message for finding in findings))
