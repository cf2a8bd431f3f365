"""Small HTML builders for the static parts of a page; every text from content is escaped."""

from __future__ import annotations

from html import escape

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from resurskurs.schema.vocabulary import PARTS, Part

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


def heading(title: str, anchor: str, intro: str = "") -> w.HTML:
    """A section heading the in-page links can reach, with an optional line of introduction."""
    return block(f'<h2 id="{anchor}">{text(title)}</h2>' + (f"<p>{text(intro)}</p>" if intro else ""))
