"""The nine modules of the repository: complete, substantial, accessible, and using the whole schema."""

from __future__ import annotations

import html
import re
from datetime import date
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

from resurskurs.catalog.load import Catalog, Module, load_catalog
from resurskurs.catalog.problems import ContentError
from resurskurs.district.roster import Role
from resurskurs.district.routines import EMPTY_TEXT, load_routines
from resurskurs.films.script import LINE_WIDTH
from resurskurs.films.stamp import NOTICE
from resurskurs.player.sections.easy_read import easy_read_section
from resurskurs.player.sections.guides import FACILITATOR as SAMTALSLEDARE
from resurskurs.player.sections.guides import GUARDIANS as VARDNADSHAVARE
from resurskurs.player.sections.guides import READERS, facilitator_html, leadership_html, printable
from resurskurs.schema import Course, FilmManifest
from resurskurs.schema.course import LegalPoint, WordExplanation
from resurskurs.schema.vocabulary import ROUTINE_SLOTS
from resurskurs.slides import notes
from tests.conftest import REPO, Edit, problems_in

MODULES = {
    "trygga-relationer": "Trygga relationer, lek och lärande i förskolan utifrån anknytningsteorin",
    "lek-och-samspel": "Lek och samspel",
    "tydliggorande-pedagogik": "Tydliggörande pedagogik",
    "svara-samtal": "Svåra samtal i förskolan",
    "barnen-i-gruppen": "Barnen i gruppen",
    "takk": "TAKK – tecken som alternativ och kompletterande kommunikation",
    "sprakutveckling": "Barns språkutveckling",
    "traumamedveten-omsorg": "Traumamedveten omsorg i förskolan",
    "handledning": "Handledning i förskolan",
}
MIN_CHAPTER_SECONDS = 180
# Lättläst explains these words wherever a module uses them (the phrase in the text: the word in the list).
KEY_WORDS = {
    "far illa": "fara illa",
    "socialtjänsten": "socialtjänsten",
    "diagnos": "diagnos",
    "barnets perspektiv": "barnets perspektiv",
}
# The resource team of the plan (shared/seeds): a logoped is a licensed health-care profession.
RESOURCE_TEAM = {"specialpedagog", "psykolog", "talpedagog"}
VERDICT = re.compile(r"(Rätt|Fel|Nej|Ja|Inte rätt|Inte helt rätt|Inte det bästa svaret|Riktigt)\b")
RECOGNISABLE = "Skriv inga namn och inga detaljer som gör att ett barn kan kännas igen."
# Subtitle lines break at phrase boundaries, never after one of these (within a sentence).
SMALL_WORDS = {"och", "att", "i", "på", "en", "ett", "som", "det", "den", "med", "till", "för", "av", "om", "men"}
# One term each: den vuxna, turtagning, hallen, teckenpaket.
OTHER_TERMS = re.compile(r"\b([Dd]en vuxne\w*|[Tt]urtagande\w*|[Tt]ambur\w*|[Kk]appr[uo]m\w*|[Tt]ecken-paket\w*)\b")
# A colon that opens direct speech to a child or a guardian is followed by ”.
UNQUOTED_SPEECH = re.compile(r"\b(?:[Ss]äg(?:er|a)?|svarar) till exempel: [^”]")
# Quoted in the TAKK film as spoken words, not as signs.
SPOKEN_NOT_SIGNED = {"nalle"}
SIGN_FORMATION = re.compile(
    r"\b(handform\w*|handflat\w*|pekfing\w*|tumm(e|en|ar)|fingrar\w*|handled(en|er|erna)?)\b", re.IGNORECASE
)


@cache
def catalog() -> Catalog:
    return load_catalog(REPO)


def modules() -> list[Module]:
    return catalog().modules


@pytest.fixture(params=list(MODULES), ids=list(MODULES))
def module(request: pytest.FixtureRequest) -> Module:
    return catalog().module(request.param)


WRITTEN_BY_TOOLS = {("FilmManifest", "small")}
"""Fields `resurskurs film add` writes from a real film; no module in git has one, by design."""


class DescribeTheCatalog:
    def it_has_no_problems(self) -> None:
        assert [str(problem) for problem in catalog().problems] == []

    def it_holds_the_nine_modules_of_the_design(self) -> None:
        assert {m.course.slug: m.course.title for m in modules()} == MODULES

    def it_uses_every_field_of_the_schema_somewhere(self) -> None:
        used: set[tuple[str, str]] = set()
        for item in [m.course for m in modules()] + [f.manifest for f in catalog().films.values()]:
            _collect_used_fields(item, used)
        declared = _declared_fields(Course) | _declared_fields(FilmManifest)
        assert sorted(declared - used - WRITTEN_BY_TOOLS) == []


