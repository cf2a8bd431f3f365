"""The 3-month follow-up for principals and the resource team, as `learners/follow_up_figures.py` counted and
disclosed it (n ≥ 5)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from resurskurs.catalog.load import Catalog
from resurskurs.core.disclosure import MIN_ANSWERS, UPDATES
from resurskurs.core.figures import EvaluationFigures
from resurskurs.overview.markup import table_html
from resurskurs.overview.report import follow_up_table
from resurskurs.ui.html import block


def follow_up_section(catalog: Catalog, visible: Sequence[EvaluationFigures]) -> list[w.Widget]:
    """The follow-up figures the backend let be shown."""
    titles = {module.course.slug: module.course.title for module in catalog.modules}
    intro = (
        "<h2>Uppföljning efter tre månader</h2><p>Vad personalen gör annorlunda i sitt arbete, ungefär tre "
        f"månader efter modulen. Svaren visas bara där minst {MIN_ANSWERS} har svarat, aldrig med namn. "
        "Samma påståenden besvaras innan modulen börjar: förändringen räknas på dem som svarat båda gångerna, "
        f"och visas när minst {MIN_ANSWERS} har gjort det. "
        f"{UPDATES}</p>"
    )
    if not visible:
        return [block(intro + "<p>Inga svar kan visas än.</p>")]
    return [block(intro + table_html(follow_up_table(visible, titles), "Svaren på uppföljningen", 3))]
