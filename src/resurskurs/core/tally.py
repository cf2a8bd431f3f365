"""The figures the views, reports and workshop decks show: counts per status, scores, evaluations.

Everything here is computed from `ProgressRow`s and `EvaluationRow`s; nothing here reads a
database, so what is on screen, in a report and on a slide are the same numbers by construction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

from resurskurs.core.figures import ModuleFigures, ProgressRow
from resurskurs.core.progress import Stage, Status


def module_figures(
    rows: Iterable[ProgressRow], titles: Mapping[str, str], group_of: Callable[[ProgressRow], str]
) -> list[ModuleFigures]:
    """Counts per stage, reviews and mean knowledge-check share for every (group, module), in the rows' order."""
    counts: dict[tuple[str, str], dict[Stage, int]] = {}
    reviewed: dict[tuple[str, str], int] = {}
    shares: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        key = (group_of(row), row.slug)
        counts.setdefault(key, {stage: 0 for stage in Stage})[row.stage] += 1
        reviewed[key] = reviewed.get(key, 0) + (row.status is Status.REVIEWED)
        if row.score_share is not None:
            shares.setdefault(key, []).append(row.score_share)
    return [
        ModuleFigures(
            slug,
            titles[slug],
            group,
            per_status,
            sum(shares[group, slug]) / len(shares[group, slug]) if shares.get((group, slug)) else None,
            reviewed[group, slug],
        )
        for (group, slug), per_status in counts.items()
    ]


def not_started(rows: Iterable[ProgressRow]) -> list[tuple[str, str]]:
    """(name, work team) of everyone who has not begun any module, in the rows' order."""
    begun: dict[str, bool] = {}
    teams: dict[str, tuple[str, str]] = {}
    for row in rows:
        begun[row.person_id] = begun.get(row.person_id, False) or row.status is not Status.NOT_STARTED
        teams[row.person_id] = (row.name, row.work_team)
    return [teams[person] for person, has_begun in begun.items() if not has_begun]


def done_by_week(rows: Iterable[ProgressRow]) -> list[tuple[date, int]]:
    """Cumulative modules handed in, at the Monday of each week from the first hand-in to the last."""
    return by_week(Counter(row.submitted_at.date() for row in rows if row.submitted_at is not None))


def by_week(per_day: Mapping[date, int]) -> list[tuple[date, int]]:
    """`done_by_week` from hand-ins counted per day, as the district's figures hold them."""
    days = sorted(day for day, count in per_day.items() if count)
    if not days:
        return []
    monday = days[0] - timedelta(days=days[0].weekday())
    weeks: list[tuple[date, int]] = []
    index, total = 0, 0
    while monday <= days[-1]:
        monday += timedelta(days=7)
        while index < len(days) and days[index] < monday:
            total += per_day[days[index]]
            index += 1
        weeks.append((monday - timedelta(days=7), total))
    return weeks