class DescribeEachModule:
    def it_has_at_least_four_chapters_each_ending_in_a_stop(self, module: Module) -> None:
        chapters = module.course.preparation.chapters
        assert len(chapters) >= 4
        spans = {chapter.id: chapter for chapter in module.film.manifest.chapters}
        for chapter in chapters:
            ending = [stop for stop in chapter.stops if stop.at is None or stop.at == spans[chapter.film_chapter].end]
            assert ending, f"{chapter.film_chapter} has no stop at its end"

    def it_has_a_full_knowledge_check(self, module: Module) -> None:
        items = module.course.preparation.knowledge_check.items
        assert len(items) >= 5
        assert {item.kind for item in items} == {"single", "multiple"}

    def it_has_an_assignment_a_task_a_workshop_reading_and_a_survey(self, module: Module) -> None:
        course = module.course
        assert len(course.preparation.reflection.rubric) >= 2
        assert course.practice.steps and course.practice.note_prompt
        assert len(course.workshop.questions) >= 4
        assert course.workshop.exercise.instructions
        assert course.reading
        assert course.survey.likert and course.survey.open

    def it_speaks_for_several_minutes_in_every_chapter(self, module: Module) -> None:
        cues = module.film.subtitles["sv"]
        for chapter in module.film.manifest.chapters:
            spoken = [cue for cue in cues if chapter.start <= cue.start < chapter.end]
            assert chapter.end - chapter.start >= MIN_CHAPTER_SECONDS, chapter.id
            assert sum(len(cue.text) for cue in spoken) >= 2400, chapter.id

    def it_has_a_transcript_with_the_same_words_as_the_subtitles(self, module: Module) -> None:
        transcript = module.film.transcript
        assert transcript is not None
        subtitle_words = " ".join(cue.text for cue in module.film.subtitles["sv"]).split()
        assert subtitle_words == transcript.text.split()

    def it_follows_the_subtitle_guide(self, module: Module) -> None:
        for cue in module.film.subtitles["sv"]:
            lines = cue.text.split("\n")
            assert len(lines) <= 2 and all(len(line) <= LINE_WIDTH for line in lines), cue
            assert len(cue.text) / (cue.end - cue.start) <= 15.5, cue

    def it_names_fictional_speakers_with_a_profession(self, module: Module) -> None:
        for speaker in module.film.manifest.speakers:
            assert speaker.profession in RESOURCE_TEAM

    def it_writes_learning_goals_as_du_kan(self, module: Module) -> None:
        assert [goal for goal in module.course.learning_goals if not goal.startswith("Du kan ")] == []

    def it_leaves_the_verdict_of_quiz_feedback_to_the_player(self, module: Module) -> None:
        # The player marks each explanation ("Rätt.", "Inte rätt.", "Det här är också rätt."); the text explains.
        verdicts = [
            (item.id, option.explanation[:30])
            for item in module.course.preparation.knowledge_check.items
            for option in item.options
            if VERDICT.match(option.explanation)
        ]
        assert verdicts == []

    def it_reminds_in_the_reflection_prompt_not_to_make_a_child_recognisable(self, module: Module) -> None:
        assert RECOGNISABLE in module.course.preparation.reflection.prompt

    def it_never_ends_a_subtitle_line_on_a_small_function_word(self, module: Module) -> None:
        endings = [
            line
            for cue in module.film.subtitles["sv"]
            for line in cue.text.split("\n")
            if line.split()[-1].lower() in SMALL_WORDS
        ]
        assert endings == []

    def it_marks_direct_speech_with_swedish_quotation_marks(self, module: Module) -> None:
        texts = _texts(module)
        assert [text for text in texts if any(mark in text for mark in '"„“«»')] == []
        assert [speech for text in texts for speech in UNQUOTED_SPEECH.findall(text)] == []

    def it_uses_one_term_for_each_concept(self, module: Module) -> None:
        assert [match.group(0) for text in _texts(module) for match in OTHER_TERMS.finditer(text)] == []

    def it_dates_its_legal_points_with_a_later_review(self, module: Module) -> None:
        assert module.course.legal
        for point in module.course.legal:
            assert point.checked < point.review_by, point.text
            assert point.source


