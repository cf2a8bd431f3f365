"""The resource team's view: every unit, reviews waiting, the evaluations, reports and workshop decks."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import ipywidgets as w

from resurskurs.backend.contract import Backend
from resurskurs.catalog.load import Catalog
from resurskurs.core.disclosure import MIN_ANSWERS, UPDATES
from resurskurs.core.figures import DISTRICT, DistrictFigures, EvaluationFigures, ModuleWaiting, ProgressRow
from resurskurs.core.tally import by_week, module_figures
from resurskurs.overview import charts
from resurskurs.overview.downloads import file_stem, report_downloads
from resurskurs.overview.markup import table_html
from resurskurs.overview.report import Table, evaluation_table, module_table, people_table
from resurskurs.overview.unit_page import over_time_section, unit_link
from resurskurs.slides.qr import PUBLIC_URL_VARIABLE, only_this_computer, public_url
from resurskurs.ui.formats import how_many, local, number
from resurskurs.ui.html import block
from resurskurs.ui.markup import text
from resurskurs.ui.widgets import Chart, Download

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def district_tables(
    rows: Sequence[ProgressRow], titles: dict[str, str], evaluated: dict[tuple[str, str], EvaluationFigures]
) -> list[Table]:
    """The district first, then each unit; the people; the evaluations that may be shown."""
    figures = module_figures(rows, titles, lambda row: DISTRICT) + module_figures(rows, titles, lambda row: row.unit)
    return [module_table(figures), people_table(rows, titles), evaluation_table(evaluated.values(), titles)]


def waiting_table(waiting: Sequence[ModuleWaiting], titles: dict[str, str]) -> Table:
    """Hand-ins the resource team has not reviewed yet, per module, with the oldest first in mind."""
    return Table(
        "Väntar på granskning",
        ["Modul", "Väntar", "Äldsta inlämning"],
        [
            [titles[found.slug], found.waiting, local(found.oldest).date() if found.oldest else None]
            for found in waiting
        ],
    )


def review_link(waiting: int) -> str:
    """The way to Granska, with how many reflections wait there."""
    if not waiting:
        return ""
    count = how_many(waiting, "reflektion väntar", "reflektioner väntar")
    return f'<p class="rk-status">{count} på återkoppling. <a href="?vy=granska">Granska reflektionerna</a></p>'


def district_reads(backend: Backend) -> tuple[DistrictFigures, dict[tuple[str, str], EvaluationFigures]]:
    """The district's counts and its evaluation, read side by side: each is a read of its own on a connection (or
    a request to the grader service) of its own, so the page waits for the longer of the two, not for both (at
    20,000 staff on PostgreSQL 0.52–0.55 s instead of 0.80–0.84 s in the same runs; `benchmarks/district_scale.py`)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="district-evaluation") as side:
        evaluating = side.submit(backend.evaluations)
        counted = backend.district_figures()
        return counted, evaluating.result()


