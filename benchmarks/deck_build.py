"""Building a workshop deck, against python-pptx writing a plain deck of about the same size.

The resource team builds a deck from the command line or a download button, so a deck should take
well under a second (goal: 0.3 s). The baseline, measured in the same run, is python-pptx alone
writing 20 slides with titles, bullets, speaker notes and one picture: what any deck costs before
fitting text, the QR code or the chart.
"""

from __future__ import annotations

import io
import statistics
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches

from benchmarks.timing import median_seconds
from resurskurs.catalog.load import load_catalog
from resurskurs.paths import content_root
from resurskurs.slides.deck import deck_bytes
from resurskurs.slides.qr import qr_png

ROUNDS = 5
GOAL_SECONDS = 0.3


def _plain_deck(picture: bytes) -> bytes:
    presentation = Presentation()
    for number in range(20):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = f"Bild {number + 1}"
        slide.placeholders[1].text_frame.text = "Första punkten\nAndra punkten\nTredje punkten"
        slide.notes_slide.notes_text_frame.text = "Anteckningar för den som leder träffen."
        if number == 0:
            slide.shapes.add_picture(io.BytesIO(picture), Inches(7), Inches(1), Inches(2), Inches(2))
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def run(root: Path | None = None) -> str:
    modules = load_catalog(root or content_root()).modules
    picture = qr_png("http://127.0.0.1:8866/?kurs=demo")
    deck_bytes(modules[0])  # the template, font and imports once, as a running server would have them
    baseline = median_seconds(lambda: _plain_deck(picture), ROUNDS)
    per_deck = {m.course.slug: median_seconds(lambda m=m: deck_bytes(m), ROUNDS) for m in modules}  # type: ignore[misc]
    sizes = {m.course.slug: len(deck_bytes(m)) for m in modules}
    slowest = max(per_deck, key=per_deck.__getitem__)
    mean = statistics.mean(per_deck.values())
    return (
        f"deck build: {mean * 1000:.0f} ms per deck on average over {len(modules)} modules "
        f"(slowest {slowest} {per_deck[slowest] * 1000:.0f} ms, goal {GOAL_SECONDS * 1000:.0f} ms; "
        f"median of {ROUNDS}); python-pptx's plain 20-slide deck {baseline * 1000:.0f} ms; "
        f"ratio {mean / baseline:.2f}x; largest file {max(sizes.values()) // 1024} kB"
    )