class DescribeTheCorrections:
    def it_does_not_define_krankande_behandling_by_repetition_and_names_the_report_to_the_rektor(self) -> None:
        module = catalog().module("barnen-i-gruppen")
        (item,) = [item for item in module.course.preparation.knowledge_check.items if item.id == "bg-q6"]
        (correct,) = [option for option in item.options if option.correct]
        assert "gång på gång" not in correct.text and "rektorn" in correct.text
        transcript = module.film.transcript.text if module.film.transcript else ""
        definition = next(s for s in transcript.split(". ") if s.startswith("Kränkande behandling är"))
        assert "gång på gång" not in definition
        assert "en enda gång" in transcript and "mobbning" in transcript and "anmäla det till rektorn" in transcript
        chapter = next(c for c in module.course.preparation.chapters if c.film_chapter == "inkludering-och-konflikter")
        assert "gång på gång" not in chapter.summary and "rektorn" in chapter.summary
        sources = [point.source for point in module.course.legal]
        assert any("6 kap. 3 §" in source for source in sources) and any("6 kap. 10 §" in source for source in sources)

    def it_keeps_frys_above_the_window_and_shutdown_below_it(self) -> None:
        module = catalog().module("traumamedveten-omsorg")
        transcript = module.film.transcript.text if module.film.transcript else ""
        below = next(p for p in transcript.split("\n") if p.startswith("Nedanför fönstret"))
        above = next(p for p in transcript.split("\n") if p.startswith("Ovanför fönstret"))
        assert "Det är där vi ser frys" not in below and "avstängning" in below
        assert "frys" in above
        (item,) = [item for item in module.course.preparation.knowledge_check.items if item.id == "trauma-q1"]
        (correct,) = [option for option in item.options if option.correct]
        assert "ovanför" in correct.text and "under" not in correct.text

    def it_dates_two_word_utterances_to_around_two_years(self) -> None:
        transcript = catalog().module("sprakutveckling").film.transcript
        text = transcript.text if transcript else ""
        assert "Runt två och ett halvt år brukar barn sätta ihop två ord" not in text
        assert "Runt två års ålder brukar barn börja sätta ihop två ord" in text

    def it_says_consultation_does_not_move_the_duty_to_report(self) -> None:
        for slug in ("svara-samtal", "traumamedveten-omsorg"):
            module = catalog().module(slug)
            transcript = module.film.transcript.text if module.film.transcript else ""
            assert "konsultationen tar inte över din skyldighet" in transcript, slug
            assert "hjälpa dig att bedöma om" not in transcript, slug
        (item,) = [
            i for i in catalog().module("svara-samtal").course.preparation.knowledge_check.items if i.id == "samtal-q8"
        ]
        (correct,) = [option for option in item.options if option.correct]
        assert "tar inte över din skyldighet" in " ".join(correct.explanation.split())
        assert "Finns oron kvar" in correct.explanation

    def it_shares_one_wording_on_orosanmalan_between_svara_samtal_and_trauma(self) -> None:
        modules = [catalog().module(slug) for slug in ("svara-samtal", "traumamedveten-omsorg")]
        points = [{p.text for p in m.course.legal if "genast anmäla" in p.text} for m in modules]
        assert points[0] == points[1] and len(points[0]) == 1
        (point,) = points[0]
        assert "socialtjänstlagen (2025:400)" in point and "1 juli 2025" in point
        paragraphs = [
            {p for p in (m.film.transcript.text if m.film.transcript else "").split("\n") if "genast anmäla" in p}
            for m in modules
        ]
        assert paragraphs[0] == paragraphs[1] and len(paragraphs[0]) == 1
        new_act_sections = re.compile(r"\d+ kap\. \d+ § (i )?(den nya|socialtjänstlag(en)? \(2025:400\))")
        for module in modules:
            assert not new_act_sections.search(module.course.model_dump_json()), module.course.slug

    def it_presents_the_resource_team_without_a_logoped(self) -> None:
        for module in modules():
            texts = [module.course.model_dump_json(), module.film.transcript.text if module.film.transcript else ""]
            assert all("logoped i resursteamet" not in text for text in texts), module.course.slug

    def it_completes_the_citations_in_the_reading_lists(self) -> None:
        reading = {item.author: item for m in modules() for item in m.course.reading}
        assert reading["Mildred B. Parten"].publisher == "Journal of Abnormal and Social Psychology, 27(3), 243–269"
        mesibov = reading["Gary B. Mesibov, Victoria Shea och Eric Schopler"]
        assert mesibov.publisher == "Kluwer Academic/Plenum Publishers, New York"


