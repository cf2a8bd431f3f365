"""The film manifest: what the player needs to show a lecture, and what proves it is accessible."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from resurskurs.schema.base import Slug, Strict, Text
from resurskurs.schema.media import FileName, MediaSource
from resurskurs.schema.timecode import Timecode, format_timecode

LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]


class Speaker(Strict):
    """Who speaks in the film; the profession tells staff which lens the lecture takes."""

    name: Text
    profession: Text


class FilmChapter(Strict):
    """A span of the film. Times live here only; course chapters refer to these by id."""

    id: Slug
    title: Text
    start: Timecode
    end: Timecode

    @model_validator(mode="after")
    def _ends_after_start(self) -> FilmChapter:
        if self.end <= self.start:
            raise ValueError(f"end ({format_timecode(self.end)}) must come after start ({format_timecode(self.start)})")
        return self


class SignLanguageVersion(Strict):
    """The same film with a signing interpreter in picture, for staff and guardians who sign."""

    source: MediaSource
    language: Text = "svenskt teckenspråk"


class FilmManifest(Strict):
    """One lecture film. Subtitle and transcript names are files beside the manifest in films/."""

    title: Text
    speakers: list[Speaker] = Field(min_length=1)
    duration: Timecode
    source: MediaSource
    small: MediaSource | None = None
    """The same film smaller, for weak connections; `resurskurs film add` makes it and the player may choose it."""
    poster: MediaSource | None = None
    chapters: list[FilmChapter] = Field(min_length=1)
    subtitles: dict[LanguageCode, FileName] = Field(default_factory=dict)
    transcript: FileName | None = None
    sign_language: SignLanguageVersion | None = None
