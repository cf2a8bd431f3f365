"""The privacy guard's precision, recall and speed on a corpus of its own (privacy_corpus.txt, not the specs').

A text with a slip that the guard flags is a true positive, a clean text it flags a false positive. A slip counts
as found only where a finding covers part of the marked text. The baseline, measured in the same run, is the
guard without its name list: identity numbers and a name next to a word for a child. The guard runs as people
type, so its time per text matters too (goal: a long reflection well under 10 ms).
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from resurskurs.tracking import privacy
from resurskurs.tracking.names import given_names

CORPUS = Path(__file__).with_name("privacy_corpus.txt")
ROUNDS = 20
LONG_TEXT_REPEATS = 8
"""A long reflection: the corpus's long clean texts, eight times over (about 6 000 characters)."""


@dataclass(frozen=True)
class Case:
    kind: str
    text: str
    marked: list[tuple[int, int]]


def cases(path: Path = CORPUS) -> list[Case]:
    """The corpus's texts, with \\n and \\uXXXX written out and each ⟦…⟧ part's span in the text."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, written = line.split(" | ", 1)
        written = re.sub(r"\\n|\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)) if m[1] else "\n", written)
        text, marked = "", []
        for piece in re.split("(⟦.*?⟧)", written, flags=re.S):
            if piece.startswith("⟦"):
                marked.append((len(text), len(text) + len(piece) - 2))
                piece = piece[1:-1]
            text += piece
        found.append(Case(kind, text, marked))
    return found


Spans = list[tuple[int, int]]


def full_guard(text: str) -> Spans:
    return [(found.start, found.start + len(found.text)) for found in privacy.check_text(text)]


def without_the_name_list(text: str) -> Spans:
    normalised = privacy._normalise(text)
    found = privacy._identity_numbers(normalised) + privacy._child_names(normalised)
    return [(finding.start, finding.start + len(finding.text)) for finding in found]


def _covers(spans: Spans, part: tuple[int, int]) -> bool:
    return any(start < part[1] and part[0] < end for start, end in spans)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    false_alarms: int
    missed: Counter[str]


def score(guard: Callable[[str], Spans], corpus: list[Case]) -> Score:
    caught = flagged_clean = slips = clean = 0
    missed: Counter[str] = Counter()
    for case in corpus:
        spans = guard(case.text)
        if case.kind == "clean":
            clean += 1
            flagged_clean += bool(spans)
        else:
            slips += 1
            if all(_covers(spans, part) for part in case.marked):
                caught += 1
            else:
                missed[case.kind] += 1
    flagged = caught + flagged_clean
    return Score(caught / flagged if flagged else 1.0, caught / slips, flagged_clean, missed)


def _per_text_ms(corpus: list[Case]) -> list[float]:
    timings = []
    for case in corpus:
        rounds = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            privacy.check_text(case.text)
            rounds.append(time.perf_counter() - started)
        timings.append(statistics.median(rounds) * 1000)
    return timings


def run() -> str:
    corpus = cases()
    given_names.cache_clear()
    started = time.perf_counter()
    names = given_names()
    load_ms = (time.perf_counter() - started) * 1000
    guard, baseline = score(full_guard, corpus), score(without_the_name_list, corpus)
    timings = _per_text_ms(corpus)
    long_text = "\n\n".join(case.text for case in corpus if case.kind == "clean" and len(case.text) > 150)
    long_text = "\n\n".join([long_text] * LONG_TEXT_REPEATS)
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        privacy.check_text(long_text)
        rounds.append(time.perf_counter() - started)
    slips = sum(case.kind != "clean" for case in corpus)
    missed = ", ".join(f"{kind} {count}" for kind, count in sorted(guard.missed.items())) or "none"
    return (
        f"privacy guard on {len(corpus)} texts ({slips} with a slip, {len(corpus) - slips} clean): precision "
        f"{guard.precision:.0%}, recall {guard.recall:.0%}, {guard.false_alarms} false alarms; missed: {missed}; "
        f"baseline without the name list: precision {baseline.precision:.0%}, recall {baseline.recall:.0%}; "
        f"time per text median {statistics.median(timings):.2f} ms, slowest {max(timings):.2f} ms; a "
        f"{len(long_text)}-character reflection {statistics.median(rounds) * 1000:.1f} ms (goal ≤ 10 ms); "
        f"name list ({len(names.names) + len(names.words)} names) loaded once in {load_ms:.0f} ms"
    )


if __name__ == "__main__":
    print(run())
