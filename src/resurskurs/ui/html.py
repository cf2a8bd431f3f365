"""Small HTML builders for the static parts of a page; every text from content is escaped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from resurskurs.schema.vocabulary import PARTS, Part

_SHARED: dict[str, w.Widget] = {}


def _shared() -> dict[str, w.Widget]:
    if not _SHARED:
        _SHARED.update(layout=w.Layout(), style=HTMLStyle())
    return _SHARED


def block(markup: str) -> w.HTML:
    """Static HTML sharing one Layout and one Style model: each page creates a third of the widget models."""
    return w.HTML(markup, **_shared())


def text(value: str) -> str:
    return escape(value, quote=True)


def alert(message: str) -> str:
    """A problem the reader must notice first, read out by screen readers as it appears."""
    return f'<div role="alert" class="rk-problem"><p>{text(message)}</p></div>'


def bullets(items: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{text(item)}</li>" for item in items) + f"</{tag}>"


def duration(minutes: int) -> str:
    """'45 min', '1 tim 30 min': how Swedish staff say a time estimate."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} tim" + (f" {rest} min" if rest else "")


def page(children: list[w.Widget]) -> w.VBox:
    """A page's root: the template keeps its Swedish loading message until an `rk-page` has rendered."""
    root = w.VBox(children)
    root.add_class("rk-page")
    return root


def part_heading(part: Part, minutes: int) -> str:
    """A heading for one part of the cycle, named as the schema names it, with its time estimate."""
    name = PARTS[part]
    return (
        f'<h2 id="{name.anchor}">Del {part} – {text(name.heading)} '
        f'<span class="rk-minutes">({duration(minutes)})</span></h2>'
    )


def heading(title: str, anchor: str, intro: str = "", level: int = 2) -> w.HTML:
    """A section heading the in-page links can reach, with an optional line of introduction.

    Sections inside a part of the cycle are one level below the part's own heading.
    """
    return block(f'<h{level} id="{anchor}">{text(title)}</h{level}>' + (f"<p>{text(intro)}</p>" if intro else ""))


class LiveBlock(w.HTML):  # type: ignore[misc]  # ipywidgets has no annotations
    """HTML drawn again from the learner's answers whenever they change, so a status never needs a reload."""

    def __init__(self, render: Callable[[], str]) -> None:
        super().__init__(render(), **_shared())
        self._render = render

    def refresh(self) -> None:
        self.value = self._render()


def descendants(widget: w.Widget) -> Iterator[w.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def live_blocks(root: w.Widget) -> list[LiveBlock]:
    """Every `LiveBlock` under `root`, to redraw once an answer has been saved."""
    return [widget for widget in descendants(root) if isinstance(widget, LiveBlock)]
