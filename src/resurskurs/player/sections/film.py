"""Part A's film: chapters, reflection stops and subtitles, bound to what the learner watched and wrote."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as w

from resurskurs.catalog.load import Film
from resurskurs.films import stamp
from resurskurs.player.session import ModuleSession
from resurskurs.schema.vocabulary import Part
from resurskurs.ui.html import block
from resurskurs.ui.markup import part_heading, text
from resurskurs.ui.widgets import FilmPlayer

INTRO = (
    "Titta på filmen kapitel för kapitel. Vid varje reflektionsstopp kan du skriva i din loggbok. "
    "Bara du ser loggboken."
)
SUBTITLE_LANGUAGES = {"sv": "Svenska"}
log = logging.getLogger("resurskurs")


def media_url(film: Film, source: str | None, base_url: str) -> str:
    """A URL the browser can load, or "" when the local file is missing (the player then shows text)."""
    if not source or not film.has(source):
        return ""
    return source if film.local_path(source) is None else f"{base_url}resurskurs/films/{source}"


def film_section(session: ModuleSession) -> list[w.Widget]:
    heading = block(part_heading(Part.A, session.course.preparation.minutes) + f"<p>{text(INTRO)}</p>")
    return [heading, film_player(session)]


def film_player(session: ModuleSession) -> FilmPlayer:
    film = session.module.film
    manifest = film.manifest
    saved = session.answers.film
    spans = {chapter.id: chapter for chapter in manifest.chapters}
    chapters = []
    stops = []
    for chapter in session.course.preparation.chapters:
        span = spans[chapter.film_chapter]
        chapters.append(
            {"id": span.id, "title": span.title, "start": span.start, "end": span.end, "summary": chapter.summary}
        )
        stops += [
            {
                "id": stop.id,
                "at": stop.at if stop.at is not None else span.end,
                "prompt": stop.prompt,
                "pause_seconds": stop.pause_seconds,
                "chapter": span.id,
            }
            for stop in chapter.stops
        ]
    base_url = session.base_url
    player = FilmPlayer(
        src=media_url(film, manifest.source, base_url),
        small_src=media_url(film, manifest.small, base_url),
        poster=media_url(film, manifest.poster, base_url),
        sign_src=media_url(film, manifest.sign_language.source if manifest.sign_language else None, base_url),
        notice=stamp.NOTICE if stamp.is_stand_in(film) else "",
        tracks=[
            {
                "srclang": lang,
                "label": SUBTITLE_LANGUAGES.get(lang, lang),
                "default": lang == "sv",
                "src": f"{base_url}resurskurs/films/{name}",
            }
            for lang, name in manifest.subtitles.items()
        ],
        chapters=chapters,
        stops=stops,
        cues=[{"start": cue.start, "text": cue.text} for cue in film.subtitles.get("sv", [])],
        allow_skip=session.course.preparation.allow_skipping_ahead,
        position=saved.position,
        watched=saved.watched,
        completed_once=saved.completed_once,
        chapters_read=saved.chapters_read,
        logbook=dict(session.answers.logbook),
    )

    def film_changed(_: object) -> None:
        session.save(
            ("film",),
            {
                "position": player.current_time,
                "watched": player.watched,
                "completed_once": player.completed_once,
                "chapters_read": player.chapters_read,
            },
        )

    player.observe(film_changed, names=["current_time", "watched", "completed_once", "chapters_read"])

    def logbook_changed(change: dict[str, Any]) -> None:
        old, new = change["old"] or {}, change["new"] or {}
        if not isinstance(new, dict):
            log.warning("refused a logbook that is not a mapping in %s", session.course.slug)
            return
        for stop_id, note in new.items():
            if old.get(stop_id) != note:
                session.save(("logbook", str(stop_id)), note)

    player.observe(logbook_changed, names="logbook")
    return player
