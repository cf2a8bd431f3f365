"""Narrated stand-ins: a playable film in every module until the resource team adds the real lecture.

Made on this machine from the lecture script as `resurskurs subtitles` timed it: each Swedish
subtitle cue is spoken by Debian's espeak-ng voice (its library, called in this process: a process per
cue cost more than the speech) inside the cue's own time span, over one card per
chapter, so subtitles, chapters and stops line up with the speech by construction, and the manifest
stays as it is. The stand-in is written where the manifest's `source` and `poster` point, so the
player and `resurskurs list` take it for the film. A stamp beside it holds a hash of what it was made
from (made once, remade only when that changes) and the size of the file made; it labels the film in
the player as a stand-in. A file there without a matching stamp is a real film and is never touched.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import math
import shutil
import tempfile
import textwrap
import threading
import time
import wave
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from resurskurs.catalog.load import Film
from resurskurs.catalog.subtitles import Cue
from resurskurs.files import write_atomically
from resurskurs.films.media import MediaError, run_ffmpeg, staged
from resurskurs.films.stamp import NOTICE, is_stand_in, read_stamp, stamp_file
from resurskurs.paths import FONT_FILE
from resurskurs.schema.timecode import format_timecode

ESPEAK_LIBRARY = "libespeak-ng.so.1"
SYNCHRONOUS, RATE, POSITION_IN_CHARACTERS, UTF8 = 2, 1, 1, 1
"""speak_lib.h: AUDIO_OUTPUT_SYNCHRONOUS, espeakRATE, POS_CHARACTER, espeakCHARS_UTF8."""
WORDS_PER_MINUTE = 160
FASTEST = 450
"""espeak-ng's highest speed; a cue spoken slower than its span allows is quickened up to this."""
FILMS_AT_ONCE = 2
SIZE = (640, 360)
CARD_COLOUR, TEXT_COLOUR, MUTED_COLOUR, NOTICE_COLOUR = "#1f4e79", "#ffffff", "#dbe8f5", "#ffbf47"
ENCODINGS = {
    ".mp4": ["-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "30", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-aac_coder", "fast", "-b:a", "24k", "-movflags", "+faststart", "-f", "mp4"],
    ".webm": ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "40k",
              "-c:a", "libopus", "-b:a", "24k", "-f", "webm"],
}  # fmt: skip
"""By the file name the manifest gives: H.264/AAC with the index first, or VP9/Opus. One frame a second."""

Report = Callable[[str], None]


def inputs_hash(film: Film) -> str:
    """What the stand-in is made from: this maker, the manifest and the Swedish subtitles."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(film.file.read_bytes())
    digest.update((film.file.parent / film.manifest.subtitles.get("sv", "")).read_bytes())
    return digest.hexdigest()


def make_stand_in(film: Film) -> str:
    """Make the film's stand-in unless it is up to date or a real film is there; say in one line what was done."""
    source, stamp = film.local_path(film.manifest.source), stamp_file(film)
    if source is None or stamp is None:
        return f"{film.name}: on the video platform ({film.manifest.source}); no stand-in needed"
    if source.is_file() and not is_stand_in(film):
        return f"{film.name}: a real film is in {source}; left as it is"
    cues = film.subtitles.get("sv")
    if not cues:
        raise MediaError(f"{film.file}: a stand-in speaks the Swedish subtitles; expected `subtitles: {{sv: ...}}`")
    if source.suffix not in ENCODINGS:
        raise MediaError(f"{film.file}: source {film.manifest.source}: expected a .mp4 or .webm file name")
    wanted = inputs_hash(film)
    if source.is_file() and read_stamp(stamp).get("inputs") == wanted:
        return f"{film.name}: stand-in up to date"
    began = time.monotonic()
    poster = film.local_path(film.manifest.poster) if film.manifest.poster else None
    ours = poster is not None and (not poster.is_file() or stamp.is_file())
    with tempfile.TemporaryDirectory(prefix="stand-in-") as work, staged() as staging:
        folder = Path(work)
        cards = _cards(film, folder)
        speech = folder / "speech.wav"
        _write_speech(cues, film.manifest.duration, speech)
        video = staging.temporary(source)
        _encode(film, cards, speech, video, source.suffix)
        write_atomically(stamp, json.dumps({"inputs": wanted, "bytes": video.stat().st_size}).encode())
        if poster is not None and ours:
            shutil.copyfile(cards[0][1].with_suffix(".jpg"), staging.temporary(poster))
        staging.commit()
    size, seconds = source.stat().st_size / 1_000_000, time.monotonic() - began
    length = format_timecode(film.manifest.duration)
    return f"{film.name}: made {source.name} ({length}, {size:.1f} MB) in {seconds:.0f} s"


def make_stand_ins(films: list[Film], report: Report) -> None:
    """Every film's stand-in, one line each; two at a time, so one film's speech overlaps another's encoding."""
    voice()
    with ThreadPoolExecutor(max_workers=FILMS_AT_ONCE) as pool:
        for line in pool.map(make_stand_in, films):
            report(line)


