"""The privacy guard catches identity numbers and children's names, and leaves ordinary text alone."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from resurskurs.tracking.names import NAMES_FILE, given_names
from resurskurs.tracking.privacy import PrivateText, check_text, luhn_ok, privacy_findings, refuse_private

CORPUS = Path(__file__).parent / "fixtures" / "privacy"

SENTENCES = [
    "Vi pratade om det i arbetslaget {x} och bestämde att pröva igen.",
    "Barnet hade svårt vid lämningen, så jag skrev ner det {x}.",
    "{x} kom vårdnadshavaren och vi hade ett lugnt samtal.",
    "Anteckning: {x}. Flickan ville inte gå ut på gården.",
]


def personnummer(rng: random.Random) -> str:
    """A valid-looking identity number in one of the ways people write them."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 74))
    day = born.day + (60 if rng.random() < 0.3 else 0)
    head = f"{born:%y%m}{day:02d}{rng.randrange(0, 1000):03d}"
    check = next(d for d in "0123456789" if luhn_ok(head + d))
    century = str(born.year)[:2] if rng.random() < 0.5 else ""
    separator = rng.choice(["-", "", "+"] if not century else ["-", ""])
    return f"{century}{head[:6]}{separator}{head[6:]}{check}"


def ordinary(rng: random.Random) -> str:
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 700))
    choices = [
        f"den {day:%Y-%m-%d}", f"den {day.day}/{day.month}", f"{day:%d.%m.%Y}", f"klockan {rng.randrange(7, 17):02d}:"
        f"{rng.choice(['00', '15', '30', '45'])}", f"kl. {rng.randrange(7, 17)}.{rng.choice(['00', '30'])}",
        f"mellan {rng.randrange(7, 12):02d}:00 och {rng.randrange(12, 17):02d}:30",
        f"(ring 07{rng.randrange(0, 10)}-{rng.randrange(100, 1000)} {rng.randrange(10, 100)} {rng.randrange(10, 100)})",
        f"på telefon 08-{rng.randrange(100, 1000)} {rng.randrange(100, 1000)} {rng.randrange(10, 100)}",
        f"(mobil 07{rng.randrange(0, 10)}{rng.randrange(1000000, 10000000)})",
        f"+46 7{rng.randrange(0, 10)} {rng.randrange(100, 1000)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}",
        f"vecka {rng.randrange(1, 53)} år {day.year}", f"med {rng.randrange(9, 16)} barn i gruppen",
        f"under {rng.randrange(2, 6)} veckor från {day:%Y%m%d}",
    ]
    return rng.choice(SENTENCES).format(x=rng.choice(choices))


NUMBERS = tuple(personnummer(random.Random(seed)) for seed in range(240))
FORMS = {(10, True, False), (10, False, False), (10, False, True), (12, True, False), (12, False, False)}


class DescribeIdentityNumbers:

    def it_covers_every_written_form(self) -> None:
        forms = {(len(n.replace("-", "").replace("+", "")), "-" in n, "+" in n) for n in NUMBERS}
        assert forms >= FORMS
        assert any(int(n.replace("-", "").replace("+", "")[-6:-4]) > 60 for n in NUMBERS), "samordningsnummer"

    @pytest.mark.parametrize("number", NUMBERS)
    def it_catches_each_number_in_a_sentence(self, number: str) -> None:
        text = random.Random(number).choice(SENTENCES).format(x=f"({number})")
        findings = check_text(text)
        assert [finding.text for finding in findings] == [number]
        assert "Ta bort det, så att ingen kan kännas igen." in findings[0].message

    def it_ignores_a_number_whose_check_digit_is_wrong(self) -> None:
        number = NUMBERS[0]
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        assert check_text(f"Numret {wrong} stod på lappen.") == []


class DescribeOrdinaryText:
    @pytest.mark.parametrize("seed", range(240))
    def it_raises_no_alarm_for_dates_times_and_phone_numbers(self, seed: int) -> None:
        text = ordinary(random.Random(seed))
        assert check_text(text) == [], text


