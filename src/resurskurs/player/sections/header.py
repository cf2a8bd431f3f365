"""The top of a module: title, who it is for, the learner's status and the way through the four parts.

The status and the part list are live: they are drawn from the one progress rule after every save.
"""

from __future__ import annotations

import ipywidgets as w

from resurskurs.core.progress import Step, progress, steps
from resurskurs.player.sections.feedback import FEEDBACK
from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import PARTS, Part
from resurskurs.ui.html import LiveBlock, block
from resurskurs.ui.markup import alert, bullets, duration, text

DAMAGED = (
    "Vi kunde inte läsa allt du hade sparat i den här modulen. En kopia av det sparade finns kvar, och "
    "resursteamet kan hjälpa dig att få tillbaka det. Det du skriver nu sparas som vanligt."
)
STEP_ANCHORS = (PARTS[Part.A].anchor, "rk-kunskapsfragor", "rk-reflektion", PARTS[Part.C].anchor, "rk-utvardering")
"""Where each step of `progress.steps` is worked on, in the order the rule lists them."""
HAND_IN = "rk-lamna-in"


def part_minutes(session: ModuleSession) -> dict[Part, int]:
    course = session.course
    return {
        Part.A: course.preparation.minutes,
        Part.B: course.workshop.minutes,
        Part.C: course.practice.minutes,
        Part.D: course.follow_up.minutes,
    }


def step_link(step: Step, anchor: str) -> str:
    """A step with its state in words and symbol, linked to where it is done."""
    mark = "✓" if step.done else "○"
    state = "klart" if step.done else "inte klart"
    return (
        f'<li class="rk-step{" rk-step-done" if step.done else ""}"><span aria-hidden="true">{mark}</span> '
        f'<a href="#{anchor}">{text(step.label)}</a> <span class="rk-visually-hidden">({state})</span></li>'
    )


def navigation(session: ModuleSession) -> str:
    """The four parts in cycle order, each linked, with the steps of the completion rule under them (and the
    resource team's feedback, once there is some: it sits far down, under the hand-in)."""
    film, quiz, reflection, practice, survey = [
        step_link(step, anchor)
        for step, anchor in zip(steps(session.module, session.answers), STEP_ANCHORS, strict=True)
    ]
    minutes = part_minutes(session)
    has_feedback = session.review is not None and session.review.has_feedback
    feedback = f'<li><a href="#{FEEDBACK}">Läs återkopplingen från resursteamet</a></li>' if has_feedback else ""
    under = {Part.A: film + quiz + reflection, Part.C: practice}

    def part(name: Part) -> str:
        inner = f'<ul class="rk-steps">{under[name]}</ul>' if name in under else ""
        return (
            f'<li><a href="#{PARTS[name].anchor}"><strong>{name}</strong> {text(PARTS[name].short)}</a> '
            f'<span class="rk-minutes">{duration(minutes[name])}</span>{inner}</li>'
        )

    return (
        f'<nav aria-labelledby="rk-delar"><h2 id="rk-delar">Modulens fyra delar</h2>'
        f'<ol class="rk-cycle">{"".join(part(name) for name in Part)}</ol>'
        f'<ul class="rk-steps">{survey}<li><a href="#{HAND_IN}">Lämna in</a></li>{feedback}</ul></nav>'
    )


def status_line(session: ModuleSession) -> str:
    course = session.course
    state = progress(session.module, session.answers, session.review)
    return (
        f'<p class="rk-meta">För: {text(", ".join(course.audience))} · Tid totalt: ca {duration(course.minutes)}'
        f' · <span class="rk-status" role="status">{text(state.label)}</span></p>'
    )


def header(session: ModuleSession) -> list[w.Widget]:
    course = session.course
    notice = alert(DAMAGED) if session.damaged else ""
    return [
        block(
            f'<p><a href="?">← Alla moduler</a></p><h1>{text(course.title)}</h1>{notice}'
            f'<p class="rk-lead">{text(course.summary)}</p>'
        ),
        LiveBlock(lambda: status_line(session)),
        block(f"<h2>Det här lär du dig</h2>{bullets(course.learning_goals)}"),
        LiveBlock(lambda: navigation(session)),
    ]


def jump_bar() -> w.HTML:
    """A slim bar that stays at the top while scrolling: the parts and the hand-in, one tap away."""
    links = "".join(
        f'<a href="#{PARTS[name].anchor}"><span class="rk-visually-hidden">Del </span>{name}'
        f'<span class="rk-jump-name"> {text(PARTS[name].short)}</span></a>'
        for name in Part
    )
    bar = block(
        f'<nav class="rk-jump" aria-label="Hoppa till en del">{links}<a href="#rk-delar">Översikt</a>'
        f'<a href="#{HAND_IN}">Lämna in</a></nav>'
    )
    bar.add_class("rk-jump-bar")
    return bar
