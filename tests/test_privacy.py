"""The privacy guard catches identity numbers and children's names, and leaves ordinary text alone."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from resurskurs.tracking.privacy import check_text, luhn_ok

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
        assert "Ta bort det innan du lämnar in." in findings[0].message

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