class DescribeChildrensNames:
    @pytest.mark.parametrize(
        ("text", "found"),
        [
            ("Jag satt med flickan Maja vid lunchen.", "flickan Maja"),
            ("Pojken, Omar, ville inte vila.", "Pojken, Omar"),
            ("Maja, flickan i röda jackan, grät.", "Maja, flickan"),
            ("Vi såg hur treåringen Elis hittade en kompis.", "treåringen Elis"),
        ],
    )
    def it_points_out_a_name_next_to_a_word_for_a_child(self, text: str, found: str) -> None:
        (finding,) = check_text(text)
        assert finding.text == found
        assert finding.message.startswith(f"Texten verkar nämna ett barns namn (”{found}”)")

    @pytest.mark.parametrize(
        "text",
        ["Efter lunchen sov barnet. Sedan lekte vi.", "Barnet var glatt när pappa kom.",
         "Jag pratade med flickan och hon log.", "Pojken och flickan byggde tillsammans.",
         "När barnet Jag menar, när barnen kom in."],
    )
    def it_leaves_sentences_without_names_alone(self, text: str) -> None:
        assert check_text(text) == []


def corpus(name: str) -> list[str]:
    """The corpus lines, with \\n and \\uXXXX written out as the characters they stand for."""
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [
        re.sub(r"\\n|\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)) if m[1] else "\n", line)
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def evasion(line: str) -> tuple[str, str, list[str]]:
    """Kind, text and the marked parts of one line of the evasion corpus."""
    kind, marked = line.split(" | ", 1)
    return kind, marked.replace("⟦", "").replace("⟧", ""), re.findall("⟦(.*?)⟧", marked, re.S)


EVASIONS = corpus("evasions.txt")
ORDINARY = corpus("ordinary.txt")


class DescribeEvasions:
    @pytest.mark.parametrize("line", EVASIONS)
    def it_flags_each_disguised_number_or_name_quoting_the_writers_text(self, line: str) -> None:
        kind, text, marked = evasion(line)
        findings = check_text(text)
        assert [(finding.kind, finding.text) for finding in findings] == [(kind, part) for part in marked]
        assert all(text[finding.start :].startswith(finding.text) for finding in findings)

    def it_covers_numbers_and_names(self) -> None:
        kinds = [evasion(line)[0] for line in EVASIONS]
        assert kinds.count("identity") >= 25
        assert kinds.count("child-name") >= 25

    def it_uses_numbers_that_pass_the_check_digit(self) -> None:
        for kind, _, marked in map(evasion, EVASIONS):
            digits = [re.sub(r"\D", "", part)[-10:] for part in marked if kind == "identity"]
            assert all(luhn_ok(number) for number in digits), digits

    @pytest.mark.parametrize(
        ("text", "found"),
        [
            ("Barnets nummer är ٢١٠٣١٤-٠٠٠٦.", "٢١٠٣١٤-٠٠٠٦"),
            ("Numret: ۲۰۲۱۰۳۱۴۰۰۰۶ enligt mamma.", "۲۰۲۱۰۳۱۴۰۰۰۶"),
            ("Han har nummer २१०३१४-०००६ i papperen.", "२१०३१४-०००६"),
        ],
    )
    def it_reads_digits_of_other_scripts(self, text: str, found: str) -> None:
        assert [(finding.kind, finding.text) for finding in check_text(text)] == [("identity", found)]

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("Hennes nummer är 20210314\n0006.", "”20210314 0006”"),
            ("Barnets nummer: 210314-00\u00ad06", "”210314-0006”"),
            ("Jag satt med flickan Ma\u200bja vid lunchen.", "”flickan Maja”"),
        ],
    )
    def it_shows_the_finding_without_invisible_characters_in_the_message(self, text: str, shown: str) -> None:
        (finding,) = check_text(text)
        assert shown in finding.message


class DescribeOrdinaryCorpus:
    def it_has_at_least_two_hundred_sentences(self) -> None:
        assert len(ORDINARY) >= 200

    @pytest.mark.parametrize("sentence", ORDINARY)
    def it_raises_no_alarm(self, sentence: str) -> None:
        assert check_text(sentence) == []

    def it_includes_organisation_numbers_that_pass_the_check_digit(self) -> None:
        numbers = [
            re.sub(r"\D", "", match)
            for line in ORDINARY
            if "org" in line.lower()
            for match in re.findall(r"\d{6}[- ]?\d{4}", line)
        ]
        assert len(numbers) >= 6
        assert all(luhn_ok(number) and int(number[2:4]) >= 20 for number in numbers)


class DescribePhoneNumbers:
    @pytest.mark.parametrize("text", ["Ring 0701234569 i eftermiddag.", "Mobil: 0701234569", "Nås på 0701234569."])
    def it_leaves_a_bare_number_after_a_word_for_a_telephone(self, text: str) -> None:
        assert check_text(text) == []

    @pytest.mark.parametrize(
        "text", ["Personnummer 0701234569.", "Mitt personnummer: 0701234569", "Ring inte, p-nr 0701234569."]
    )
    def it_flags_the_same_digits_after_a_word_for_an_identity_number(self, text: str) -> None:
        assert [finding.text for finding in check_text(text)] == ["0701234569"]


