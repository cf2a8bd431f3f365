"""Does a page fit a phone? Words split across lines, clipped labels and sideways scrolling, found in the browser.

Any browser spec can ask `layout_problems(page)` after a page has rendered, or `check_each_size(page, name)` to
look at it at the sizes issue 23 names: each size gets its screenshot among the test artifacts (for a person to
look at) and its list of problems (for the test to hold at none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from weakref import WeakKeyDictionary

from playwright.sync_api import CDPSession, Page

from resurskurs.testing.browser import ARTIFACTS


@dataclass(frozen=True)
class Size:
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height}"


PHONE = Size(390, 844)
PHONE_ON_ITS_SIDE = Size(844, 390)
TABLET = Size(1024, 768)
SIZES = (PHONE, PHONE_ON_ITS_SIDE, TABLET)

FIND_PROBLEMS = """(within) => {
  const problems = [];
  const root = document.querySelector(within) || document.body;
  const shown = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  const unseen = "script, style, textarea, input, select, option, video, .rk-visually-hidden, [aria-hidden=true]";

  // A word split across lines: one word of letters and digits whose boxes lie on more than one line.
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(unseen) || !shown(parent) || parent.getBoundingClientRect().width <= 1) continue;
    for (const match of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
      if (match[0].length < 2) continue;
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) problems.push(`split word: "${match[0]}" in <${parent.tagName.toLowerCase()}>`);
    }
  }

  // A label or button whose text is wider (or taller) than its box, so part of it is cut off or spills out.
  const labels = root.querySelectorAll("label, button, summary, legend, .jupyter-button, .widget-label, th, dt");
  for (const label of labels) {
    if (!shown(label) || label.closest(unseen)) continue;
    const style = getComputedStyle(label);
    if (style.display === "inline" || style.display === "contents") continue;
    const wide = label.scrollWidth - label.clientWidth > 1;
    const tall = style.overflowY !== "visible" && label.scrollHeight - label.clientHeight > 1;
    const name = label.textContent.trim().slice(0, 40);
    if (wide || tall) problems.push(`clipped: <${label.tagName.toLowerCase()}> "${name}"`);
  }

  // The page itself scrolls sideways.
  const sideways = document.scrollingElement.scrollWidth - window.innerWidth;
  if (sideways > 0) problems.push(`the page scrolls ${sideways} px sideways`);
  return problems;
}"""


def layout_problems(page: Page, within: str = "body") -> list[str]:
    """Words split across lines, clipped labels and buttons, and sideways scrolling, in what is shown of `within`."""
    return list(page.evaluate(FIND_PROBLEMS, within))


def settled(page: Page) -> None:
    """Two frames later: the layout has followed a change of size or style."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


_touch_sessions: WeakKeyDictionary[Page, CDPSession] = WeakKeyDictionary()
"""The DevTools session that holds each page's touch emulation: closing it would end the emulation."""


def emulate_touch(page: Page, on: bool) -> None:
    """A touch screen without a mouse, or a mouse again, in the same page: CSS that asks `(hover: none)` or
    `(pointer: coarse)` follows, so one page load serves a phone and a laptop. Playwright puts its context's own
    setting back whenever it sizes the window (a new size, a screenshot of a part taller than the window)."""
    session = _touch_sessions.get(page)
    if session is None:
        session = _touch_sessions[page] = page.context.new_cdp_session(page)
    session.send("Emulation.setTouchEmulationEnabled", {"enabled": on, "maxTouchPoints": 5} if on else {"enabled": on})


def look_at(
    page: Page,
    name: str,
    size: Size,
    parts: Mapping[str, str] | None = None,
    prepare: Callable[[], None] | None = None,
) -> list[str]:
    """The page at `size`, without a reload: its problems, and screenshots kept as test-artifacts/<name>-<size>.png
    (the window as it is scrolled) and <name>-<part>-<size>.png (each part, a selector, as a whole).

    `prepare()` runs once the window has its size, to scroll something into view or switch touch on or off."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": size.width, "height": size.height})
    settled(page)
    if prepare is not None:
        prepare()
        settled(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size.name}.png"))
    problems = layout_problems(page)
    for part, selector in (parts or {}).items():
        page.locator(selector).first.screenshot(path=str(ARTIFACTS / f"{name}-{part}-{size.name}.png"))
    return problems


def check_each_size(
    page: Page,
    name: str,
    parts: Mapping[str, str] | None = None,
    before: Callable[[Size], None] | None = None,
    sizes: tuple[Size, ...] = SIZES,
) -> dict[str, list[str]]:
    """`look_at` each size in turn: the problems per size name, for a spec to hold at none. `before(size)` is
    `look_at`'s `prepare` at that size."""
    found = {}
    for size in sizes:
        prepare = partial(before, size) if before is not None else None
        found[size.name] = look_at(page, name, size, parts, prepare)
    return found
