"""Which evaluation groups may be shown, so that nobody's answers can be singled out or worked out.

Primary suppression hides a unit where fewer than MIN_ANSWERS people answered. That alone is not
enough: the district total is shown too, and the total minus the units shown would give a single
hidden unit's answers exactly. Complementary suppression (as statistics offices do) therefore
hides more units, smallest first, until the hidden units are at least two and together hold at
least MIN_ANSWERS answers in every count that is shown: people, and answers per statement and
question. What the total minus the visible units gives is then a group of at least MIN_ANSWERS
answers spread over several units, which nobody can take apart. Every output (the pages, the
reports, the decks) gets its evaluations through `disclosed`, so they all hide the same groups.

Suppression in one view is not enough either: comparing the figures before and after one more answer
gives that person's answers. So a unit's figures are published as snapshots that change only when at
least MIN_ANSWERS answers have come or gone since the last one (`republishes`, kept by
`gradebook/snapshots.py`), and the district's figures are the sum of the units' snapshots (`combined`):
every figure shown then moves in steps of at least MIN_ANSWERS people, whatever two views are compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from resurskurs.core.figures import DISTRICT, EvaluationFigures, LikertFigures

MIN_ANSWERS = 5
"""An evaluation is shown for a group only when at least this many answered, so nobody can be singled out;
its published figures change only when at least this many new answers have arrived."""

UPDATES = (
    "Siffrorna uppdateras när fem till har svarat, så att ingen kan räkna ut en enskild persons svar genom att "
    "jämföra före och efter."
)
"""When the published figures change, said wherever they are shown ("fem" is MIN_ANSWERS)."""


def republishes(published: int, live: int) -> bool:
    """Whether a unit's snapshot (`published` answered) gives way to its live figures (`live` answered): at least
    MIN_ANSWERS more (or fewer) answered.

    A changed answer, or one answer more, leaves the snapshot as it was."""
    return abs(live - published) >= MIN_ANSWERS


def combined(slug: str, group: str, parts: Sequence[EvaluationFigures]) -> EvaluationFigures:
    """The sum of `parts` (the units' snapshots) as one group: statements in the order the parts give them,
    open answers sorted alphabetically."""
    counts: dict[str, tuple[int, ...]] = {}
    before: dict[str, tuple[int, ...]] = {}
    paired: dict[str, tuple[int, ...]] = {}
    statements: dict[str, str] = {}
    written: dict[str, list[str]] = {}
    for part in parts:
        for item in part.likert:
            statements.setdefault(item.item_id, item.statement)
            counts[item.item_id] = _added(counts.get(item.item_id, ()), item.counts)
            if item.before:  # only units that counted five pairs carry them (a follow-up's baseline)
                before[item.item_id] = _added(before.get(item.item_id, ()), item.before)
                paired[item.item_id] = _added(paired.get(item.item_id, ()), item.paired)
        for question, answers in part.open_answers.items():
            written.setdefault(question, []).extend(answers)
    return EvaluationFigures(
        slug,
        group,
        sum(part.answered for part in parts),
        [
            LikertFigures(item, statements[item], n, before.get(item, ()), paired.get(item, ()))
            for item, n in counts.items()
        ],
        {question: sorted(answers) for question, answers in written.items()},
    )


def _added(summed: tuple[int, ...], more: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(a + b for a, b in zip(summed or (0,) * len(more), more, strict=True))


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


def disclosed_units(units: Mapping[tuple[str, str], EvaluationFigures]) -> dict[tuple[str, str], EvaluationFigures]:
    """Per (group, slug): the district as the sum of the units' published figures, then only what `disclosed`
    lets be shown of the district and the units."""
    by_slug: dict[str, list[EvaluationFigures]] = defaultdict(list)
    for (_, slug), found in sorted(units.items()):
        by_slug[slug].append(found)
    return {
        (shown.group, slug): shown
        for slug, parts in by_slug.items()
        for shown in disclosed(combined(slug, DISTRICT, parts), parts)
    }
