"""Granska: the resource team reads reflections one at a time, oldest first, and gives feedback.

The learner's words are shown as text (every character escaped) with the module's rubric beside
them; a point per criterion and a comment become nbgrader's manual grade and comment
(`tracking/grading.py`). Only the resource team reaches this page (`server/pages.py`). The learner's
name is shown here, since the feedback is personal; no principal's page ever shows it with a text.
The reads and writes are the backend's `Reviews` (backend/contract.py), which only the resource team gets.
"""

from __future__ import annotations

import importlib
import logging
import threading

import ipywidgets as w

from resurskurs.backend.contract import Reviews
from resurskurs.catalog.load import Catalog
from resurskurs.core.answers import MAX_TEXT
from resurskurs.district.roster import Person
from resurskurs.tracking.grading import Waiting
from resurskurs.ui.formats import moment, number
from resurskurs.ui.html import alert, block, text
from resurskurs.ui.widgets import TextAnswer

INTRO = (
    "Här läser du personalens reflektionsuppgifter, den äldsta först, och ger återkoppling. Texten visas precis "
    "som den skrevs. Poängen och kommentaren sparas i rättningsverktyget, och personen ser din återkoppling "
    "nästa gång hen öppnar modulen."
)
NOT_SAVED = "Återkopplingen kunde inte sparas just nu. Det du skrev finns kvar här – försök igen om en stund."
TOO_LONG = f"Kommentaren är längre än {number(MAX_TEXT)} tecken. Korta den lite och spara igen."
UNREADABLE = "Texten kunde inte läsas. Inlämningen finns kvar; kontakta den som sköter driften."

log = logging.getLogger("resurskurs")


def plain_text(words: str) -> str:
    """The learner's words as paragraphs and line breaks, every character escaped: text, never markup."""
    paragraphs = [part for part in words.split("\n\n") if part.strip()]
    return "".join("<p>" + "<br>".join(text(line) for line in part.split("\n")) + "</p>" for part in paragraphs)


