"""Which evaluation groups may be shown, so that nobody's answers can be singled out or worked out.

Primary suppression hides a unit where fewer than MIN_ANSWERS people answered. That alone is not
enough: the district total is shown too, and the total minus the units shown would give a single
hidden unit's answers exactly. Complementary suppression (as statistics offices do) therefore
hides more units, smallest first, until the hidden units are at least two and together hold at
least MIN_ANSWERS answers in every count that is shown: people, and answers per statement and
question. What the total minus the visible units gives is then a group of at least MIN_ANSWERS
answers spread over several units, which nobody can take apart. Every output (the pages, the
reports, the decks) gets its evaluations through `disclosed`, so they all hide the same groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resurskurs.core.figures import EvaluationFigures

MIN_ANSWERS = 5
"""An evaluation is shown for a group only when at least this many answered, so nobody can be singled out."""


def hidden_parts(parts: Mapping[str, Sequence[int]], minimum: int = MIN_ANSWERS) -> frozenset[str]:
    """The parts of a shown total to hide.

    `parts[name]` holds the part's counts, each a number of people who answered something shown
    for it; the first is how many answered at all and decides both primary suppression and the
    order in which further parts are hidden (smallest first, then by name). A remainder of 0 in
    a count is harmless: it says only that nobody in the hidden parts answered that.
    """
    hidden = {name for name, counts in parts.items() if counts[0] < minimum}
    candidates = sorted((counts[0], name) for name, counts in parts.items() if name not in hidden)

    def recoverable() -> bool:
        remainders = (sum(column) for column in zip(*(parts[name] for name in hidden), strict=True))
        return len(hidden) < 2 or any(0 < remainder < minimum for remainder in remainders)

    while hidden and candidates and recoverable():
        hidden.add(candidates.pop(0)[1])
    return frozenset(hidden)


def counts(figures: EvaluationFigures) -> tuple[int, ...]:
    """Every count a group's evaluation shows: people who answered, then answers per statement and question."""
    return (
        figures.answered,
        *(item.answered for item in figures.likert),
        *(len(answers) for answers in figures.open_answers.values()),
    )


def disclosed(total: EvaluationFigures, parts: Sequence[EvaluationFigures]) -> list[EvaluationFigures]:
    """What may be shown of one module: the total and the parts not hidden, or nothing below MIN_ANSWERS."""
    if total.answered < MIN_ANSWERS:
        return []
    hidden = hidden_parts({part.group: counts(part) for part in parts})
    return [total, *(part for part in parts if part.group not in hidden)]
