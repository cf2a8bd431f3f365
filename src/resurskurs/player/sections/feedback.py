"""What the learner reads about their hand-in: when it was received, the score, and the resource team's words and
points per rubric criterion; the notice at the top links to them."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from resurskurs.core.review import Review
from resurskurs.player.seen import SeenFeedback
from resurskurs.schema.course import RubricCriterion
from resurskurs.ui.formats import day, moment, number
from resurskurs.ui.html import block
from resurskurs.ui.markup import text

FEEDBACK = "rk-aterkoppling"
"""The anchor of the feedback: the notice at the top and the module's part list link to it."""


def resubmit_question(review: Review) -> str:
    kept = " Återkopplingen du redan har fått finns kvar här." if review.has_feedback else ""
    return (
        f"Vill du lämna in igen? Den nya inlämningen ersätter den du lämnade in {moment(review.submitted_at)}, "
        f"och resursteamet läser din reflektion på nytt.{kept}"
    )


def points_html(review: Review, rubric: Sequence[RubricCriterion]) -> str:
    """The resource team's points on the reflection: per rubric criterion when Granska kept them, else the total."""
    if review.reflection_score is None:
        return ""
    total = f"Poäng för reflektionen: {number(review.reflection_score, 1)} av {len(rubric)}"
    if review.points is None or len(review.points) != len(rubric):
        return f"<p><strong>{total}.</strong></p>"
    rows = "".join(
        f'<li><span aria-hidden="true">{"✓" if point else "○"}</span> <strong>{text(criterion.criterion)}</strong>: '
        f'{point} av 1 poäng<br><span class="rk-small">{text(criterion.description)}</span></li>'
        for point, criterion in zip(review.points, rubric, strict=True)
    )
    return f'<h4>{total}</h4><ul class="rk-rubric-points">{rows}</ul>'


def review_html(review: Review | None, rubric: Sequence[RubricCriterion]) -> str:
    """What the person sees about their submission, and the resource team's words and points once reviewed.

    After a resubmission the earlier feedback stays, with its date, until the new one is reviewed.
    """
    if review is None:
        return ""
    parts = [
        f'<p class="rk-status">Inlämnad {moment(review.submitted_at)}. Kunskapsfrågor: '
        f"{number(review.quiz_score, 1)} av {number(review.quiz_max, 1)} poäng.</p>"
    ]
    comment = "".join(f"<p>{text(line)}</p>" for line in review.comment.splitlines() if line.strip())
    given = f'<p class="rk-meta">Granskad {day(review.reviewed_at)}</p>' if review.reviewed_at else ""
    points = points_html(review, rubric)
    if review.reviewed:
        parts.append(
            f'<section class="rk-feedback" aria-labelledby="{FEEDBACK}"><h3 id="{FEEDBACK}" tabindex="-1">'
            f"Återkoppling från resursteamet</h3>{given}{comment or '<p>Din reflektion är granskad.</p>'}"
            f"{points}</section>"
        )
        return "".join(parts)
    parts.append("<p>Resursteamet läser din reflektion och ger dig återkoppling här.</p>")
    if review.has_feedback:
        parts.append(
            f'<section class="rk-feedback" aria-labelledby="{FEEDBACK}"><h3 id="{FEEDBACK}" tabindex="-1">'
            f"Tidigare återkoppling från resursteamet</h3>{given}"
            f"{comment or '<p>Din förra reflektion är granskad.</p>'}{points}</section>"
        )
    return "".join(parts)


def new_feedback_notice(seen: SeenFeedback, slug: str, review: Review | None) -> list[w.Widget]:
    """At the top of the module, once: feedback has arrived that the learner has not opened yet."""
    if review is None or not seen.is_new(slug, review):
        return []
    seen.mark_seen(slug, review)
    return [
        block(
            '<div role="status" class="rk-feedback"><p><strong>Ny återkoppling från resursteamet.</strong> '
            f'<a href="#{FEEDBACK}">Läs återkopplingen</a> under Lämna in.</p></div>'
        )
    ]
