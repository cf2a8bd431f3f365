"""`resurskurs film add`: a real lecture film into its module, checked against the course before anything changes.

The resource team's films come from a camera or a video supplier (MP4, H.264, often 1080p, 20–30
minutes, often with an .srt). From one we make what every current browser plays, with the index at the
front so playing starts before the whole file is loaded, a smaller one for weak wifi, and a poster;
the supplier's subtitles are converted to WebVTT and held to the project's rules. Everything is
written to temporary files and renamed into place at the end, so a broken file changes nothing.

Without subtitles, the script is aligned to the speech by its pauses (films/align.py): no well-kept
forced aligner runs offline without downloading a speech model (aeneas needs espeak and a C build and
is unmaintained; the Kaldi-, wav2vec- and Whisper-based ones fetch models at run time), so each cue,
first timed at reading speed within its chapter, is moved to the nearest speech onset, with a warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from resurskurs.catalog.load import Film, Module
from resurskurs.catalog.subtitles import Cue, seconds
from resurskurs.files import write_atomically
from resurskurs.films.align import align, speech_onsets
from resurskurs.films.chapters import ChapterError, chapters_from_subtitles, stops_outside
from resurskurs.films.manifest import manifest_data, manifest_text
from resurskurs.films.media import MediaError, Probe, probe, run_ffmpeg, staged
from resurskurs.films.script import LINE_WIDTH, time_script, write_vtt
from resurskurs.films.stamp import stamp_file
from resurskurs.schema import FilmChapter
from resurskurs.schema.timecode import format_timecode as tc

MAX_LINES = 2
MAX_CHARS_PER_SECOND = 17.0
"""AUTHORING.md asks for about 14 characters a second; above this a cue is named in a warning."""
TRUNCATION_SECONDS = 1.0
WebVersion = tuple[str, int, str, str]
WEB_VERSIONS: tuple[WebVersion, WebVersion] = (
    # (suffix, height, video quality, sound bitrate): the main version, then the one for weak connections.
    ("", 720, "23", "128k"),
    (".small", 360, "28", "64k"),
)
SIGN_LANGUAGE_SUFFIX = ".teckensprak.mp4"
SIGN_LANGUAGE_DRIFT_SECONDS = 2.0
"""The player switches to the sign-language version at the same second, so the two must be nearly as long."""
NO_ALIGNMENT = (
    "no --subtitles: the subtitles follow the script, each cue moved to the pause in the speech nearest its "
    "reading-speed time in its chapter (pause alignment: no speech model runs offline). Watch them once, or add "
    "the supplier's subtitles with --subtitles FILE.srt when you have them."
)

Say = Callable[[str], None]


@dataclass
class Added:
    """What `add_film` wrote, and what the person should still look at."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def add_film(
    module: Module,
    file: Path,
    subtitles: Path | None,
    say: Say,
    sign_language: Path | None = None,
    keep_chapters: bool = False,
) -> Added:
    """Check the film against the course, make the web versions, poster and subtitles, and update the manifest.

    With the supplier's subtitles the chapter times come from them (unless `keep_chapters`); a sign-language
    version is checked against the film and made the same way, so the player can switch at the same moment."""
    film = module.film
    say(f"checking {file.name} …")
    found = probe(file)
    usable(file, found)
    signed = (sign_language, _sign_language_probe(sign_language, found)) if sign_language is not None else None
    added = Added()
    cues = supplier_cues(subtitles, found.duration, added.warnings) if subtitles is not None else None
    chapters = film.manifest.chapters
    if subtitles is not None and cues is not None and not keep_chapters:
        chapters = _chapters_from(module, subtitles, cues, found.duration, say)
    covers(module, file, found.duration, chapters)
    if subtitles is None:
        cues = script_cues(film, added.warnings)
        if cues is not None:
            say("listening for the pauses in the speech …")
            cues = align(cues, chapters, speech_onsets(file))
    media = film.file.parent / "media"
    main, small, poster = media / f"{film.name}.mp4", media / f"{film.name}.small.mp4", media / f"{film.name}.jpg"
    sign = media / f"{film.name}{SIGN_LANGUAGE_SUFFIX}" if signed is not None else None
    vtt = film.file.parent / film.manifest.subtitles.get("sv", f"{film.name}.sv.vtt")
    added.files = [main, small, poster, *([sign] if sign else []), film.file, *([vtt] if cues is not None else [])]
    with staged() as staging:
        made = {target: staging.temporary(target) for target in added.files}
        _encode(
            "making the web versions", file, found, [(WEB_VERSIONS[0], made[main]), (WEB_VERSIONS[1], made[small])], say
        )
        if signed is not None and sign is not None:
            _encode("making the sign-language version", *signed, [(WEB_VERSIONS[0], made[sign])], say)
        _poster(made[main], found.duration, made[poster])
        if cues is not None:
            write_vtt(cues, made[vtt])
        media_files = {"source": main, "small": small, "poster": poster}
        text = _manifest(film, found.duration, chapters, media_files, vtt, sign)
        made[film.file].write_text(text, encoding="utf-8")
        staging.commit()
    stamp = stamp_file(film)
    if stamp is not None:
        stamp.unlink(missing_ok=True)
    return added