def district_view(catalog: Catalog, backend: Backend, library: str) -> list[w.Widget]:
    titles = {module.course.slug: module.course.title for module in catalog.modules}
    counted, evaluated = district_reads(backend)
    units = sorted(counted.staff)
    people = sum(counted.staff.values())
    unit_list = "".join(f"<li>{unit_link(unit)} – {number(counted.staff[unit])} i personalen</li>" for unit in units)
    waiting = waiting_table(counted.waiting, titles)
    widgets: list[w.Widget] = [
        block(
            f"<h1>{DISTRICT}</h1><p>{number(people)} i personalen på {number(len(units))} enheter. Här ser "
            "resursteamet hur det går i alla enheter, vad som väntar på granskning och vad personalen tycker om "
            "modulerna.</p>"
            f'<h2>Enheterna</h2><p>Välj en enhet för att se dess arbetslag och personal.</p><ul class="rk-units">'
            f"{unit_list}</ul>"
            "<h2>Modulerna per enhet</h2>"
            + table_html(
                module_table(counted.modules), "Hur långt personalen har kommit, för hela förvaltningen och per enhet"
            )
        ),
        *over_time_section(by_week(counted.handed_in), people * len(titles), library),
        block(
            "<h2>Väntar på granskning</h2>"
            + (
                table_html(waiting, "Inlämnade reflektioner som ingen i resursteamet har granskat än", 1)
                if waiting.rows
                else "<p>Inget väntar på granskning.</p>"
            )
            + review_link(counted.reflections_waiting)
            + "<h2>Utvärderingen</h2>"
            f"<p>Svaren visas bara för en enhet där minst {MIN_ANSWERS} har svarat, så att ingen kan pekas ut, och "
            f"bara de enheterna räknas in i hela förvaltningen. {UPDATES} Fritextsvaren visas utan namn och i "
            "bokstavsordning.</p>"
        ),
    ]
    for module in catalog.modules:
        slug = module.course.slug
        found = evaluated.get((DISTRICT, slug))
        if found is None:
            widgets.append(
                block(f"<h3>{text(module.course.title)}</h3><p>Ingen enhet har {MIN_ANSWERS} svar än.</p>")
            )
            continue
        chart, words = charts.likert(found)
        units_shown = [e for (group, s), e in evaluated.items() if s == slug and group != DISTRICT]
        open_answers = "".join(
            f"<h4>{text(question.question)}</h4><ul>"
            + "".join(f"<li>{text(answer)}</li>" for answer in found.open_answers.get(question.id, []))
            + "</ul>"
            for question in module.course.survey.open
            if found.open_answers.get(question.id)
        )
        widgets += [
            block(f"<h3>{text(module.course.title)}</h3><p>{found.answered} har svarat.</p>"),
            Chart(figure=chart, description=words, library=library),
            block(
                table_html(evaluation_table([found, *units_shown], titles), f"Svaren om {module.course.title}", 3)
                + (f"<details><summary>Fritextsvar</summary>{open_answers}</details>" if open_answers else "")
            ),
        ]
    widgets += [
        block(
            "<h2>Bildspel för workshop</h2><p>Ett PowerPoint-bildspel för gruppträffen efter filmen. Väljer du en "
            "enhet kommer enhetens framsteg och utvärdering med.</p>" + qr_notice()
        ),
        _deck_download(catalog, backend, units),
        block("<h2>Rapport</h2><p>Samma siffror som på sidan.</p>"),
        report_downloads(
            "framsteg-forvaltningen", lambda: district_tables(backend.progress(), titles, backend.evaluations())
        ),
        block(trail_html(backend.audit_trail(TRAIL_SHOWN))),
    ]
    return widgets


TRAIL_SHOWN = 10


def trail_html(lines: list[str]) -> str:
    """The newest entries of the audit trail: who read, changed, exported or erased whose data (never a text)."""
    intro = (
        "<h2>Loggen över personuppgifter</h2><p>Vem som har läst en reflektion, ändrat poäng, en kommentar eller "
        "en öppning, lämnat ut eller raderat någons uppgifter. Hela loggen visar "
        "<code>resurskurs privacy log</code>.</p>"
    )
    if not lines:
        return intro + "<p>Inget är loggat än.</p>"
    return intro + '<ul class="rk-trail">' + "".join(f"<li>{text(line)}</li>" for line in lines) + "</ul>"


def qr_notice() -> str:
    """Where the slides' QR code leads, said where the deck is made; an address of this computer alone (the
    one-machine default, or a hub's own 127.0.0.1 when RESURSKURS_PUBLIC_URL is not set) would fail on a phone."""
    address = public_url()
    said = f'<p>QR-koden på bildspelet leder till <a href="{text(address)}">{text(address)}</a>.'
    if not only_this_computer(address):
        return said + "</p>"
    return (
        f'<div class="rk-notice" role="note">{said} Den adressen är den här datorns egen och fungerar inte från en '
        f"telefon. Den som sköter driften ställer in förvaltningens adress en gång, med inställningen "
        f"<code>{PUBLIC_URL_VARIABLE}</code>, så gäller den för alla bildspel.</p></div>"
    )


def _deck_download(catalog: Catalog, backend: Backend, units: list[str]) -> w.Widget:
    modules = w.Dropdown(options=[(m.course.title, m.course.slug) for m in catalog.modules], description="Modul")
    unit = w.Dropdown(options=[("Ingen enhet", ""), *((u, u) for u in units)], description="Enhet", value="")

    def make() -> tuple[str, str, bytes]:
        from resurskurs.slides.deck import deck_bytes

        module = catalog.module(str(modules.value))
        figures = backend.unit_figures(module.course.slug, unit.value) if unit.value else (None, None)
        progress, evaluation = figures
        data = deck_bytes(module, progress=progress, evaluation=evaluation)
        return f"{file_stem('workshop', module.course.slug, unit.value)}.pptx", PPTX_MIME, data

    return w.VBox([modules, unit, Download("Ladda ner bildspel", make)])