class ReviewPage:
    """The filters, what waits, and the reflection that is open; saving opens the next one.

    nbgrader (seconds to import) is loaded in the background while the reviewer reads the first text.
    """

    def __init__(self, catalog: Catalog, reviews: Reviews, reviewer: Person) -> None:
        self.catalog = catalog
        self.reviews = reviews
        self.reviewer = reviewer
        self.titles = {module.course.slug: module.course.title for module in catalog.modules}
        self.module = w.Dropdown(
            options=[("Alla moduler", ""), *((title, slug) for slug, title in self.titles.items())],
            description="Modul",
            layout=w.Layout(width="auto", max_width="100%"),
            style={"description_width": "initial"},
        )
        self.unit = w.Dropdown(
            options=[("Alla enheter", ""), *((unit, unit) for unit in reviews.units())],
            description="Enhet",
            layout=w.Layout(width="auto", max_width="100%"),
            style={"description_width": "initial"},
        )
        self.status = block("")
        self.queue = block("")
        self.current = w.VBox()
        self.position = 0
        self.module.observe(self._filtered, names="value")
        self.unit.observe(self._filtered, names="value")

    def build(self) -> list[w.Widget]:
        threading.Thread(target=importlib.import_module, args=("nbgrader.api",), name="warm-up", daemon=True).start()
        self._refresh()
        filters = w.Box([self.module, self.unit], layout=w.Layout(flex_flow="row wrap", grid_gap="0.5rem 1.5rem"))
        return [
            block(
                '<p><a href="?vy=forvaltning">← Översikt för hela förvaltningen</a></p>'
                f"<h1>Granska reflektioner</h1><p>{text(INTRO)}</p><h2>Väntar på granskning</h2>"
            ),
            filters,
            self.queue,
            self.status,
            self.current,
        ]

    def _filtered(self, _: object) -> None:
        self.position = 0
        self.status.value = ""
        self._refresh()

    def _refresh(self) -> None:
        waiting = self.reviews.waiting(self.titles, str(self.module.value), str(self.unit.value))
        self.position = min(self.position, max(len(waiting) - 1, 0))
        self.queue.value = self._queue_html(waiting)
        self.current.children = self._open(waiting[self.position], len(waiting)) if waiting else []

    def _queue_html(self, waiting: list[Waiting]) -> str:
        if not waiting:
            narrowed = " med de här valen" if self.module.value or self.unit.value else ""
            return f"<p>Inget väntar på granskning{narrowed}. Tack!</p>"
        items = "".join(
            ('<li aria-current="true"><strong>' if index == self.position else "<li>")
            + f"{text(item.name)}, {text(item.unit)} – {text(self.titles[item.slug])}, inlämnad "
            f"{moment(item.submitted_at)}"
            + (" (öppen nedanför)</strong></li>" if index == self.position else "</li>")
            for index, item in enumerate(waiting)
        )
        count = "1 reflektion väntar" if len(waiting) == 1 else f"{len(waiting)} reflektioner väntar"
        return (
            f'<p id="rk-vantar" class="rk-status">{count}, den äldsta först.</p>'
            f'<ol class="rk-queue" aria-labelledby="rk-vantar">{items}</ol>'
        )

    def _open(self, item: Waiting, total: int) -> list[w.Widget]:
        """The reflection, the rubric with a point per criterion, a comment, and saving."""
        module = self.catalog.module(item.slug)
        reflection = module.course.preparation.reflection
        try:
            words = plain_text(self.reviews.text(item.person_id, item.slug))
        except (OSError, ValueError):
            words = f'<p class="rk-problem">{text(UNREADABLE)}</p>'
        first = item.first_name or item.name
        learner = block(
            f'<h2 id="rk-granskas">Reflektion från {text(item.name)}</h2>'
            f'<p class="rk-meta">{text(item.unit)} · {text(self.titles[item.slug])} · '
            f"Inlämnad {moment(item.submitted_at)} · {self.position + 1} av {total}</p>"
            f"<h3>Uppgiften</h3><p>{text(reflection.prompt)}</p>"
            f'<h3>Det här skrev {text(first)}</h3><div class="rk-card rk-learner-text">'
            f"{words or '<p>(Ingen text.)</p>'}</div>"
        )
        criteria = [w.Checkbox(value=False, description=c.criterion, indent=False) for c in reflection.rubric]
        points = block("")

        def counted(_: object = None) -> None:
            given = sum(1 for box in criteria if box.value)
            points.value = f'<p class="rk-status">Poäng: {given} av {len(criteria)}</p>'

        for box in criteria:
            box.observe(counted, names="value")
        counted()
        comment = TextAnswer(
            label=f"Kommentar till {first}",
            hint=f"Skriv varmt och konkret: vad som är bra, och vad {first} kan pröva härnäst.",
            rows=6,
        )
        save = w.Button(description="Spara och öppna nästa")
        skip = w.Button(description="Hoppa över just nu")
        for button in (save, skip):
            button.add_class("rk-button")
        save.add_class("rk-primary")

        def saved(_: object) -> None:
            save.disabled = True
            self.status.value = '<p role="status">Sparar …</p>'
            try:
                score = self.reviews.save(
                    self.reviewer,
                    module,
                    item.person_id,
                    [int(box.value) for box in criteria],
                    comment.value,
                )
            except (OSError, ValueError):
                log.exception("the review of %s in %s could not be saved", item.person_id, item.slug)
                message = TOO_LONG if len(comment.value) > MAX_TEXT else NOT_SAVED
                self.status.value = alert(message)
                save.disabled = False
                return
            self.status.value = (
                f'<div role="status" class="rk-ok"><p>Sparat: {text(item.name)}, {text(self.titles[item.slug])}, '
                f"{number(score, 1)} av {len(criteria)} poäng. {text(first)} ser nu din återkoppling.</p></div>"
            )
            self._refresh()

        def skipped(_: object) -> None:
            self.position += 1
            self.status.value = ""
            self._refresh()

        save.on_click(saved)
        skip.on_click(skipped)
        rubric = w.VBox(
            [
                block(
                    "<h3>Bedömningsstöd</h3><p>Ge en poäng för varje del som reflektionen visar. Kommentaren är "
                    f"det {text(first)} läser först.</p>"
                ),
                *(
                    w.VBox([box, block(f'<p class="rk-small">{text(c.description)}</p>')])
                    for box, c in zip(criteria, reflection.rubric, strict=True)
                ),
                points,
                comment,
                w.Box([save, skip], layout=w.Layout(flex_flow="row wrap", grid_gap="0.5rem")),
            ]
        )
        columns = w.Layout(grid_template_columns="repeat(auto-fit, minmax(min(100%, 18rem), 1fr))", grid_gap="1.5rem")
        return [w.GridBox([learner, rubric], layout=columns)]


def review_view(catalog: Catalog, reviews: Reviews, reviewer: Person) -> list[w.Widget]:
    return ReviewPage(catalog, reviews, reviewer).build()