class DescribeTheThirdRoundCorrections:
    """Issue 24, items 1–8: each fact checked against the statute or the source named in the module."""

    def it_consults_without_the_childs_name_before_a_report_that_names_the_child(self) -> None:
        paragraphs = []
        for slug in ("svara-samtal", "traumamedveten-omsorg"):
            text = _transcript(slug)
            (paragraph,) = [p for p in text.split("\n") if p.startswith("Är du osäker kan du ringa socialtjänsten")]
            paragraphs.append(paragraph)
            before, report, after = paragraph.partition("gör du en anmälan")
            assert report, slug
            assert "utan barnets namn" in before and "barnets namn" not in before.replace("utan barnets namn", "")
            assert "I anmälan står barnets namn" in after and "inte kan vara anonym" in after
            assert "utan något som avslöjar" not in after
        assert paragraphs[0] == paragraphs[1]

    def it_credits_kränkande_behandling_to_skollagen_and_harassment_to_diskrimineringslagen(self) -> None:
        module = catalog().module("barnen-i-gruppen")
        (definition,) = [p for p in module.course.legal if p.source == "Skollag (2010:800) 6 kap. 3 §"]
        assert "mobbning" not in definition.text and "diskriminering" in definition.text
        discrimination = [p for p in module.course.legal if p.source.startswith("Diskrimineringslag (2008:567)")]
        assert {p.source for p in discrimination} >= {
            "Diskrimineringslag (2008:567) 2 kap. 5 §",
            "Diskrimineringslag (2008:567) 3 kap. 18 §",
        }
        assert any("trakasserier" in p.text for p in discrimination)
        transcript = _transcript("barnen-i-gruppen")
        assert "diskrimineringslagen" in transcript and "trakasserier" in transcript
        assert "Ordet mobbning finns inte i lagen" in transcript

    def it_says_what_a_reporter_may_learn_after_a_report(self) -> None:
        transcript = _transcript("svara-samtal")
        assert "det är så det ska vara" not in transcript
        assert "om socialtjänsten har inlett en utredning" in transcript and "ett möte" in transcript
        (point,) = [p for p in catalog().module("svara-samtal").course.legal if "har inlett en utredning" in p.text]
        assert point.checked >= date(2026, 12, 1) and "Socialtjänstlag (2025:400)" in point.source

    def it_gives_one_rule_on_telling_guardians_about_a_report(self) -> None:
        paragraphs = [
            {p for p in _transcript(slug).split("\n") if p.startswith("Ska ni berätta för vårdnadshavarna")}
            for slug in ("svara-samtal", "traumamedveten-omsorg")
        ]
        assert paragraphs[0] == paragraphs[1] and len(paragraphs[0]) == 1
        (paragraph,) = paragraphs[0]
        assert "fråga socialtjänsten" in paragraph and "våld eller övergrepp" in paragraph
        key_points = [
            {point for chapter in catalog().module(slug).course.preparation.chapters for point in chapter.key_points}
            for slug in ("svara-samtal", "traumamedveten-omsorg")
        ]
        assert {point for point in key_points[0] & key_points[1] if "vårdnadshavarna får veta" in point}
        items = catalog().module("traumamedveten-omsorg").course.preparation.knowledge_check.items
        (q6,) = [item for item in items if item.id == "trauma-q6"]
        (violence,) = [option for option in q6.options if "våld" in option.text]
        assert not violence.correct and "fråga socialtjänsten" in violence.explanation

    def it_never_suggests_holding_a_child_and_credits_the_three_pillars(self) -> None:
        transcript = _transcript("traumamedveten-omsorg")
        assert "vill bli hållna" not in transcript
        assert "Att hålla fast ett barn är inte samreglering." in transcript
        assert "Howard Bath" in transcript
        reading = {item.author: item for item in catalog().module("traumamedveten-omsorg").course.reading}
        assert reading["Howard Bath"].publisher == "Reclaiming Children and Youth, 17(3), 17–21"

    def it_asks_how_as_well_and_keeps_the_methods_name_in_lattlast(self) -> None:
        module = catalog().module("tydliggorande-pedagogik")
        transcript = _transcript("tydliggorande-pedagogik")
        assert "sju frågor" in transcript and "sex frågor" not in transcript and "Hur ska jag göra?" in transcript
        assert "sex frågor" not in module.course.model_dump_json().lower()
        assert "med vem, hur länge" not in module.course.model_dump_json()
        easy = module.course.easy_read
        assert easy is not None
        texts = " ".join(chapter.text for chapter in easy.chapters)
        assert "Tydlig pedagogik" not in texts and "Tydliggörande pedagogik" in texts and "Hur?" in texts

    def it_makes_practice_tasks_rehearsals_or_ties_them_to_the_rektor(self) -> None:
        samtal = catalog().module("svara-samtal").course.practice
        steps = " ".join([samtal.task, *samtal.steps])
        assert "rollspel" in steps and "Boka en lugn stund med vårdnadshavaren" not in steps and "rektorn" in steps
        handledning = catalog().module("handledning").course.practice
        steps = " ".join([handledning.task, *handledning.steps])
        assert "inte ett enskilt barn" in steps and "rektorn" in steps
        assert "Gäller det ett enskilt barn, prata med vårdnadshavarna" not in steps

    def it_writes_plain_correct_swedish_with_one_term_for_the_rektor(self) -> None:
        everything = [
            text for module in modules() for text in _texts(module) if text not in ("rektor", "biträdande rektor")
        ]
        wrong = re.compile(
            r"verkar inte höra|[Ee]tt rädt barn|Ta tid\.|orolig att"
            r"|(?<!er )(?<!din )(?<!som )(?<!biträdande )\b[Rr]ektor\b"
        )
        assert [match.group(0) for text in everything for match in wrong.finditer(text)] == []

    def it_gives_label_examples_without_gender(self) -> None:
        texts = " ".join(_texts(catalog().module("handledning")) + _texts(catalog().module("tydliggorande-pedagogik")))
        labels = ("”Han gör så för att få", "”Hon kryper in", "”Hon vill bara ha", "”han är stökig", "”Hon är blyg")
        for label in labels:
            assert label not in texts, label

    def it_dates_partens_observations_and_the_folkman_svedin_book(self) -> None:
        transcript = _transcript("lek-och-samspel")
        assert "i början av 1930-talet" not in transcript and "i slutet av 1920-talet" in transcript
        reading = {item.author: item for item in catalog().module("lek-och-samspel").course.reading}
        assert reading["Marie-Louise Folkman och Eva Svedin"].year == 2008


class DescribeTheStandInLecturers:
    def it_says_in_every_script_that_the_lecturer_is_an_invented_example(self, module: Module) -> None:
        text = _transcript(module.course.slug)
        opening = text.split("\n\n")[0] if not text.startswith("#") else text[:1200]
        assert "Namnet är påhittat." in opening and "ert eget resursteam" in opening
        introductions = [s for s in re.split(r"(?<=[.?!])\s+", text) if s.startswith("Jag heter")]
        assert introductions and [s for s in introductions if "resursteamet" in s] == []

    def it_labels_the_narrated_stand_in_as_an_example_in_the_player(self) -> None:
        assert NOTICE.startswith("Exempelfilm") and "påhittad föreläsare" in NOTICE
        assert "den riktiga filmen läggs in av resursteamet" in NOTICE


class DescribeTheReadingLists:
    def it_gives_every_reference_an_author_a_year_a_title_and_a_publisher(self, module: Module) -> None:
        for item in module.course.reading:
            assert item.author and item.year and item.title and item.publisher, item.title

    def it_lists_swedish_practice_literature_beside_the_laws(self, module: Module) -> None:
        practice = [
            item
            for item in module.course.reading
            if item.author not in ("Sveriges riksdag", "Skolverket") and "(på engelska)" not in (item.note or "")
        ]
        assert practice, module.course.slug

    def it_cites_the_checked_swedish_works(self) -> None:
        reading = {(item.author, item.year, item.publisher) for m in modules() for item in m.course.reading}
        assert {
            ("Sonja Sheridan och Pia Williams", 2016, "Skolverket (Skolverkets rapport 433)"),
            ("Anna Hellberg", 2017, "Studentlitteratur"),
            ("Ann-Marie Markström och Susanne Severinsson", 2023, "Studentlitteratur"),
            ("Matilda Gniste och Lina Öinert", 2024, "Studentlitteratur"),
            ("Anna Samsioe och Pernilla Unevik", 2025, "Gothia Kompetens"),
        } <= reading


