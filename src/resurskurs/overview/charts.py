"""Plotly figures for the views, as plain JSON for the Chart widget; every chart has a text description."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from resurskurs.core.figures import EvaluationFigures
from resurskurs.schema.vocabulary import LIKERT_SCALE

INK = "#1b1b1b"
BLUE = "#1f4e79"
SCALE_COLOURS = ["#8c2d04", "#d9822b", "#9e9e9e", "#4f7fb0", "#1f4e79"]
"""Disagree to agree; neighbours differ in lightness too, and the legend names every step."""


def _json(figure: Any) -> dict[str, Any]:
    import plotly.io

    result: dict[str, Any] = json.loads(plotly.io.to_json(figure, validate=False))
    return result


def _layout(**extra: Any) -> dict[str, Any]:
    return {
        "template": "none",
        "font": {"family": "system-ui, sans-serif", "size": 14, "color": INK},
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "height": 320,
        **extra,
    }


def over_time(weeks: list[tuple[date, int]], possible: int) -> tuple[dict[str, Any], str]:
    """Modules handed in so far, week by week, and the text a screen reader gets instead."""
    import plotly.graph_objects as go

    figure = go.Figure(
        go.Scatter(
            x=[week.isoformat() for week, _ in weeks],
            y=[count for _, count in weeks],
            mode="lines+markers",
            line={"color": BLUE, "width": 3},
            name="Inlämnade moduler",
        ),
        layout=_layout(
            yaxis={"title": {"text": "Inlämnade moduler"}, "rangemode": "tozero"},
            xaxis={"title": {"text": "Vecka"}, "tickformat": "%-d/%-m"},
        ),
    )
    if weeks:
        description = (
            f"Linjediagram: inlämnade moduler vecka för vecka, från {weeks[0][1]} veckan {weeks[0][0]:%Y-%m-%d} "
            f"till {weeks[-1][1]} av {possible} möjliga veckan {weeks[-1][0]:%Y-%m-%d}."
        )
    else:
        description = "Linjediagram: ännu har ingen lämnat in någon modul."
    return _json(figure), description


def likert(evaluation: EvaluationFigures) -> tuple[dict[str, Any], str]:
    """One stacked bar per statement, from 'Stämmer inte alls' to 'Stämmer helt'."""
    import plotly.graph_objects as go

    statements = [item.statement for item in evaluation.likert]
    figure = go.Figure(
        [
            go.Bar(
                y=statements,
                x=[item.counts[step] for item in evaluation.likert],
                name=LIKERT_SCALE[step],
                orientation="h",
                marker={"color": SCALE_COLOURS[step]},
            )
            for step in range(5)
        ],
        layout=_layout(
            barmode="stack",
            height=120 + 60 * len(statements),
            margin={"l": 20, "r": 20, "t": 20, "b": 40},
            yaxis={"automargin": True, "autorange": "reversed"},
            xaxis={"title": {"text": "Antal svar"}},
            legend={"orientation": "h", "y": -0.3, "traceorder": "normal"},
        ),
    )
    means = "; ".join(f"{item.statement}: medel {item.mean:.1f} av 5" for item in evaluation.likert if item.mean)
    return _json(figure), f"Stapeldiagram över svaren från {evaluation.answered} personer. {means}."