def set_chapters(module: Module, subtitles: Path | None, write: bool, say: Say) -> list[FilmChapter]:
    """Chapter times from the film's subtitles (or the supplier's file), said one by one and written when asked.

    For a film already added: the subtitles are the film's Swedish ones unless a file is named, and the
    film's length is the manifest's duration, which `film add` set from the film itself."""
    film = module.film
    duration = film.manifest.duration
    if subtitles is not None:
        cues = supplier_cues(subtitles, duration, [])
    elif "sv" in film.subtitles:
        subtitles, cues = film.file.parent / film.manifest.subtitles["sv"], film.subtitles["sv"]
    else:
        raise MediaError(f"{film.file}: no Swedish subtitles to read chapter times from; expected --subtitles FILE")
    chapters = _chapters_from(module, subtitles, cues, duration, say)
    if write:
        data = manifest_data(film)
        data["chapters"] = _chapter_entries(data, chapters)
        write_atomically(film.file, manifest_text(film, data).encode("utf-8"))
    return chapters


def _sign_language_probe(file: Path, film: Probe) -> Probe:
    """The sign-language version is the same film with an interpreter in picture: a picture, and the film's length."""
    found = probe(file)
    if found.video is None:
        raise MediaError(
            f"{file}: sound only ({found.audio}), no picture; expected the film with the sign-language interpreter in "
            "picture (--sign-language)"
        )
    if abs(found.duration - film.duration) > SIGN_LANGUAGE_DRIFT_SECONDS:
        raise MediaError(
            f"{file}: the sign-language version is {tc(round(found.duration, 3))} long and the film "
            f"{tc(round(film.duration, 3))}; expected the same film with the interpreter in picture, at most "
            f"{SIGN_LANGUAGE_DRIFT_SECONDS:.0f} s apart, so the player can switch between them at the same moment"
        )
    return found


def _chapters_from(module: Module, subtitles: Path, cues: list[Cue], duration: float, say: Say) -> list[FilmChapter]:
    """Chapter times from the supplier's subtitles, held to the course's stops; a chapter not found is an error."""
    keep = "; or keep the chapter times in the manifest (film add --keep-chapters)"
    try:
        chapters = chapters_from_subtitles(module.film, cues, duration)
    except ChapterError as error:
        raise ChapterError(f"{subtitles}: {error}{keep}") from None
    outside = stops_outside(module, chapters)
    if outside:
        raise ChapterError(
            f"{subtitles}: with the chapter times from the subtitles, "
            + "; ".join(outside)
            + f". Expected each stop inside its chapter: move its `at:` in {module.file}{keep}"
        )
    for old, new in zip(module.film.manifest.chapters, chapters, strict=True):
        say(f"chapter {new.id}: {tc(new.start)}–{tc(new.end)} from the subtitles (was {tc(old.start)}–{tc(old.end)})")
    return chapters


