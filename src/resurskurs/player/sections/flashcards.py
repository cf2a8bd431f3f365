"""Sign practice for modules with a word list: cards come back sooner when the learner needs more practice."""

from __future__ import annotations

from datetime import datetime

import ipywidgets as w

from resurskurs.learners.leitner import CardState, next_cards
from resurskurs.player.sections.film import media_url
from resurskurs.player.session import ModuleSession
from resurskurs.ui.html import heading
from resurskurs.ui.widgets import Flashcards


def flashcards_section(session: ModuleSession) -> list[w.Widget]:
    words = session.course.vocabulary
    if not words:
        return []
    by_word = {word.word: word for word in words}
    states = {key: CardState.from_json(value.model_dump()) for key, value in session.answers.flashcards.items()}
    cards = Flashcards()

    def show() -> None:
        now = datetime.now()
        due = next_cards(states, list(by_word), now)
        boxes = [states.get(word, CardState()).box for word in by_word]
        cards.summary = ", ".join(f"låda {box}: {boxes.count(box)}" for box in sorted(set(boxes)))
        cards.due = len(due)
        if not due:
            cards.card = {}
            return
        word = by_word[due[0]]
        cards.card = {
            "word": word.word,
            "category": word.category,
            "example": word.example,
            "box": states.get(word.word, CardState()).box,
            "clip": media_url(session.module.film, word.clip, session.base_url),
        }

    def answered(_: object) -> None:
        if not cards.card:
            return
        word = cards.card["word"]
        states[word] = states.get(word, CardState()).answered(cards.known, datetime.now())
        session.save(("flashcards", word), states[word].to_json())
        show()

    cards.observe(answered, names="answer")
    show()
    return [
        heading(
            "Öva tecken",
            "rk-tecken",
            "Korten kommer tillbaka oftare när du behöver öva mer och mer sällan när du kan tecknet.",
        ),
        cards,
    ]
