"""Small HTML builders for the static parts of a page; every text from content is escaped."""

from __future__ import annotations

from html import escape

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

_SHARED: dict[str, w.Widget] = {}


def block(markup: str) -> w.HTML:
    """Static HTML sharing one Layout and one Style model: each page creates a third of the widget models."""
    if not _SHARED:
        _SHARED.update(layout=w.Layout(), style=HTMLStyle())
    return w.HTML(markup, layout=_SHARED["layout"], style=_SHARED["style"])


def text(value: str) -> str:
    return escape(value, quote=True)


def bullets(items: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{text(item)}</li>" for item in items) + f"</{tag}>"


def duration(minutes: int) -> str:
    """'45 min', '1 tim 30 min': how Swedish staff say a time estimate."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} tim" + (f" {rest} min" if rest else "")