def usable(file: Path, found: Probe) -> None:
    """A lecture film has a picture and sound."""
    if found.video is None:
        raise MediaError(f"{file}: sound only ({found.audio}), no picture; expected the filmed lecture")
    if found.audio is None:
        raise MediaError(f"{file}: a picture ({found.video}) but no sound; expected the filmed lecture with speech")


def covers(module: Module, file: Path, duration: float, chapters: Sequence[FilmChapter]) -> None:
    """Every chapter ends and every stop lies inside the film."""
    spans = {chapter.id: chapter for chapter in chapters}
    short = [
        f"chapter {chapter.id!r} ({chapter.title}) ends at {tc(chapter.end)}"
        for chapter in chapters
        if chapter.end > duration
    ]
    for chapter in module.course.preparation.chapters:
        for stop in chapter.stops:
            at = stop.at if stop.at is not None else spans[chapter.film_chapter].end
            if at > duration:
                short.append(f"stop {stop.id!r} comes at {tc(at)}")
    if short:
        raise MediaError(
            f"{file}: the film is {tc(round(duration, 3))} long, shorter than {module.course.slug} needs: "
            + "; ".join(short)
            + f". Expected the whole film, or set the chapter times in {module.film.file.name} to this film first."
        )


def supplier_cues(file: Path, duration: float, warnings: list[str]) -> list[Cue]:
    """The supplier's .srt or .vtt as cues, held to the subtitle rules; a broken rule is an error, speed a warning."""
    readers = {".srt": webvtt.from_srt, ".vtt": webvtt.read}
    reader = readers.get(file.suffix.lower())
    if reader is None:
        raise MediaError(f"{file}: expected subtitles as .srt or .vtt")
    try:
        captions = reader(str(file))
    except (MalformedFileError, MalformedCaptionError, UnicodeDecodeError, OSError) as error:
        raise MediaError(f"{file}: cannot read the subtitles ({error}); expected an .srt or .vtt file") from None
    cues = [Cue(seconds(caption.start), seconds(caption.end), caption.text.strip()) for caption in captions]
    if not cues:
        raise MediaError(f"{file}: no subtitles in the file")
    problems = []
    previous, end = 0.0, round(duration, 3)
    for number, cue in enumerate(cues, start=1):
        where = f"cue {number} ({tc(round(cue.start, 3))})"
        lines = cue.text.splitlines()
        if cue.end <= cue.start:
            problems.append(f"{where} ends before it starts")
        if cue.start < previous:
            problems.append(f"{where} starts before the cue ahead of it")
        if cue.end > duration + TRUNCATION_SECONDS:
            problems.append(f"{where} runs past the film's end at {tc(end)}")
        if len(lines) > MAX_LINES:
            problems.append(f"{where} has {len(lines)} lines; at most {MAX_LINES}")
        long = [line for line in lines if len(line) > LINE_WIDTH]
        problems += [f"{where}: line {line!r} is over {LINE_WIDTH} characters" for line in long]
        speed = len(" ".join(lines)) / max(cue.end - cue.start, 0.001)
        if cue.end > cue.start and speed > MAX_CHARS_PER_SECOND:
            warnings.append(f"{file.name}: {where} asks for {speed:.0f} characters a second; about 14 reads well")
        previous = cue.start
    if problems:
        raise MediaError(f"{file}: the subtitles break the rules in docs/AUTHORING.md: " + "; ".join(problems))
    return [Cue(cue.start, min(cue.end, end), cue.text) for cue in cues]


