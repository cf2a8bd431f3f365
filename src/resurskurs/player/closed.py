"""What staff see of ledningen först: a module not yet released to their unit, and why it will not open."""

from __future__ import annotations

from resurskurs.district.releases import UNREADABLE, Releases
from resurskurs.schema import Course
from resurskurs.ui.markup import alert, text

CLOSED = "Din rektor öppnar modulen för er förskoleenhet inför er gruppträff. Fråga din rektor när ni ska börja."


def problem_html(releases: Releases) -> str:
    """The Swedish alert shown on every page while the release file cannot be read; empty otherwise."""
    return alert(UNREADABLE) if releases.problem else ""


def closed_card(course: Course) -> str:
    """A module not released to the learner's unit: listed, so staff know it is coming, but not a link."""
    return (
        f'<li class="rk-card-item"><div class="rk-course-card rk-closed" aria-disabled="true">'
        f'<span class="rk-card-title">{text(course.title)}</span>'
        f'<span class="rk-badge rk-not-open">Inte öppnad än</span></div></li>'
    )


def refusal_html(course: Course, releases: Releases) -> str:
    """What a learner who opens an unreleased module's address reads instead of the module."""
    reason = problem_html(releases) or f"<p>{text(CLOSED)}</p>"
    return (
        f"<h1>Modulen är inte öppnad än</h1><p>Modulen <strong>{text(course.title)}</strong> är inte öppnad "
        f'för din förskoleenhet.</p>{reason}<p><a href="?">Gå till dina moduler</a></p>'
    )
