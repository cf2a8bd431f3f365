"""Speaker notes: Swedish guidance for whoever leads the workshop, one function per kind of slide.

The notes carry what the slide leaves out – the chapter summary, the logbook prompts staff have
answered, cumulative times – so a samtalsledare can lead the group without opening the module.
"""

from __future__ import annotations

from resurskurs.catalog.load import Module
from resurskurs.core.disclosure import UPDATES
from resurskurs.core.figures import EvaluationFigures, ModuleFigures
from resurskurs.films.stamp import is_stand_in
from resurskurs.schema.course import Chapter, Course, GroupExercise, Practice, ReadingItem
from resurskurs.schema.film import FilmChapter
from resurskurs.schema.vocabulary import LIKERT_SCALE, ROUTINE_SLOTS
from resurskurs.ui.formats import percent

ANONYMOUS = "Påminn om att exempel från barngruppen berättas utan namn."
"""The agreement scale as learners see it in the evaluation (widgets/likert.js)."""


def opening(module: Module, group: str | None) -> str:
    course, film = module.course, module.film.manifest
    who = f" för {group}" if group else ""
    return (
        f"Välkomna alla till gruppträffen{who} om {course.title}. "
        f"Inför i dag har deltagarna sett filmen ({len(film.chapters)} kapitel), skrivit i loggboken "
        f"och svarat på kunskapsfrågorna. Berätta kort vad ni ska göra och att träffen tar "
        f"{course.workshop.minutes} minuter. {ANONYMOUS}{_leading_safely(course)}"
    )


def _leading_safely(course: Course) -> str:
    """The facilitator's guide as the leader needs it at the start: what stays in the room, and what does not."""
    guide = course.facilitator
    if guide is None:
        return ""
    routines = ", ".join(ROUTINE_SLOTS[slot].lower() for slot in guide.local_routines if slot in ROUTINE_SLOTS)
    at_hand = f" Ha förskoleenhetens rutiner till hands: {routines}." if routines else ""
    return f" Sekretess i gruppen: {guide.confidentiality} {guide.disclosure}{at_hand}"


def goals(course: Course) -> str:
    return (
        f"Målen gäller hela modulen: förberedelsen, gruppträffen, pröva i praktiken och uppföljningen "
        f"(ungefär {course.minutes} minuter sammanlagt). Läs målen högt eller låt alla läsa tyst en stund. "
        "Fråga sedan: Vilket mål känns viktigast för oss just nu?"
    )


def agenda(course: Course) -> str:
    start, schedule = 0, []
    for item in course.workshop.agenda:
        schedule.append(f"{start}–{start + item.minutes} min: {item.activity}")
        start += item.minutes
    return (
        "Tidsplan räknad från start: " + "; ".join(schedule) + ". "
        "Be gärna någon hålla tiden. Övningen är ofta det deltagarna minns bäst, så skydda dess tid."
    )


def film(module: Module, url: str) -> str:
    """Who speaks in the film; until the real film is added, that its lecturers are invented and the voice is
    synthetic, so nobody in the room looks for them in their own resource team."""
    manifest = module.film.manifest
    speakers = ", ".join(f"{speaker.name} ({speaker.profession})" for speaker in manifest.speakers)
    real = module.film.has_media and not is_stand_in(module.film)
    who = (
        f"med {speakers}"
        if real
        else f"är en exempelfilm: föreläsarna ({speakers}) är påhittade och rösten är syntetisk, tills "
        "resursteamet lägger in den riktiga filmen"
    )
    return (
        f"Filmen ”{manifest.title}” {who}. QR-koden öppnar modulen i kursportalen ({url}), "
        "där alla kan se ett kapitel igen, med undertexter. Vill ni visa ett kort avsnitt här: "
        "välj kapitlet som väckte flest frågor i loggböckerna."
    )


def chapter(number: int, content: Chapter, film_chapter: FilmChapter) -> str:
    prompts = [stop.prompt for stop in content.stops if stop.prompt]
    asked = " I loggboken har deltagarna funderat på: " + " ".join(prompts) if prompts else ""
    return (
        f"Kapitel {number}, ”{film_chapter.title}”, i korthet: {content.summary}{asked} "
        "Fråga gärna: Vad i kapitlet känner ni igen från er egen förskoledag?"
    )


def question(number: int, total: int) -> str:
    after = "Det här är sista frågan – gå sedan vidare till övningen." if number == total else ""
    return (
        f"Fråga {number} av {total}. Låt alla tänka själva en minut först, sedan samtal två och två "
        f"eller i smågrupper. Samla några tankar i helgruppen innan ni går vidare. {ANONYMOUS} {after}"
    ).strip()