def script_cues(film: Film, warnings: list[str]) -> list[Cue] | None:
    """The script's cues fitted into the manifest's chapter spans; None keeps subtitles not made from the script."""
    if film.transcript is None:
        raise MediaError(f"{film.file}: no transcript to time subtitles from; expected --subtitles FILE.srt")
    timed = time_script(film.transcript)
    existing = film.subtitles.get("sv")
    if existing is not None and [cue.text for cue in existing] != [cue.text for cue in timed.cues]:
        warnings.append(
            f"no --subtitles: kept {film.manifest.subtitles['sv']}, which was not made from the script; "
            "check that it follows this film"
        )
        return None
    warnings.append(NO_ALIGNMENT)
    cues = []
    for (script_start, script_end), chapter in zip(timed.chapters, film.manifest.chapters, strict=True):
        scale = (chapter.end - chapter.start) / (script_end - script_start)
        cues += [
            Cue(
                round(chapter.start + (cue.start - script_start) * scale, 3),
                round(chapter.start + (cue.end - script_start) * scale, 3),
                cue.text,
            )
            for cue in timed.cues
            if script_start <= cue.start < script_end
        ]
    return cues


def _encode(doing: str, file: Path, found: Probe, versions: list[tuple[WebVersion, Path]], say: Say) -> None:
    """Versions from one decoding: H.264 and AAC in MP4 with the index first, which every current browser plays.

    A version is only as long as ffmpeg could read: one shorter than the file says means a truncated file."""
    arguments = ["-i", str(file)]
    for (_, height, quality, sound), target in versions:
        arguments += ["-map", "0:v:0", "-map", "0:a:0?", "-vf", f"scale=-2:'min({height},trunc(ih/2)*2)'"]
        arguments += ["-c:v", "libx264", "-preset", "veryfast", "-crf", quality, "-pix_fmt", "yuv420p"]
        arguments += ["-c:a", "aac", "-b:a", sound, "-ac", "2", "-movflags", "+faststart", "-f", "mp4", str(target)]
    shown = -1

    def progress(share: float) -> None:
        nonlocal shown
        tenth = math.floor(share * 10)
        if tenth > shown:
            shown = tenth
            say(f"{doing}: {tenth * 10} %")

    run_ffmpeg(arguments, found.duration, progress)
    progress(1.0)
    made = probe(versions[0][1]).duration
    if made < found.duration - TRUNCATION_SECONDS:
        raise MediaError(
            f"{file}: the film breaks off at {tc(round(made, 3))} though it says it is {tc(round(found.duration, 3))} "
            "long; the file is truncated or damaged. Expected the whole file: copy it again from the camera or supplier"
        )


def _poster(video: Path, duration: float, target: Path) -> None:
    """A picture from early in the film (10 s in, or a tenth of a short one), not the often black first frame."""
    at = f"{min(10.0, duration / 10):.3f}"
    run_ffmpeg(["-ss", at, "-i", str(video), "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg",
                str(target)], 1.0)  # fmt: skip


def _manifest(
    film: Film,
    duration: float,
    chapters: Sequence[FilmChapter],
    media_files: dict[str, Path],
    vtt: Path,
    sign: Path | None,
) -> str:
    """The manifest with the new media, the film's real duration, chapter times and subtitles, validated."""
    data = manifest_data(film)
    updated: dict[str, Any] = {}
    for key, value in data.items():
        if key not in media_files:
            updated[key] = value
        if key == "source":
            updated.update({name: f"media/{path.name}" for name, path in media_files.items()})
    updated["duration"] = tc(round(duration, 3))
    updated["chapters"] = _chapter_entries(data, chapters)
    updated["subtitles"] = {**(data.get("subtitles") or {}), "sv": vtt.name}
    if sign is not None:
        updated["sign_language"] = {**(data.get("sign_language") or {}), "source": f"media/{sign.name}"}
    return manifest_text(film, updated)


def _chapter_entries(data: dict[str, Any], chapters: Sequence[FilmChapter]) -> list[dict[str, Any]]:
    """The manifest's chapter entries as written, with the given times."""
    return [
        {**entry, "start": tc(chapter.start), "end": tc(chapter.end)}
        for entry, chapter in zip(data["chapters"], chapters, strict=True)
    ]
