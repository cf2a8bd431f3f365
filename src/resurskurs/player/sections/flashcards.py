"""Sign practice for modules with a word list, and the word list itself to browse.

A card the learner knew comes back after days; one they want to practise more comes back later
today, after the other cards due. The words say how far the learner has come, never how the
spaced repetition works inside.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import ipywidgets as w

from resurskurs.learners.leitner import BOX_INTERVALS, CardState, next_cards
from resurskurs.player.sections.film import media_url
from resurskurs.player.session import ModuleSession
from resurskurs.schema import VocabularyWord
from resurskurs.ui.formats import number
from resurskurs.ui.html import block, heading
from resurskurs.ui.markup import text
from resurskurs.ui.widgets import Flashcards

UNPLAYABLE = "Filmen med tecknet går inte att spela upp här."
LEARN_FROM_TALPEDAGOG = "på talpedagogens TAKK-utbildning, så att alla gör samma tecken."
ADDING_CLIPS = (
    "Resursteamet lägger in filmerna med kommandot <code>resurskurs signs add</code> och en mapp med en film per ord."
)


def missing_clips_notice(missing: int, total: int) -> str:
    """Said once, above the cards: which sign films are not here yet and where the signs are learnt instead."""
    if not missing:
        return ""
    said = (
        "Filmerna som visar tecknen finns inte här än. Lär dig tecknen"
        if missing == total
        else f"Till {number(missing)} av {number(total)} ord finns ingen film med tecknet än. Lär dig de tecknen"
    )
    return (
        f'<div class="rk-notice rk-no-clips"><p>{text(said)} {text(LEARN_FROM_TALPEDAGOG)}</p>'
        f'<p class="rk-small">{ADDING_CLIPS}</p></div>'
    )


def summary(states: dict[str, CardState], words: list[str]) -> str:
    """ "Du kan 3 tecken · du övar på 5 · 47 har du inte övat på än": from the last time each card came up."""
    tried = [states[word] for word in words if word in states and states[word].reviewed]
    known = sum(1 for state in tried if state.box > 1)
    practising = len(tried) - known
    untried = len(words) - len(tried)
    return f"Du kan {number(known)} tecken · du övar på {number(practising)} · {number(untried)} har du inte övat på än"


def comes_back(word: str, state: CardState) -> str:
    days = BOX_INTERVALS[state.box].days
    if not days:
        return f"”{word}” kommer tillbaka senare i dag, efter de andra korten."
    return f"Bra! ”{word}” kommer tillbaka om {'1 dag' if days == 1 else f'{days} dagar'}."


def flashcards_section(session: ModuleSession) -> list[w.Widget]:
    words = session.course.vocabulary
    if not words:
        return []
    by_word = {word.word: word for word in words}
    states = {key: CardState.from_json(value.model_dump()) for key, value in session.answers.flashcards.items()}
    practised: list[str] = []
    """Cards answered during this visit, oldest first: they wait behind the cards not seen yet."""
    cards = Flashcards()
    missing = session.module.film.signs_without_clip(words)

    def clip(word: VocabularyWord) -> str:
        return media_url(session.module.film, word.clip, session.base_url)

    def show() -> None:
        due = next_cards(states, list(by_word), datetime.now())
        due.sort(key=lambda word: practised.index(word) + 1 if word in practised else 0)
        cards.summary = summary(states, list(by_word))
        cards.due = len(due)
        if not due:
            cards.card = {}
            return
        word = by_word[due[0]]
        cards.card = {
            "word": word.word,
            "category": word.category,
            "example": word.example,
            "clip": clip(word),
            "unplayable": UNPLAYABLE,
        }

    def answered(_: object) -> None:
        if not cards.card:
            return
        word = cards.card["word"]
        states[word] = states.get(word, CardState()).answered(cards.known, datetime.now())
        session.save(("flashcards", word), states[word].to_json())
        if word in practised:
            practised.remove(word)
        practised.append(word)
        cards.said = comes_back(word, states[word])
        show()

    cards.observe(answered, names="answer")
    show()
    look = "Läs ordet och meningen och gör tecknet." if len(missing) == len(words) else "Titta på tecknet och gör det."
    return [
        heading(
            "Öva tecken",
            "rk-tecken",
            f"{look} Kunde du det, kommer kortet tillbaka om några dagar. "
            "Vill du öva mer, kommer det tillbaka senare i dag.",
            level=3,
        ),
        *([block(notice)] if (notice := missing_clips_notice(len(missing), len(words))) else []),
        cards,
        block(word_list(words, clip)),
    ]


def word_list(words: list[VocabularyWord], clip: Callable[[VocabularyWord], str]) -> str:
    """The module's ordlista: categories in the module's order, words alphabetically, each with its example and
    its clip where there is one (a missing clip is said once above the cards, not for every word). Each word and
    its example are one entry, so no layout can part them."""
    by_category: dict[str, list[VocabularyWord]] = {}
    for word in words:
        by_category.setdefault(word.category, []).append(word)
    groups = []
    for category, members in by_category.items():
        rows = []
        for word in sorted(members, key=lambda word: word.word):
            address = clip(word)
            shown = (
                f' <a href="{text(address)}">Se tecknet'
                f'<span class="rk-visually-hidden"> för {text(word.word)}</span></a>'
                if address
                else ""
            )
            rows.append(f"<div><dt>{text(word.word)}</dt><dd>{text(word.example)}{shown}</dd></div>")
        groups.append(f'<h4>{text(category)}</h4><dl class="rk-words">{"".join(rows)}</dl>')
    return (
        f'<details class="rk-wordlist rk-disclosure" id="rk-ordlista">'
        f"<summary>Ordlista – alla {number(len(words))} ord</summary>"
        f"{''.join(groups)}</details>"
    )
