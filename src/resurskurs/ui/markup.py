"""HTML as strings, every text from content escaped: the pages' static parts and the server's first response,
which must not import the widgets (ui/html.py builds the widgets around these)."""

from __future__ import annotations

from html import escape

from resurskurs.schema.vocabulary import PARTS, Part


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


def part_heading(part: Part, minutes: int) -> str:
    """A heading for one part of the cycle, named as the schema names it, with its time estimate."""
    name = PARTS[part]
    return (
        f'<h2 id="{name.anchor}">Del {part} – {text(name.heading)} '
        f'<span class="rk-minutes">({duration(minutes)})</span></h2>'
    )