class DescribeALegalPoint:
    def it_refuses_a_review_date_that_is_not_after_the_check(self) -> None:
        with pytest.raises(ValueError, match=r"review_by .* must come after checked"):
            LegalPoint(
                text="En punkt.", source="Skollag (2010:800)", checked=date(2026, 11, 30), review_by=date(2026, 11, 30)
            )


class DescribeTheTakkVocabulary:
    def it_has_at_least_forty_everyday_words_with_a_clip_slot(self) -> None:
        words = catalog().module("takk").course.vocabulary
        assert len(words) >= 40
        assert all(word.clip and word.clip.startswith("media/takk/") for word in words)
        assert len({word.category for word in words}) >= 4

    def it_has_every_sign_the_film_models_in_its_vocabulary(self) -> None:
        takk = catalog().module("takk")
        words = {word.word.lower() for word in takk.course.vocabulary}
        transcript = takk.film.transcript.text if takk.film.transcript else ""
        quotes = re.findall(r"”([^”]+)”", transcript)
        quotes += [inner for quote in quotes for inner in re.findall(r"’([^’]+)’", quote)]
        modelled = {
            quote.lower().rstrip(".!?") for quote in quotes if len(quote.split()) <= 2 and "," not in quote
        } - SPOKEN_NOT_SIGNED
        missing = {quote for quote in modelled if quote not in words and not set(quote.split()) <= words}
        assert {"kommer", "kom", "sedan", "min tur"} <= modelled
        assert missing == set()

    def it_files_ont_outside_the_feelings(self) -> None:
        (ont,) = [word for word in catalog().module("takk").course.vocabulary if word.word == "ont"]
        assert ont.category != "Känslor"

    def it_never_describes_how_a_sign_is_formed(self) -> None:
        takk = catalog().module("takk")
        texts = [takk.course.model_dump_json(), takk.film.transcript.text if takk.film.transcript else ""]
        assert [match.group(0) for text in texts for match in SIGN_FORMATION.finditer(text)] == []


class DescribeTheGuidesAndLattlast:
    def it_gives_principals_a_guide_whose_planning_time_is_the_whole_cycle(self, module: Module) -> None:
        guide = module.course.leadership
        assert guide is not None
        assert [item.minutes for item in guide.planning_time] == [
            module.course.preparation.minutes,
            module.course.workshop.minutes,
            module.course.practice.minutes,
            module.course.follow_up.minutes,
        ]
        assert len(guide.launch) >= 3 and guide.follow_up
        assert guide.follow_up[-1].startswith("Efter tre månader")

    def it_gives_the_samtalsledare_a_guide_with_the_orosanmalan_routine_at_hand(self, module: Module) -> None:
        guide = module.course.facilitator
        assert guide is not None
        assert "stannar i rummet" in guide.confidentiality
        assert "far illa" in guide.disclosure and "rutin för orosanmälan" in guide.disclosure
        assert "orosanmalan" in guide.local_routines

    def it_asks_three_months_later_what_the_learner_does_differently(self, module: Module) -> None:
        later = module.course.follow_up_survey
        assert later is not None and later.after_days == 90
        assert later.open[0].question.startswith("Vad gör du annorlunda i dag")
        assert not {item.id for item in later.likert} & {item.id for item in module.course.survey.likert}

    def it_asks_three_months_later_about_what_people_do_and_the_change_from_part_c(self, module: Module) -> None:
        later = module.course.follow_up_survey
        assert later is not None
        knowing = ("Jag vet", "Jag känner till", "Jag förstår", "Jag tänker")
        assert [item.statement for item in later.likert if item.statement.startswith(knowing)] == []
        assert len([item for item in later.likert if "pröva i praktiken" in item.statement]) == 1

    def it_summarises_every_chapter_in_short_plain_sentences(self, module: Module) -> None:
        easy = module.course.easy_read
        assert easy is not None
        assert [summary.film_chapter for summary in easy.chapters] == [
            chapter.film_chapter for chapter in module.course.preparation.chapters
        ]
        for summary in easy.chapters:
            sentences = [s for s in re.split(r"(?<=[.?!])\s+", summary.text) if s]
            assert len(summary.text) <= 220, summary.film_chapter
            assert max(len(sentence.split()) for sentence in sentences) <= 16, summary.film_chapter
        assert len(easy.words) >= 6

    def it_refers_only_to_routine_slots_the_district_has(self, module: Module) -> None:
        assert set(module.course.local_routines) <= set(ROUTINE_SLOTS)


class DescribeTheLeadershipGuidePerModule:
    """Issue 24, item 13: each module's guide gives the rektor what that module needs, not one template."""

    TOPICS = ("Bemanning:", "Kvalitetsarbete:", "Ordning:")

    def it_covers_staff_cover_quality_work_and_the_order_of_modules(self, module: Module) -> None:
        guide = module.course.leadership
        assert guide is not None
        starts = [item.split(" ", 1)[0] for item in guide.launch]
        assert all(topic in starts for topic in self.TOPICS), module.course.slug
        assert any("färre än fem" in item for item in guide.follow_up)

    def it_gives_the_bitradande_rektor_a_checklist(self, module: Module) -> None:
        guide = module.course.leadership
        assert guide is not None and len(guide.checklist) >= 4
        assert any("Till vårdnadshavarna" in item for item in guide.checklist)
        assert any("gruppträff" in item for item in guide.checklist)
        shown = leadership_html(module.course)
        assert "<h3>Checklista för biträdande rektor</h3>" in shown
        assert html.escape(guide.checklist[0], quote=True) in shown

    def it_writes_each_modules_guide_for_that_module(self) -> None:
        guides = [m.course.leadership for m in modules()]
        for topic in (*self.TOPICS, "färre än fem"):
            texts = {item for guide in guides if guide for item in [*guide.launch, *guide.follow_up] if topic in item}
            assert len(texts) == len(guides), topic


