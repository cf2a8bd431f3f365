"""Plotly figures for the views, as plain JSON for the Chart widget; every chart has a text description.

The figures are written as plotly.js's own JSON (traces and layout), not built with plotly's Python
package: importing `plotly.graph_objects` costs a kernel about 0.7 s and 17 MB before the first chart,
on exactly the pages (principal, district) that must draw quickly. plotly.js draws them in the browser.
"""

from __future__ import annotations

import math
import textwrap
from datetime import date, datetime, time, timedelta
from typing import Any

from resurskurs.core.figures import EvaluationFigures
from resurskurs.schema.vocabulary import LIKERT_SCALE
from resurskurs.ui.formats import day, number

INK = "#1b1b1b"
BLUE = "#1f4e79"
SCALE_COLOURS = ["#8c2d04", "#d9822b", "#9e9e9e", "#4f7fb0", "#1f4e79"]
"""Disagree to agree; neighbours differ in lightness too, and the legend names every step."""


def _layout(**extra: Any) -> dict[str, Any]:
    """plotly.js's plain look (no template), in the page's font and ink."""
    return {
        "font": {"family": "system-ui, sans-serif", "size": 14, "color": INK},
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "separators": ", ",
        "autosize": True,
        "height": 320,
        **extra,
    }


WEEK_MS = 7 * 24 * 3600 * 1000
"""plotly.js spaces date ticks in milliseconds."""
FEW = 5
"""Up to this many hand-ins the axis counts them one by one: plotly's own ticks would mark half a hand-in."""
WEEK_TICKS = 6
"""At most this many week numbers under the line, so they stay level and clear of the counts on a phone."""


def _mondays(weeks: list[tuple[date, int]]) -> dict[str, Any]:
    """Ticks on the weeks' Mondays, every week or every few, written as week numbers (how a preschool plans its
    term), with half a week's room on each side: plotly's own ticks marked the same Monday twice around a single
    week, and hours between, and whole dates crowded the counts' axis on a phone."""
    first, last = weeks[0][0], weeks[-1][0]
    half = timedelta(days=3.5)
    start, end = datetime.combine(first, time()) - half, datetime.combine(last, time()) + half
    return {
        "tick0": first.isoformat(),
        "dtick": max(1, math.ceil(len(weeks) / WEEK_TICKS)) * WEEK_MS,
        "range": [start.isoformat(), end.isoformat()],
    }


def over_time(weeks: list[tuple[date, int]], possible: int) -> tuple[dict[str, Any], str]:
    """Modules handed in so far, summed week by week (so the line never falls), and the text a screen reader
    gets instead; from the first hand-in on (`weeks` is not empty)."""
    line = {
        "type": "scatter",
        "x": [week.isoformat() for week, _ in weeks],
        "y": [count for _, count in weeks],
        "mode": "lines+markers",
        "line": {"color": BLUE, "width": 3},
        "name": "Inlämnade moduler totalt",
    }
    whole = {"tick0": 0, "dtick": 1} if weeks[-1][1] <= FEW else {}
    layout = _layout(
        yaxis={"title": {"text": "Inlämnade totalt"}, "rangemode": "tozero", **whole},
        xaxis={
            "title": {"text": "Vecka"},
            "tickformat": "v. %-V",
            "hoverformat": "vecka %-V, måndag %Y-%m-%d",
            "automargin": True,
            **_mondays(weeks),
        },
    )
    (first, start), (last, now) = weeks[0], weeks[-1]
    description = (
        f"Linjediagram: inlämnade moduler sammanlagt, vecka för vecka, från {number(start)} vecka "
        f"{first.isocalendar().week} ({day(first)}) till {number(now)} av {number(possible)} möjliga vecka "
        f"{last.isocalendar().week} ({day(last)})."
    )
    return {"data": [line], "layout": layout}, description


def wrapped(statement: str, width: int = 24) -> str:
    """A statement over several short lines, so its bar keeps room on a phone."""
    return "<br>".join(textwrap.wrap(statement, width)) or statement


def likert(evaluation: EvaluationFigures) -> tuple[dict[str, Any], str]:
    """One stacked bar per statement, from 'Stämmer inte alls' to 'Stämmer helt'."""
    statements = [wrapped(item.statement) for item in evaluation.likert]
    bars = [
        {
            "type": "bar",
            "y": statements,
            "x": [item.counts[step] for item in evaluation.likert],
            "name": LIKERT_SCALE[step],
            "orientation": "h",
            "marker": {"color": SCALE_COLOURS[step]},
        }
        for step in range(5)
    ]
    layout = _layout(
        barmode="stack",
        height=190 + 70 * len(statements),
        margin={"l": 20, "r": 20, "t": 110, "b": 50},
        yaxis={"automargin": True, "autorange": "reversed"},
        xaxis={"title": {"text": "Antal svar"}, "automargin": True},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
    )
    means = "; ".join(f"{item.statement}: medel {number(item.mean, 1)} av 5" for item in evaluation.likert if item.mean)
    return {"data": bars, "layout": layout}, f"Stapeldiagram över svaren från {evaluation.answered} personer. {means}."
