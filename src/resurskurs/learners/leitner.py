"""Spaced repetition for TAKK flashcards with Leitner boxes, kept per person.

A card known again moves up a box and comes back later; a card not known goes back to box 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

BOX_INTERVALS = {
    1: timedelta(0),
    2: timedelta(days=1),
    3: timedelta(days=3),
    4: timedelta(days=7),
    5: timedelta(days=14),
}
TOP_BOX = max(BOX_INTERVALS)


@dataclass(frozen=True)
class CardState:
    box: int = 1
    reviewed: datetime | None = None

    def due(self, now: datetime) -> bool:
        return self.reviewed is None or now >= self.reviewed + BOX_INTERVALS[self.box]

    def answered(self, known: bool, now: datetime) -> CardState:
        return CardState(min(self.box + 1, TOP_BOX) if known else 1, now)

    def to_json(self) -> dict[str, object]:
        return {"box": self.box, "reviewed": self.reviewed.isoformat() if self.reviewed else None}

    @classmethod
    def from_json(cls, data: object) -> CardState:
        if not isinstance(data, dict):
            return cls()
        box = data.get("box")
        reviewed = data.get("reviewed")
        return cls(
            box if box in BOX_INTERVALS else 1, datetime.fromisoformat(reviewed) if isinstance(reviewed, str) else None
        )


def next_cards(states: dict[str, CardState], words: list[str], now: datetime) -> list[str]:
    """Due words, lowest box first, in vocabulary order within a box."""
    due = [word for word in words if states.get(word, CardState()).due(now)]
    return sorted(due, key=lambda word: states.get(word, CardState()).box)