class Voice:
    """Debian's Swedish espeak-ng voice; one per process, since the library keeps its state in globals."""

    _CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

    def __init__(self) -> None:
        try:
            library = ctypes.CDLL(ESPEAK_LIBRARY)
        except OSError:
            raise MediaError(
                "espeak-ng not found: stand-ins are narrated by Debian's Swedish voice; install it with "
                "`apt-get install espeak-ng` (as root) or run `make serve`, which does"
            ) from None
        library.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        library.espeak_SetSynthCallback.argtypes = [self._CALLBACK]
        library.espeak_SetSynthCallback.restype = None
        library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        library.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        library.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                         ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]  # fmt: skip
        self._library = library
        self.rate = int(library.espeak_Initialize(SYNCHRONOUS, 0, None, 0))
        self._chunks: list[bytes] = []
        self._callback = self._CALLBACK(self._collect)
        library.espeak_SetSynthCallback(self._callback)
        if self.rate <= 0 or library.espeak_SetVoiceByName(b"sv") != 0:
            raise MediaError("espeak-ng has no Swedish voice here; expected Debian's espeak-ng-data")
        self._lock = threading.Lock()

    def _collect(self, samples: Any, count: int, _events: Any) -> int:
        if samples and count > 0:
            self._chunks.append(ctypes.string_at(samples, count * 2))
        return 0

    def speak(self, text: str, words_per_minute: int) -> bytes:
        """The text as 16-bit mono PCM at `rate` samples a second."""
        data = text.replace("\n", " ").encode("utf-8")
        with self._lock:
            self._chunks.clear()
            self._library.espeak_SetParameter(RATE, words_per_minute, 0)
            self._library.espeak_Synth(data, len(data) + 1, 0, POSITION_IN_CHARACTERS, 0, UTF8, None, None)
            self._library.espeak_Synchronize()
            return b"".join(self._chunks)


@cache
def voice() -> Voice:
    return Voice()


def _speak(text: str, seconds: float) -> bytes:
    """One cue, quickened if needed so that it ends inside `seconds`."""
    speaker = voice()
    pcm = speaker.speak(text, WORDS_PER_MINUTE)
    spoken = len(pcm) / 2 / speaker.rate
    if spoken > seconds:
        pcm = speaker.speak(text, min(FASTEST, math.ceil(WORDS_PER_MINUTE * spoken / seconds * 1.05)))
    return pcm[: int(seconds * speaker.rate) * 2]


def _write_speech(cues: list[Cue], duration: float, file: Path) -> None:
    """Silence as long as the film, with each cue's speech laid in at the cue's start."""
    rate = voice().rate
    track = bytearray(round(duration * rate) * 2)
    for cue in cues:
        pcm = _speak(cue.text, cue.end - cue.start)
        start = round(cue.start * rate) * 2
        piece = pcm[: max(0, len(track) - start)]
        track[start : start + len(piece)] = piece
    with wave.open(str(file), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(bytes(track))


def _cards(film: Film, folder: Path) -> list[tuple[float, Path]]:
    """One card per chapter (PNG for the film, JPEG for the poster), with the time it comes up."""
    chapters = film.manifest.chapters
    cards = []
    for number, chapter in enumerate(chapters, start=1):
        image = card(film.manifest.title, f"Kapitel {number} av {len(chapters)}", chapter.title)
        file = folder / f"card-{number}.png"
        image.save(file)
        image.save(file.with_suffix(".jpg"), quality=85)
        cards.append((0.0 if number == 1 else chapter.start, file))
    return cards


def card(film_title: str, heading: str, title: str) -> Image.Image:
    """A chapter card: the film, which chapter, its title, and the stand-in label."""
    image = Image.new("RGB", SIZE, CARD_COLOUR)
    draw = ImageDraw.Draw(image)
    regular = ImageFont.truetype(str(FONT_FILE), 20)
    bold = ImageFont.truetype(str(FONT_FILE.with_name("DejaVuSans-Bold.ttf")), 34)
    small = ImageFont.truetype(str(FONT_FILE), 16)
    y = 36
    for text, font, colour, width, gap in (
        (film_title, regular, MUTED_COLOUR, 48, 14),
        (heading, regular, MUTED_COLOUR, 48, 10),
        (title, bold, TEXT_COLOUR, 30, 0),
    ):
        for line in textwrap.wrap(text, width):
            draw.text((40, y), line, font=font, fill=colour)
            y += int(font.size * 1.3)
        y += gap
    lines = textwrap.wrap(NOTICE, 62)
    for index, line in enumerate(lines):
        draw.text((40, SIZE[1] - 36 - 22 * (len(lines) - index)), line, font=small, fill=NOTICE_COLOUR)
    return image


def _encode(film: Film, cards: list[tuple[float, Path]], speech: Path, target: Path, suffix: str) -> None:
    """Each card held, one frame a second, until the next chapter (the last to the film's end), over the speech."""
    duration = film.manifest.duration
    arguments: list[str] = []
    for (start, file), (end, _) in zip(cards, [*cards[1:], (duration, cards[-1][1])], strict=True):
        seconds = max(1, round(end) - round(start))  # whole frames, counted from the film's start: no drift
        arguments += ["-loop", "1", "-framerate", "1", "-t", str(seconds), "-i", str(file)]
    joined = "".join(f"[{index}:v]" for index in range(len(cards)))
    arguments += ["-i", str(speech), "-filter_complex", f"{joined}concat=n={len(cards)}:v=1:a=0,format=yuv420p[v]"]
    arguments += ["-map", "[v]", "-map", f"{len(cards)}:a", "-g", "10", "-t", f"{duration:.3f}"]
    run_ffmpeg([*arguments, *ENCODINGS[suffix], str(target)], duration)
