"""Granska: the resource team reads reflections one at a time, oldest first, and gives feedback; any row of
the queue opens its reflection (a button, so the keyboard reaches it; focus moves to what it opened).

The learner's words are shown as text (every character escaped) with the module's rubric beside
them; a point per criterion and a comment become nbgrader's manual grade and comment, the points
also kept one by one for the learner (`tracking/grading.py`). Only the resource team reaches this page
(`server/pages.py`). The learner's name is shown here, since the feedback is personal; no principal's page
ever shows it with a text. The reads and writes are the backend's `Reviews` (backend/contract.py), which only
the resource team gets.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

import ipywidgets as w

from resurskurs.backend.contract import Reviews
from resurskurs.catalog.load import Catalog
from resurskurs.core.answers import MAX_TEXT
from resurskurs.core.review import Waiting
from resurskurs.district.roster import Person
from resurskurs.ui.formats import how_many, moment, number
from resurskurs.ui.html import LiveBlock, block, live_blocks
from resurskurs.ui.markup import alert, text
from resurskurs.ui.widgets import ReviewQueue, TextAnswer

INTRO = (
    "Här läser du personalens reflektionsuppgifter, den äldsta först, och ger återkoppling. Texten visas precis "
    "som den skrevs. Poängen och kommentaren sparas i rättningsverktyget, och personen ser din återkoppling "
    "nästa gång hen öppnar modulen."
)
NOT_SAVED = "Återkopplingen kunde inte sparas just nu. Det du skrev finns kvar här – försök igen om en stund."
TOO_LONG = f"Kommentaren är längre än {number(MAX_TEXT)} tecken. Korta den lite och spara igen."
UNREADABLE = "Texten kunde inte läsas. Inlämningen finns kvar; kontakta den som sköter driften."

log = logging.getLogger("resurskurs")


def key(item: Waiting) -> str:
    """One waiting reflection, as the queue names it to the page."""
    return f"{item.person_id}/{item.slug}"


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
        self.queue = ReviewQueue()
        self.queue.observe(self._chosen, names="chosen")
        self.waiting: list[Waiting] = []
        self.current = w.VBox()
        self.opened = ""
        """The key of the reflection whose form `current` holds ("" for none)."""
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
        self.waiting = self.reviews.waiting(self.titles, str(self.module.value), str(self.unit.value))
        self.position = min(self.position, max(len(self.waiting) - 1, 0))
        self._show_queue()
        self._show_current()

    def _show_current(self) -> None:
        """The form of the reflection at `position`. The form already open is kept with what the reviewer has marked
        and written: a filter chosen while they write (its answer can trail their typing under load) may list it
        still, and building it again would lose their words."""
        if not self.waiting:
            self.opened = ""
            self.current.children = []
            return
        item = self.waiting[self.position]
        if key(item) == self.opened:
            for widget in live_blocks(self.current):
                widget.refresh()
            return
        self.opened = key(item)
        self.current.children = self._open(item)

    def _show_queue(self) -> None:
        """What waits, each row a button; the open one is marked."""
        waiting = self.waiting
        if not waiting:
            narrowed = " med de här valen" if self.module.value or self.unit.value else ""
            self.queue.summary = f"Inget väntar på granskning{narrowed}. Tack!"
        else:
            count = how_many(len(waiting), "reflektion väntar", "reflektioner väntar")
            self.queue.summary = f"{count}, den äldsta först. Välj en för att öppna den."
        self.queue.items = [
            {
                "key": key(item),
                "label": f"{item.name}, {item.unit} – {self.titles[item.slug]}",
                "when": moment(item.submitted_at),
            }
            for item in waiting
        ]
        self.queue.current = key(waiting[self.position]) if waiting else ""

    def _chosen(self, change: dict[str, Any]) -> None:
        """A row of the queue was pressed: open that reflection (the queue may have changed since it was drawn)."""
        keys = [key(item) for item in self.waiting]
        if change["new"] in keys:
            self.position = keys.index(change["new"])
            self.status.value = ""
            self._show_queue()
            self._show_current()
        self.queue.chosen = ""

    def _open(self, item: Waiting) -> list[w.Widget]:
        """The reflection, the rubric with a point per criterion, a comment, and saving."""
        module = self.catalog.module(item.slug)
        reflection = module.course.preparation.reflection
        try:
            words = plain_text(self.reviews.text(item.person_id, item.slug))
        except (OSError, ValueError):
            words = f'<p class="rk-problem">{text(UNREADABLE)}</p>'
        first = item.first_name or item.name
        learner = LiveBlock(
            lambda: (
                f'<h2 id="rk-granskas" tabindex="-1" data-key="{text(key(item))}">Reflektion från '
                f'{text(item.name)}</h2><p class="rk-meta">{text(item.unit)} · {text(self.titles[item.slug])} · '
                f"Inlämnad {moment(item.submitted_at)} · {self.position + 1} av {len(self.waiting)}</p>"
                f"<h3>Uppgiften</h3><p>{text(reflection.prompt)}</p>"
                f'<h3>Det här skrev {text(first)}</h3><div class="rk-card rk-learner-text">'
                f"{words or '<p>(Ingen text.)</p>'}</div>"
            )
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
            self.opened = ""
            self._refresh()

        def skipped(_: object) -> None:
            """The one after this reflection, even if the click came from a view a refresh was replacing."""
            keys = [key(waiting) for waiting in self.waiting]
            self.position = keys.index(key(item)) + 1 if key(item) in keys else self.position + 1
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