def exercise(content: GroupExercise) -> str:
    return (
        f"Övningen tar {content.minutes} minuter. Dela in i grupper om tre eller fyra, läs stegen högt "
        "och låt grupperna arbeta. Gå runt och lyssna, och säg till när halva tiden har gått. "
        "Avsluta med att varje grupp berättar en sak som de kom fram till."
    )


def _listed(words: list[str]) -> str:
    """'glad', 'glad och arg', 'glad, arg och ledsen'."""
    return " och ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def signs(category: str, words: list[str], without_film: list[str]) -> str:
    """What to do with a category's words; a film is only asked for where there is one (`resurskurs signs add`)."""
    filmed = [word for word in words if word not in without_film]
    if not without_film:
        show = (
            "visa filmen till varje ord från modulens ordlista och teckna tillsammans. Säg hela exempelmeningen "
            "och teckna bara nyckelordet. Beskriv inte tecknen med ord – filmerna visar hur de görs, så att alla "
            "gör samma tecken."
        )
    elif not filmed:
        show = (
            "det finns inga filmer till de här tecknen än. Teckna orden tillsammans så som talpedagogen visar dem "
            "på TAKK-utbildningen. Säg hela exempelmeningen och teckna bara nyckelordet. Beskriv inte tecknen med "
            "ord – visa dem, så att alla gör samma tecken."
        )
    else:
        show = (
            f"visa filmen till {_listed(filmed)} och teckna tillsammans. Till {_listed(without_film)} finns "
            "ingen film än: teckna dem så som talpedagogen visar dem på TAKK-utbildningen. Säg hela "
            "exempelmeningen och teckna bara nyckelordet. Beskriv inte tecknen med ord, så att alla gör samma tecken."
        )
    return (
        f"Veckans tecken, {category.lower()}: {show} Välj tillsammans tre till fem ord som blir veckans tecken "
        "i arbetslaget."
    )


def practice(content: Practice) -> str:
    return (
        f"Deltagarna gör uppgiften i sin egen barngrupp före uppföljningen (ungefär {content.minutes} minuter). "
        "Bestäm redan nu när ni ses igen. Efteråt skriver var och en en kort anteckning i modulen: "
        f"{content.note_prompt}"
    )


def progress(figures: ModuleFigures) -> str:
    score = (
        f" På kunskapsfrågorna fick de som svarat i genomsnitt {percent(100 * figures.mean_score_share)} rätt."
        if figures.mean_score_share is not None
        else ""
    )
    return (
        f"Diagrammet visar var de {figures.people} personerna i {figures.group} är i modulen i dag: "
        f"{figures.handed_in} har lämnat in, och {figures.done} av dem har gjort alla delar.{score} "
        "Det är en bild av gruppen, inte av "
        "enskilda personer. Lyft det som går bra och fråga vad som skulle hjälpa fler att hinna."
    )


def evaluation(figures: EvaluationFigures) -> str:
    spread = "; ".join(
        f"”{item.statement}”: "
        + ", ".join(f"{label.lower()} {count}" for label, count in zip(LIKERT_SCALE, item.counts, strict=True))
        for item in figures.likert
    )
    return (
        f"{figures.answered} personer i {figures.group} har svarat på utvärderingen. Skalan går från 1 "
        f"(stämmer inte alls) till 5 (stämmer helt). Fördelningen: {spread}. "
        f"Fråga gruppen vad siffrorna säger dem, och vad ni vill ändra eller behålla. {UPDATES}"
    )


def open_answers() -> str:
    return (
        "Svaren är anonyma och bara några få visas här. Läs dem högt och fråga vad gruppen känner igen. "
        "Alla svar finns i resursteamets vy."
    )


def reading(items: list[ReadingItem]) -> str:
    notes = " ".join(f"{item.title}: {item.note}" for item in items if item.note)
    addresses = ", ".join(str(item.url) for item in items if item.url)
    where = f" Adresser: {addresses}." if addresses else ""
    return f"Tipsa om fördjupningen för den som vill läsa vidare. {notes}{where}".strip()


def closing(course: Course) -> str:
    return (
        "Avsluta med en runda: Vad tar du med dig från i dag? Bestäm datum för uppföljningen "
        f"({course.follow_up.minutes} minuter). Där pratar ni om: "
        + " ".join(course.follow_up.questions)
        + (f" Efter träffen: {course.facilitator.aftercare}" if course.facilitator else "")
    )
