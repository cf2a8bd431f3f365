"""A fictional district for demos and tests: invented units and people, the same for the same seed."""

from __future__ import annotations

import random
import unicodedata

from resurskurs.district.roster import EMAIL_DOMAIN, Person, Role

FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Johanna",
    "Linnea",
    "Elin",
    "Amira",
    "Noor",
    "Leyla",
    "Sofia",
    "Ida",
    "Hanna",
    "Erik",
    "Johan",
    "Anders",
    "Lars",
    "Mikael",
    "Ali",
    "Omar",
    "Jonas",
    "Peter",
    "David",
    "Daniel",
    "Fredrik",
    "Hassan",
    "Oskar",
    "Tove",
    "Malin",
    "Jenny",
    "Helena",
    "Camilla",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Holm",
    "Sandberg",
    "Ekström",
    "Ahmed",
    "Hassan",
    "Yilmaz",
    "Nordin",
    "Lund",
    "Strand",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
]
UNIT_NAMES = [
    "Ekorren",
    "Blåklockan",
    "Humlan",
    "Myran",
    "Solrosen",
    "Lärkan",
    "Tallkotten",
    "Vitsippan",
    "Snäckan",
    "Kotten",
    "Nyckelpigan",
    "Äppellunden",
    "Stjärnan",
    "Fjärilen",
    "Hasseln",
    "Regnbågen",
]
TEAMS = ["Avdelning Gul", "Avdelning Grön", "Avdelning Blå", "Avdelning Röd"]


def demo_district(staff: int = 24, units: int = 2, seed: int = 1) -> list[Person]:
    """`staff` staff spread over `units` units, plus one principal per unit and two in the resource team."""
    rng = random.Random(seed)
    unit_names = [
        f"Förskolan {UNIT_NAMES[i % len(UNIT_NAMES)]}"
        + (f" {i // len(UNIT_NAMES) + 1}" if i >= len(UNIT_NAMES) else "")
        for i in range(units)
    ]
    people: list[Person] = []
    used: set[str] = set()

    def person(unit: str, team: str, role: Role) -> Person:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = f"{_ascii(first)}.{_ascii(last)}"
        person_id, n = base, 1
        while person_id in used:
            n += 1
            person_id = f"{base}{n}"
        used.add(person_id)
        return Person(person_id, first, last, f"{person_id}@{EMAIL_DOMAIN}", unit, team, role)

    for index in range(staff):
        unit = unit_names[index % units]
        people.append(person(unit, TEAMS[(index // units) % len(TEAMS)], Role.STAFF))
    for unit in unit_names:
        people.append(person(unit, "Ledning", Role.PRINCIPAL))
    for _ in range(2):
        people.append(person("Resursenheten", "Resursteamet", Role.RESOURCE_TEAM))
    return people


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