class DescribeTheFacilitatorsReadyMaterial:
    """Issue 24, item 14: case cards and debrief questions per session; a rektor who leads it can open the guide."""

    def it_has_case_cards_and_debrief_questions_for_its_session(self, module: Module) -> None:
        guide = module.course.facilitator
        assert guide is not None
        assert len(guide.case_cards) >= 3 and len(guide.debrief) >= 3
        assert all(question.endswith("?") for question in guide.debrief)

    def it_writes_each_sessions_cards_for_that_module(self) -> None:
        cards = [card for m in modules() if m.course.facilitator for card in m.course.facilitator.case_cards]
        assert len(cards) == len(set(cards))

    def it_prints_the_cards_and_questions_in_the_guide(self) -> None:
        course = catalog().module("barnen-i-gruppen").course
        assert course.facilitator is not None
        shown = facilitator_html(course)
        assert "<h3>Fallkort att dela ut</h3>" in shown and "<h3>Frågor efter övningen</h3>" in shown
        assert html.escape(course.facilitator.case_cards[0], quote=True) in shown

    def it_lets_a_rektor_who_leads_the_session_open_it_but_never_staff(self) -> None:
        assert Role.PRINCIPAL in READERS[SAMTALSLEDARE] and Role.RESOURCE_TEAM in READERS[SAMTALSLEDARE]
        assert Role.STAFF not in READERS[SAMTALSLEDARE]
        course = catalog().module("takk").course
        assert printable(course, SAMTALSLEDARE, Role.PRINCIPAL) is not None
        assert printable(course, SAMTALSLEDARE, Role.STAFF) is None


class DescribeTheMaterialForGuardians:
    """Issue 24, item 10 (part): what a unit can give guardians per module, printable for every role."""

    def it_tells_guardians_in_plain_words_what_the_module_is_and_asks_them_back(self, module: Module) -> None:
        material = module.course.guardians
        assert material is not None
        assert len(material.text) >= 3 and len(material.questions) >= 2
        assert all(question.endswith("?") for question in material.questions)
        assert "resursteamet" not in " ".join(material.text) or module.course.slug == "handledning"

    def it_prints_for_staff_who_hand_it_out(self) -> None:
        course = catalog().module("sprakutveckling").course
        assert course.guardians is not None
        shown = printable(course, VARDNADSHAVARE, Role.STAFF)
        assert shown is not None and "Till vårdnadshavarna" in shown
        assert html.escape(course.guardians.questions[0], quote=True) in shown
        assert Role.STAFF in READERS[VARDNADSHAVARE]

    def it_teaches_norm_aware_and_intercultural_practice(self) -> None:
        assert "normmedvetet förhållningssätt" in _transcript("barnen-i-gruppen")
        assert "interkulturellt perspektiv" in _transcript("svara-samtal")
        words = {item.word for slug in ("barnen-i-gruppen", "svara-samtal") for item in _easy_words(slug)}
        assert {"norm", "interkulturell"} <= words

    def it_names_the_services_outside_the_preschool_the_plan_names(self) -> None:
        transcript = _transcript("handledning")
        assert "habiliteringen" in transcript and "samverkansmöten" in transcript


class DescribeLattlastBeyondTheFilm:
    def it_puts_the_quiz_the_reflection_and_the_practice_task_in_plain_words(self, module: Module) -> None:
        easy = module.course.easy_read
        assert easy is not None
        for part in (easy.knowledge_check, easy.reflection, easy.practice):
            assert part, module.course.slug
            sentences = [s for s in re.split(r"(?<=[.?!])\s+", part) if s]
            assert len(part) <= 320 and max(len(sentence.split()) for sentence in sentences) <= 16, part
        assert "inga namn" in easy.reflection

    def it_shows_the_tasks_in_plain_words_behind_the_lattlast_toggle(self) -> None:
        module = catalog().module("svara-samtal")
        easy = module.course.easy_read
        assert easy is not None and easy.reflection
        (shown,) = easy_read_section(SimpleNamespace(course=module.course, module=module))  # type: ignore[arg-type]
        assert "<h3>Kunskapsfrågorna</h3>" in shown.value and "<h3>Pröva i praktiken</h3>" in shown.value
        assert html.escape(easy.reflection, quote=True) in shown.value

    def it_explains_the_key_words_the_module_uses(self, module: Module) -> None:
        easy = module.course.easy_read
        assert easy is not None
        text = " ".join(_texts(module)).lower()
        explained = {item.word for item in easy.words}
        missing = [word for trigger, word in KEY_WORDS.items() if trigger in text and word not in explained]
        assert missing == []