class DescribePrivacyFindings:
    def it_names_where_each_finding_is(self) -> None:
        answers = {
            "reflection": "Jag satt med barnen Maja och Omar.",
            "practice": {"note": "Numret 21 03 14-0006 stod på lappen."},
            "survey": {"open": {"q1": "Bra kurs, 3 av 4 delar var nya för mig."}},
        }
        assert privacy_findings(answers) == [
            "Reflektionsuppgiften: Texten verkar nämna ett barns namn (”barnen Maja och Omar”). Skriv hellre till "
            "exempel ”ett barn” eller ”en treåring”, så att ingen kan kännas igen.",
            "Pröva i praktiken: Texten verkar innehålla ett person- eller samordningsnummer (”21 03 14-0006”). "
            "Ta bort det, så att ingen kan kännas igen.",
        ]


def found(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in check_text(text)]


class DescribeNamesOnTheirOwn:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Observation: Elias tog initiativ till leken.", "Elias"),
            ("Vi provade bildstöd.\nOmar pekade på bilden med mamma.", "Omar"),
            ("- Noor behöver mer tid vid påklädningen.", "Noor"),
            ("Det var en lugn dag – Theo somnade direkt.", "Theo"),
            ("”Hamza, kom och titta!” ropade en kompis.", "Hamza"),
            ("Jag sa 'Wilma, nu är det din tur'.", "Wilma"),
            ("I dag grät Maja vid lämningen.", "Maja"),
        ],
    )
    def it_flags_a_name_after_a_colon_a_line_break_a_dash_or_a_quote(self, text: str, name: str) -> None:
        assert found(text) == [("name", name)]
        assert check_text(text)[0].message == (
            f"Det ser ut som ett namn (”{name}”). Skriv ”ett barn” i stället, så att ingen kan kännas igen."
        )

    @pytest.mark.parametrize(
        ("text", "name"),
        [("idag var maja ledsen hela förmiddagen", "maja"), ("vi såg att omar blev lugnare", "omar"),
         ("sigge tog med sin nalle", "sigge")],
    )  # fmt: skip
    def it_flags_a_name_written_in_lower_case(self, text: str, name: str) -> None:
        assert found(text) == [("name", name)]

    @pytest.mark.parametrize(
        "name",
        ["Abdirahman", "Hodan", "Zeynep", "Aleksandra", "Krzysztof", "Yonas", "Parisa", "Mehmet", "Aino", "Fatima",
         "Dmitrij", "Rojin", "Camila", "Amina", "Lejla"],
    )  # fmt: skip
    def it_knows_given_names_from_the_languages_of_stockholms_families(self, name: str) -> None:
        assert found(f"Efter vilan ville {name} sitta i knät.") == [("name", name)]

    def it_flags_a_name_in_the_genitive(self) -> None:
        assert found("Vi pratade om Omars oro inför skolstarten.") == [("name", "Omars")]

    def it_takes_a_name_that_is_also_a_word_for_a_name_only_inside_a_sentence(self) -> None:
        assert found("I dag lekte Liv med klossarna.") == [("name", "Liv")]
        assert found("Liv och rörelse i hallen hela morgonen.") == []


class DescribeNamesGivenAsNames:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Det finns en pojke som heter Viggo i gruppen.", "Viggo"),
            ("Ett barn vid namn Leia hade svårt vid lämningen.", "Leia"),
            ("En flicka som kallas Mimmi ville vara först.", "Mimmi"),
            ("Hon heter Idun och är ny i gruppen.", "Idun"),
            ("Vi har ett barn som heter liv som inte äter frukost.", "liv"),
        ],
    )
    def it_flags_the_name_after_som_heter_vid_namn_and_kallas(self, text: str, name: str) -> None:
        assert found(text) == [("child-name", name)]

    def it_leaves_the_name_of_a_book_or_a_toy_alone(self) -> None:
        assert found("Vi läste boken som heter Sagan om lilla sovtrollet.") == []
        assert found("Hon har en nalle som heter Bamse.") == []

    @pytest.mark.parametrize(
        ("text", "marked"),
        [
            ("Kompisen Ali kom och hämtade honom.", "Kompisen Ali"),
            ("Jag såg att lillkillen Vidar började gråta.", "lillkillen Vidar"),
            ("Hon pratade om lillasyster Noor hela dagen.", "lillasyster Noor"),
            ("Hennes bror Adam går på en annan avdelning.", "bror Adam"),
            ("Vi lät kompisarna Lo och Ines sitta bredvid varandra.", "kompisarna Lo och Ines"),
            ("Sedan kom kusinen Amina på besök.", "kusinen Amina"),
            ("Jag satt med flickan maja vid lunchen.", "flickan maja"),
        ],
    )
    def it_flags_a_name_after_more_words_for_a_child(self, text: str, marked: str) -> None:
        assert found(text) == [("child-name", marked)]


