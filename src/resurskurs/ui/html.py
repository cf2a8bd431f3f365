"""The widgets that carry a page's static HTML (its strings: ui/markup.py); every text from content is escaped."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from resurskurs.ui.markup import text

_SHARED: dict[str, w.Widget] = {}


def _shared() -> dict[str, w.Widget]:
    if not _SHARED:
        _SHARED.update(layout=w.Layout(), style=HTMLStyle())
    return _SHARED


def block(markup: str) -> w.HTML:
    """Static HTML sharing one Layout and one Style model: each page creates a third of the widget models."""
    return w.HTML(markup, **_shared())


def page(children: list[w.Widget]) -> w.VBox:
    """A page's root: the template keeps its Swedish loading message until an `rk-page` has rendered."""
    root = w.VBox(children)
    root.add_class("rk-page")
    return root


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
