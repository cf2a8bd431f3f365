"""`resurskurs film add`: a real lecture film into its module, checked against the course before anything changes.

The resource team's films come from a camera or a video supplier (MP4, H.264, often 1080p, 20–30
minutes, often with an .srt). From one we make what every current browser plays, with the index at the
front so playing starts before the whole file is loaded, a smaller one for weak wifi, and a poster;
the supplier's subtitles are converted to WebVTT and held to the project's rules. Everything is
written to temporary files and renamed into place at the end, so a broken file changes nothing.

Without subtitles, forced alignment of the script to the speech is not done: no well-kept aligner
runs offline without downloading a speech model (aeneas needs espeak and a C build and is
unmaintained; the Kaldi-, wav2vec- and Whisper-based ones fetch models at run time). The script's
reading-speed timing is fitted into each chapter's span instead, with a warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import webvtt
import yaml
from pydantic import ValidationError
from webvtt.errors import MalformedCaptionError, MalformedFileError

from resurskurs.catalog.load import Film, Module
from resurskurs.films.media import MediaError, Probe, probe, run_ffmpeg, staged
from resurskurs.films.script import LINE_WIDTH, SCHEMA_HEADER, time_script, write_vtt
from resurskurs.films.stand_in import stamp_file
from resurskurs.films.subtitles import Cue, seconds
from resurskurs.schema import FilmManifest
from resurskurs.schema.timecode import format_timecode as tc

MAX_LINES = 2
MAX_CHARS_PER_SECOND = 17.0
"""AUTHORING.md asks for about 14 characters a second; above this a cue is named in a warning."""
TRUNCATION_SECONDS = 1.0
WEB_VERSIONS = (
    # (suffix, height, video quality, sound bitrate): the main version, then the one for weak connections.
    ("", 720, "23", "128k"),
    (".small", 360, "28", "64k"),
)
NO_ALIGNMENT = (
    "no --subtitles: the subtitles follow the script at reading speed within each chapter's span, not the "
    "speech (forced alignment was not done: no aligner runs offline without downloading a speech model). "
    "Add the supplier's subtitles with --subtitles FILE.srt when you have them."
)

Say = Callable[[str], None]


@dataclass
class Added:
    """What `add_film` wrote, and what the person should still look at."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def add_film(module: Module, file: Path, subtitles: Path | None, say: Say) -> Added:
    """Check the film against the course, make the web versions, poster and subtitles, and update the manifest."""
    film = module.film
    say(f"checking {file.name} …")
    found = probe(file)
    usable(file, found)
    covers(module, file, found.duration)
    added = Added()
    cues = (
        supplier_cues(subtitles, found.duration, added.warnings)
        if subtitles is not None
        else script_cues(film, added.warnings)
    )
    media = film.file.parent / "media"
    main, small, poster = media / f"{film.name}.mp4", media / f"{film.name}.small.mp4", media / f"{film.name}.jpg"
    vtt = film.file.parent / film.manifest.subtitles.get("sv", f"{film.name}.sv.vtt")
    added.files = [main, small, poster, film.file, *([vtt] if cues is not None else [])]
    with staged() as staging:
        made = {target: staging.temporary(target) for target in added.files}
        _web_versions(file, found, made[main], made[small], say)
        _poster(made[main], found.duration, made[poster])
        if cues is not None:
            write_vtt(cues, made[vtt])
        made[film.file].write_text(_manifest(film, found.duration, main, small, poster, vtt), encoding="utf-8")
        staging.commit()
    stamp = stamp_file(film)
    if stamp is not None:
        stamp.unlink(missing_ok=True)
    return added


def usable(file: Path, found: Probe) -> None:
    """A lecture film has a picture and sound."""
    if found.video is None:
        raise MediaError(f"{file}: sound only ({found.audio}), no picture; expected the filmed lecture")
    if found.audio is None:
        raise MediaError(f"{file}: a picture ({found.video}) but no sound; expected the filmed lecture with speech")


def covers(module: Module, file: Path, duration: float) -> None:
    """Every chapter ends and every stop lies inside the film."""
    spans = {chapter.id: chapter for chapter in module.film.manifest.chapters}
    short = [
        f"chapter {chapter.id!r} ({chapter.title}) ends at {tc(chapter.end)}"
        for chapter in module.film.manifest.chapters
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


def _web_versions(file: Path, found: Probe, main: Path, small: Path, say: Say) -> None:
    """Both versions from one decoding: H.264 and AAC in MP4 with the index first, which every current browser plays."""
    arguments = ["-i", str(file)]
    for (_, height, quality, sound), target in zip(WEB_VERSIONS, (main, small), strict=True):
        arguments += ["-map", "0:v:0", "-map", "0:a:0", "-vf", f"scale=-2:'min({height},trunc(ih/2)*2)'"]
        arguments += ["-c:v", "libx264", "-preset", "veryfast", "-crf", quality, "-pix_fmt", "yuv420p"]
        arguments += ["-c:a", "aac", "-b:a", sound, "-ac", "2", "-movflags", "+faststart", "-f", "mp4", str(target)]
    shown = -1

    def progress(share: float) -> None:
        nonlocal shown
        tenth = math.floor(share * 10)
        if tenth > shown:
            shown = tenth
            say(f"making the web versions: {tenth * 10} %")

    run_ffmpeg(arguments, found.duration, progress)
    made = probe(main).duration
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


def _manifest(film: Film, duration: float, main: Path, small: Path, poster: Path, vtt: Path) -> str:
    """The manifest with the new media, the film's real duration and the subtitles, validated before it is written."""
    data: dict[str, Any] = yaml.safe_load(film.file.read_text(encoding="utf-8"))
    updated: dict[str, Any] = {}
    for key, value in data.items():
        if key not in ("small", "poster"):
            updated[key] = value
        if key == "source":
            updated.update(source=f"media/{main.name}", small=f"media/{small.name}", poster=f"media/{poster.name}")
    updated["duration"] = tc(round(duration, 3))
    updated["subtitles"] = {**(data.get("subtitles") or {}), "sv": vtt.name}
    try:
        FilmManifest.model_validate(updated)
    except ValidationError as error:
        raise MediaError(f"{film.file}: the updated manifest would not be valid: {error}") from None
    return SCHEMA_HEADER + yaml.safe_dump(updated, sort_keys=False, allow_unicode=True, width=100)