class DescribeMoreWaysToWriteANumber:
    @pytest.mark.parametrize(
        ("text", "number"),
        [
            ("På lappen stod 2019/12/04-0001 överst.", "2019/12/04-0001"),
            ("Barnets nummer: 230211/0008", "230211/0008"),
            ("Pnr 22.09.30.0009 står på remissen.", "22.09.30.0009"),
            ("Hennes personnummer är 21 05 17 - 0001.", "21 05 17 - 0001"),
            ("Blanketten hade 201119_0002 i rubriken.", "201119_0002"),
            ("Numret 2021\n0314-0006 stod på remissen.", "2021\n0314-0006"),
            ("Pnr: 191204\n-0001", "191204\n-0001"),
            ("På kortet stod ২০০৭২৯-০০০৬.", "২০০৭২৯-০০০৬"),
            ("Samordningsnr: 210883/0015", "210883/0015"),
            ("Barnet har bara 22 04 75-0000 än.", "22 04 75-0000"),
        ],
    )
    def it_catches_numbers_split_by_slashes_dots_spaces_and_line_breaks(self, text: str, number: str) -> None:
        assert found(text) == [("identity", number)]


class DescribeNoFalseAlarms:
    @pytest.mark.parametrize(
        "text",
        [
            "Barnen på Blå avdelningen var ute hela förmiddagen.",
            "Vi på Gula avdelningen har provat bildschema.",
            "Hela arbetslaget på Sol-avdelningen var med.",
            "Vi var på avdelningen Lilla Björn hela dagen.",
            "Lilla Björn läste vi tre gånger, barnen ville höra den igen.",
            "Lilla Björn och Lilla Hare blev veckans bok.",
            "Saga var temat för veckan.",
            "Alla barn fick välja en bok. Till sist blev det en saga.",
            "Klara färger hjälper barnen att hitta sina platser.",
            "Max fem barn får vara i ateljén samtidigt.",
            "Tema: vatten. Mål: att barnen får undersöka.",
            "Björnen i sagan var snäll, sa barnen.",
            "I maj börjar vi med odlingen igen.",
            "Vi träffades 2026-12-05 14:30 för att planera.",
            "Nästa uppföljning är 2026-12-05 14.30 i personalrummet.",
            "Reflektionen skrevs 2025-10-02\n16:45 efter mötet.",
            "Inskolningen började 2025-08-18 08:15.",
            "Lillkillen i gruppen somnade först på vilan.",
            "Kompisen som brukar leka med honom var sjuk.",
        ],
    )
    def it_leaves_team_names_titles_sentence_starts_and_dates_with_times_alone(self, text: str) -> None:
        assert found(text) == []


class DescribeTheNameList:
    def it_is_read_once(self) -> None:
        assert given_names() is given_names()

    def it_names_its_source_and_licence(self) -> None:
        header = [line for line in NAMES_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert any("Faker" in line and "MIT" in line for line in header)
        assert any("Isof" in line for line in header)

    def it_marks_names_that_are_also_swedish_words(self) -> None:
        names = given_names()
        assert {"björn", "liv", "saga", "klara"} <= names.words
        assert {"maja", "omar", "hodan", "zeynep"} <= names.names
        assert not names.names & names.words


class DescribeTheRefusal:
    def it_says_in_swedish_what_to_change(self) -> None:
        with pytest.raises(PrivateText) as refused:
            refuse_private("Vi satt med Maja. Numret 210314-0006 stod på lappen.")
        assert str(refused.value) == (
            "Det ser ut som ett namn (”Maja”). Skriv ”ett barn” i stället, så att ingen kan kännas igen. "
            "Texten verkar innehålla ett person- eller samordningsnummer (”210314-0006”). "
            "Ta bort det, så att ingen kan kännas igen."
        )

    def it_lets_clean_text_through(self) -> None:
        refuse_private("Ett barn satt med oss vid lunchen.")
