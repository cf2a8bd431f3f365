"""The reflection assignment the resource team reads, with the learner's logbook notes at hand."""

from __future__ import annotations

import ipywidgets as w

from resurskurs.player.session import ModuleSession
from resurskurs.ui.html import block, heading
from resurskurs.ui.markup import text
from resurskurs.ui.widgets import TextAnswer

READ_BY = "Din reflektion läses av resursteamet, som ger dig återkoppling."


def reflection_section(session: ModuleSession) -> list[w.Widget]:
    reflection = session.course.preparation.reflection
    answer = TextAnswer(
        label=reflection.prompt,
        hint="Tänk på: " + " ".join(reflection.guidance),
        value=session.answers.reflection,
        min_words=reflection.min_words,
        rows=10,
    )
    answer.observe(lambda change: session.save(("reflection",), change["new"], answer), names="value")
    copies: list[w.Widget] = []
    for stop in session.course.stops:
        if stop.prompt is None:
            continue
        button = w.Button(
            description="Kopiera loggboksanteckningen hit", tooltip=f"Kopiera det du skrev vid: {stop.prompt}"
        )
        button.add_class("rk-button")

        def copy(_: object, stop_id: str = stop.id) -> None:
            note = session.answers.logbook.get(stop_id, "").strip()
            if note:
                answer.value = (answer.value.rstrip() + "\n\n" + note).strip()

        button.on_click(copy)
        copies.append(w.VBox([block(f'<p class="rk-small">{text(stop.prompt)}</p>'), button]))
    return [
        heading("Reflektionsuppgift", "rk-reflektion", READ_BY, level=3),
        answer,
        w.Accordion([w.VBox(copies)], titles=("Hämta från din loggbok",)) if copies else block(""),
    ]
