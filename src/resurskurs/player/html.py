"""Small HTML builders for the static parts of a page; every text from content is escaped."""

from __future__ import annotations

from html import escape

import ipywidgets as w


def block(markup: str) -> w.HTML:
    return w.HTML(markup)


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