class DescribeTheLocalRoutines:
    def it_shows_each_slot_where_the_modules_need_it(self) -> None:
        refs = {m.course.slug: m.course.local_routines for m in modules()}
        assert refs["svara-samtal"] == ["dokumentation", "tolkbokning", "orosanmalan", "socialtjanst-kontakt"]
        assert refs["barnen-i-gruppen"] == ["plan-krankande-behandling", "orosanmalan"]
        assert refs["traumamedveten-omsorg"] == ["orosanmalan", "socialtjanst-kontakt"]
        assert refs["handledning"] == [
            "handledning-bestallning",
            "samtycke",
            "handlingsplan",
            "orosanmalan",
            "socialtjanst-kontakt",
            "tolkbokning",
        ]
        assert refs["takk"] == ["samtycke", "orosanmalan"]
        assert {slot for slots in refs.values() for slot in slots} == set(ROUTINE_SLOTS)

    def it_leaves_every_slot_empty_until_the_district_fills_it_in(self, tmp_path: Path) -> None:
        routines = load_routines(tmp_path).routines
        assert [routine.id for routine in routines] == list(ROUTINE_SLOTS)
        assert all(routine.text is None and routine.contact is None for routine in routines)
        assert EMPTY_TEXT == "Den här rutinen är inte ifylld än. Fråga din rektor hur ni gör på er förskoleenhet."

    def it_reads_the_districts_own_words_beside_the_roster(self, tmp_path: Path) -> None:
        (tmp_path / "routines.yaml").write_text(
            "routines:\n- id: tolkbokning\n  text: Boka tolk i bokningssystemet.\n  contact: Expeditionen\n",
            encoding="utf-8",
        )
        routines = {routine.id: routine for routine in load_routines(tmp_path).routines}
        assert routines["tolkbokning"].text == "Boka tolk i bokningssystemet."
        assert routines["tolkbokning"].contact == "Expeditionen"
        assert routines["orosanmalan"].text is None

    def it_names_the_file_the_field_and_the_slots_for_an_unknown_slot(self, tmp_path: Path) -> None:
        (tmp_path / "routines.yaml").write_text("routines:\n- id: tolk\n  text: Ring.\n", encoding="utf-8")
        with pytest.raises(ContentError) as raised:
            load_routines(tmp_path)
        assert [problem.describe(tmp_path) for problem in raised.value.problems] == [
            "routines.yaml:2:3: routines[0].id: no local-routine slot 'tolk'; expected one of: orosanmalan, "
            "socialtjanst-kontakt, tolkbokning, plan-krankande-behandling, handledning-bestallning, samtycke, "
            "handlingsplan, dokumentation"
        ]


FACILITATOR = """facilitator:
  before: [Se filmen.]"""


class DescribeTheAuthorsChecks:
    def it_refuses_a_routine_slot_id_that_is_not_a_slug(self, tree: Path, edit: Edit) -> None:
        edit(
            "courses/mini/course.yaml",
            "  before: [Se filmen.]\n",
            "  before: [Se filmen.]\n  local_routines: [orosanmälan]\n",
        )
        assert problems_in(tree) == [
            "courses/mini/course.yaml:107:20: facilitator.local_routines[0]: expected lower-case letters a-z, "
            "digits and single dashes, like 'lek-och-samspel' (got 'orosanmälan')"
        ]

    def it_names_a_misspelt_routine_slot(self, tree: Path, edit: Edit) -> None:
        edit(
            "courses/mini/course.yaml",
            "  before: [Se filmen.]\n",
            "  before: [Se filmen.]\n  local_routines: [orosanmaln]\n",
        )
        edit("courses/mini/course.yaml", "\nworkshop:\n", "\nworkshop:\n  local_routines: [skolskjuts]\n")
        assert problems_in(tree) == [
            "courses/mini/course.yaml:60:20: workshop.local_routines[0]: no local-routine slot 'skolskjuts'; "
            "expected one of: orosanmalan, socialtjanst-kontakt, tolkbokning, plan-krankande-behandling, "
            "handledning-bestallning, samtycke, handlingsplan, dokumentation",
            "courses/mini/course.yaml:108:20: facilitator.local_routines[0]: no local-routine slot 'orosanmaln'; "
            "did you mean 'orosanmalan'?",
        ]

    def it_names_a_lattlast_summary_for_a_chapter_the_module_does_not_have(self, tree: Path, edit: Edit) -> None:
        easy = (
            "easy_read:\n  chapters:\n  - film_chapter: forsta\n    text: Det första.\n"
            "  - film_chapter: tredje\n    text: Det tredje.\n  words:\n  - word: modul\n    meaning: En kurs.\n"
        )
        edit("courses/mini/course.yaml", FACILITATOR, easy + FACILITATOR)
        assert problems_in(tree) == [
            "courses/mini/course.yaml:106:3: easy_read.chapters: chapters without a lättläst summary: andra; "
            "expected one summary per chapter",
            "courses/mini/course.yaml:109:5: easy_read.chapters[1].film_chapter: the module has no chapter 'tredje'; "
            "expected one of: forsta, andra",
        ]

    def it_keeps_the_follow_up_surveys_ids_apart_from_the_evaluations(self, tree: Path, edit: Edit) -> None:
        later = (
            "follow_up_survey:\n  likert:\n  - id: f1\n    statement: Jag gör annorlunda.\n"
            "  open:\n  - id: o1\n    question: Vad gör du annorlunda i dag?\n"
        )
        edit("courses/mini/course.yaml", FACILITATOR, later + FACILITATOR)
        assert problems_in(tree) == [
            "courses/mini/course.yaml:110:5: follow_up_survey.open[0].id: duplicate survey id 'o1'; "
            "expected each to be unique"
        ]

    def it_names_each_missing_guide_and_what_it_holds(self, tree: Path, edit: Edit) -> None:
        text = (tree / "courses/mini/course.yaml").read_text(encoding="utf-8")
        edit("courses/mini/course.yaml", None, text[: text.index("leadership:")])
        assert problems_in(tree) == [
            "courses/mini/course.yaml:1:1: facilitator: the module has no 'facilitator'; expected a facilitator's "
            "guide for part B (before, confidentiality, disclosure, aftercare)",
            "courses/mini/course.yaml:1:1: leadership: the module has no 'leadership'; expected a leadership guide "
            "for principals (why, launch, planning_time, follow_up)",
        ]


