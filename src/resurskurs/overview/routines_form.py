"""Local routines filled in where they are decided: a principal on their unit's page (?vy=enhet), the resource team
on the district's (?vy=forvaltning). One slot at a time, saved through the backend's RoutineStore, whose rules
decide who may save which section (backend/local.py); the form says what was saved and what staff now see."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from resurskurs.backend.contract import Refused, RoutineStore
from resurskurs.district.roster import Person, Role
from resurskurs.district.routines import (
    Routine,
    RoutineRefused,
    Routines,
    may_change_routines,
    routine_from_form,
)
from resurskurs.schema.vocabulary import ROUTINE_SLOTS
from resurskurs.ui.html import block
from resurskurs.ui.markup import alert, text
from resurskurs.ui.widgets import TextAnswer

HEADING = '<h2 id="rk-lokala-rutiner">Lokala rutiner</h2>'
UNREADABLE = (
    "Rutinerna kan inte fyllas i just nu, eftersom de inte gick att läsa. Det som redan är ifyllt finns kvar. "
    "Resursteamet ser felet på förvaltningens sida och rättar det."
)


def where(unit: str | None) -> str:
    return "hela förvaltningen" if unit is None else unit


def intro(unit: str | None) -> str:
    if unit is None:
        return (
            "<p>Modulerna hänvisar till rutiner som förvaltningen bestämmer. Det ni skriver här ser personalen i "
            "modulerna, utom på en förskoleenhet där rektorn har skrivit en egen rutin. En rutin som ingen har "
            "fyllt i säger åt personalen att fråga sin rektor.</p>"
        )
    return (
        f"<p>Här skriver du hur ni gör på {text(unit)}. Personalen ser er egen rutin i modulerna före "
        "förvaltningens. Lämnar du en rutin tom ser personalen förvaltningens, och har inte heller förvaltningen "
        "fyllt i den, står det att personalen ska fråga dig.</p>"
    )


def status_html(routines: Routines, unit: str | None) -> str:
    """What staff see now, slot by slot: the unit's own, the district's, or nothing (and so the note to ask)."""
    own, district = routines.section(unit), routines.section(None)
    items = []
    for slot, title in ROUTINE_SLOTS.items():
        if unit is None:
            seen = "ifylld" if slot in district else "inte ifylld"
        else:
            seen = "er egen rutin" if slot in own else "förvaltningens rutin" if slot in district else "inte ifylld"
        items.append(f"<li><strong>{text(title)}:</strong> {seen}</li>")
    extra = ""
    if unit is None:
        caption = "Det här ser personalen nu, där enheten inte har en egen rutin:"
        with_own = [f"{text(name)} ({len(found)})" for name, found in sorted(routines.book.units.items()) if found]
        extra = f"<p>Enheter med egna rutiner: {', '.join(with_own)}.</p>" if with_own else ""
    else:
        caption = f"Det här ser personalen på {text(unit)} nu:"
    return (
        f'<p id="rk-rutiner-nu">{caption}</p><ul class="rk-routine-list" aria-labelledby="rk-rutiner-nu">'
        f"{''.join(items)}</ul>{extra}"
    )


def saved_html(unit: str | None, slot: str, routine: Routine) -> str:
    """Plainly what was saved, for whom, and what staff see now."""
    title = text(ROUTINE_SLOTS[slot])
    if not routine.filled:
        now = "förvaltningens rutin, eller att rutinen inte är ifylld än" if unit else "att rutinen inte är ifylld än"
        return f'<p role="status" class="rk-ok">Tömt för {text(where(unit))}: {title}. Personalen ser nu {now}.</p>'
    values = (("text", routine.text), ("kontakt", routine.contact), ("länk", routine.url))
    given = [name for name, value in values if value]
    listed = f"{', '.join(given[:-1])} och {given[-1]}" if len(given) > 1 else given[0]
    seen = "i modulerna" if unit else "i modulerna, utom där enheten har en egen"
    return (
        f'<p role="status" class="rk-ok">Sparat för {text(where(unit))}: {title} ({listed}). '
        f"Personalen ser nu rutinen {seen}.</p>"
    )


class RoutinesForm:
    """The status of every slot and the form for one slot of one section; `units` are the sections on the page
    (None: the district's)."""

    def __init__(self, store: RoutineStore, person: Person, units: Sequence[str | None]) -> None:
        self.store = store
        self.units = [unit for unit in units if may_change_routines(person, unit)]
        self.person = person
        self.routines = store.load()
        self.unit = w.Dropdown(options=[(where(u), index) for index, u in enumerate(self.units)], description="Enhet")
        self.slot = w.Dropdown(options=[(title, slot) for slot, title in ROUTINE_SLOTS.items()], description="Rutin")
        self.district = block("")
        self.words = TextAnswer(
            label="Så gör ni",
            hint="Skriv kort och konkret hur ni gör och vem som gör vad. Skriv aldrig ett barns namn.",
            rows=5,
        )
        self.contact = w.Text(description="Kontakt", placeholder="Till exempel en funktion och ett telefonnummer")
        self.url = w.Text(description="Länk", placeholder="https://")
        for field in (self.contact, self.url):
            field.add_class("rk-field")
        self.status = block("")
        self.overview = block("")
        self.unit.observe(self._chosen, names="value")
        self.slot.observe(self._chosen, names="value")

    def build(self) -> list[w.Widget]:
        if not self.units:
            return []
        if self.routines.problem:
            shown = self.person.role is Role.RESOURCE_TEAM
            detail = f"<p>Felet: <code>{text(self.routines.problem)}</code></p>" if shown else ""
            return [block(f"{HEADING}{alert(UNREADABLE)}{detail}")]
        self._chosen()
        save = w.Button(description="Spara rutinen", layout=w.Layout(align_self="flex-start"))
        save.add_class("rk-button")
        save.add_class("rk-primary")
        save.on_click(self._saved)
        choose = [self.unit] if len(self.units) > 1 else []
        form = w.VBox(
            [
                self.overview,
                block("<h3>Fyll i en rutin</h3><p>Välj rutinen, skriv och spara. En rutin i taget.</p>"),
                *choose,
                self.slot,
                self.district,
                self.words,
                self.contact,
                self.url,
                save,
                self.status,
            ]
        )
        form.add_class("rk-routine-form")
        return [form]

    @property
    def section(self) -> str | None:
        return self.units[int(self.unit.value or 0)]

    def _chosen(self, _: object = None) -> None:
        """Show the chosen slot's words in the chosen section, and what the district has for it."""
        unit, slot = self.section, str(self.slot.value)
        found = self.routines.section(unit).get(slot, Routine(id=slot))
        self.words.value = found.text or ""
        self.contact.value = found.contact or ""
        self.url.value = str(found.url or "")
        self.overview.value = HEADING + intro(unit) + status_html(self.routines, unit)
        self.district.value = self._district_note(unit, slot)
        self.status.value = ""

    def _district_note(self, unit: str | None, slot: str) -> str:
        if unit is None:
            return ""
        district = self.routines.section(None).get(slot)
        if district is None or not district.text:
            said = "Förvaltningen har inte skrivit någon text för den här rutinen."
        else:
            said = f"Förvaltningens text: ”{district.text}”"
        return f'<p class="rk-small">{text(said)}</p>'

    def _saved(self, _: object) -> None:
        unit, slot = self.section, str(self.slot.value)
        try:
            routine = routine_from_form(slot, self.words.value, self.contact.value, self.url.value)
            self.routines = self.store.save(unit, routine)
        except (Refused, RoutineRefused) as refused:
            self.status.value = alert(str(refused))
            return
        self.overview.value = HEADING + intro(unit) + status_html(self.routines, unit)
        self.status.value = saved_html(unit, slot, routine)


def routines_form(store: RoutineStore, person: Person, units: Sequence[str | None]) -> list[w.Widget]:
    return RoutinesForm(store, person, units).build()
