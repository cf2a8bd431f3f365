"""Words every module shares, defined once: the four parts of the cycle and the evaluation's agreement scale.

The player, the workshop deck, the reports and the widgets (as traits) all take them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Part(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


@dataclass(frozen=True)
class PartName:
    short: str
    """As the cycle overview lists it."""
    heading: str
    """As the part's own heading says it."""
    anchor: str
    """The page id the in-page navigation links to."""


PARTS = {
    Part.A: PartName("Förberedelse", "Förberedelse på egen hand", "rk-forberedelse"),
    Part.B: PartName("Gruppträff", "Gruppträff", "rk-grupptraff"),
    Part.C: PartName("Pröva i praktiken", "Pröva i praktiken", "rk-praktik"),
    Part.D: PartName("Gemensam uppföljning", "Gemensam uppföljning", "rk-uppfoljning"),
}

LIKERT_SCALE = ("Stämmer inte alls", "Stämmer ganska dåligt", "Varken eller", "Stämmer ganska bra", "Stämmer helt")
"""Steps 1–5 of the evaluation's statements, from disagree to agree."""

ROUTINE_SLOTS: dict[str, str] = {
    "orosanmalan": "Rutin för orosanmälan",
    "socialtjanst-kontakt": "Kontakt med socialtjänsten",
    "tolkbokning": "Så bokar ni tolk",
    "plan-krankande-behandling": "Plan mot diskriminering och kränkande behandling",
    "handledning-bestallning": "Så ber arbetslaget om handledning",
    "samtycke": "Samtycke från vårdnadshavare",
    "handlingsplan": "Så skriver, skriver under och sparar ni handlingsplaner",
    "dokumentation": "Så dokumenterar och sparar ni anteckningar om barn och samtal",
}
"""Every local-routine slot a module may refer to, with the title shown above the district's own text
(district/routines.py holds what a district fills in)."""