class DescribeTheHandledningModule:
    def it_follows_the_team_from_asking_to_follow_up(self) -> None:
        module = catalog().module("handledning")
        assert [chapter.title for chapter in module.film.manifest.chapters] == [
            "Vad är processhandledning?",
            "Så ber arbetslaget om handledning",
            "Kartläggning av barnet och lärmiljön",
            "Från kartläggning till handlingsplan",
            "Uppföljning och att hålla i förändringen",
        ]
        assert module.course.audience == ["förskollärare", "barnskötare", "rektor", "biträdande rektor"]
        assert {speaker.profession for speaker in module.film.manifest.speakers} == {"psykolog", "specialpedagog"}

    def it_says_the_way_to_handledning_goes_through_the_rektor(self) -> None:
        module = catalog().module("handledning")
        transcript = module.film.transcript.text if module.film.transcript else ""
        assert "vägen till handledning går via rektorn" in transcript
        assert "Resursteamet arbetar på uppdrag av rektorerna" in transcript
        chapter = module.course.preparation.chapters[1]
        assert chapter.local_routines == ["handledning-bestallning", "samtycke"]

    def it_keeps_the_duty_to_report_in_the_same_words_as_svara_samtal(self) -> None:
        handledning, samtal = (catalog().module(slug) for slug in ("handledning", "svara-samtal"))
        report = {p.text for p in samtal.course.legal if "genast anmäla" in p.text}
        assert report <= {p.text for p in handledning.course.legal}
        transcript = handledning.film.transcript.text if handledning.film.transcript else ""
        assert "konsultationen tar inte över din skyldighet" in transcript

    def it_follows_the_resource_units_own_pathway_as_its_plan_describes_it(self) -> None:
        module = catalog().module("handledning")
        transcript = _transcript("handledning")
        for step in (
            "skrivs under av vårdnadshavarna och rektorn",
            "ekonomiskt tilläggsbelopp",
            "Resursenhetens chef",
            "barnkonferenserna varje termin",
            "I slutet av varje halvår",
        ):
            assert step in transcript, step
        chapter = next(c for c in module.course.preparation.chapters if c.film_chapter == "handlingsplan")
        assert "tilläggsbelopp" in chapter.summary and "barnkonferens" in chapter.summary
        items = {item.id: item for item in module.course.preparation.knowledge_check.items}
        (correct,) = [option for option in items["handledning-q9"].options if option.correct]
        assert "rektorn" in correct.text and "tilläggsbelopp" in correct.text
        easy = module.course.easy_read
        assert easy is not None and {"tilläggsbelopp", "barnkonferens"} <= {item.word for item in easy.words}

    def it_grounds_special_support_in_skollagen(self) -> None:
        sources = [point.source for point in catalog().module("handledning").course.legal]
        assert "Skollag (2010:800) 8 kap. 9 §" in sources and "Skollag (2010:800) 2 kap. 34 §" in sources

    def it_puts_the_facilitators_guide_into_the_decks_speaker_notes(self) -> None:
        module = catalog().module("traumamedveten-omsorg")
        guide = module.course.facilitator
        assert guide is not None
        opening = notes.opening(module, None)
        assert f"Sekretess i gruppen: {guide.confidentiality} {guide.disclosure}" in opening
        assert opening.endswith(
            "Ha förskoleenhetens rutiner till hands: rutin för orosanmälan, kontakt med socialtjänsten."
        )
        assert notes.closing(module.course).endswith(f"Efter träffen: {guide.aftercare}")

    def it_cares_for_staff_after_the_trauma_session_the_day_after(self) -> None:
        guide = catalog().module("traumamedveten-omsorg").course.facilitator
        assert guide is not None
        assert "Avsluta inte direkt efter övningen" in guide.aftercare and "dagen efter" in guide.aftercare


def _transcript(slug: str) -> str:
    transcript = catalog().module(slug).film.transcript
    return transcript.text if transcript else ""


def _easy_words(slug: str) -> list[WordExplanation]:
    easy = catalog().module(slug).course.easy_read
    return easy.words if easy else []


def _texts(module: Module) -> list[str]:
    """Every piece of text a module shows: the course's strings and the film's transcript."""
    texts: list[str] = [module.film.transcript.text] if module.film.transcript else []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(module.course.model_dump(mode="json"))
    return texts


def _collect_used_fields(model: BaseModel, used: set[tuple[str, str]]) -> None:
    for name in model.model_fields_set:
        value = getattr(model, name)
        if value in (None, [], {}):
            continue
        used.add((type(model).__name__, name))
        children = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        for child in children:
            if isinstance(child, BaseModel):
                _collect_used_fields(child, used)


def _declared_fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[tuple[str, str]]:
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    declared = set()
    for name, field in model.model_fields.items():
        declared.add((model.__name__, name))
        for nested in _models_in(field.annotation):
            declared |= _declared_fields(nested, seen)
    return declared


def _models_in(annotation: object) -> list[type[BaseModel]]:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]
