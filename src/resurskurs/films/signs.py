"""`resurskurs signs add`: the TAKK sign clips, one short file per word, matched to the vocabulary by file name.

Suppliers name clips as people write the word ("Rädd.mov", "min_tur.mp4"); the vocabulary's `clip`
paths are folded to ASCII (media/takk/radd.mp4). Both sides are compared by one key. Each clip is
checked and converted like a film (H.264 with the index first, sound kept when there is any) and put
in place atomically; a broken clip is reported and the others are still added.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from resurskurs.catalog.load import Module
from resurskurs.films.media import MediaError, probe, run_ffmpeg, staged
from resurskurs.schema.media import is_remote

CLIP_HEIGHT = 480
TRUNCATION_SECONDS = 0.5


def key(text: str) -> str:
    """'Min tur' and 'min_tur', 'Rädd' and 'radd' alike: accents dropped, case folded, spaces as dashes."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", "-", letters.casefold().strip())


@dataclass
class SignReport:
    added: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    without_clip: list[str] = field(default_factory=list)
    """Words whose clip is still missing after this run."""
    without_word: list[str] = field(default_factory=list)
    """Files in the folder that match no word."""


def add_signs(module: Module, folder: Path, say: Callable[[str], None]) -> SignReport:
    """Convert every clip in `folder` that names a word to the word's `clip` path; report the rest."""
    vocabulary = module.course.vocabulary
    if not vocabulary:
        raise MediaError(f"{module.course.slug} has no vocabulary; sign clips belong to the TAKK module")
    if not folder.is_dir():
        raise MediaError(f"{folder}: not a folder; expected a folder with one clip per word")
    words = {key(word.word): word for word in vocabulary}
    report = SignReport()
    for file in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        if file.is_symlink() or not file.is_file():
            if file.is_symlink():
                report.broken.append(f"{file.name}: a link, not followed; copy the clip itself into the folder")
            continue
        word = words.get(key(file.stem))
        if word is None:
            report.without_word.append(file.name)
            continue
        if word.clip is None or is_remote(word.clip):
            report.broken.append(f"{file.name}: the word {word.word!r} has no local `clip:` in course.yaml to fill")
            continue
        target = module.film.file.parent / word.clip
        try:
            _convert(file, target)
        except MediaError as error:
            report.broken.append(str(error))
            continue
        report.added.append(word.word)
        say(f"{word.word}: {file.name} → films/{word.clip}")
    report.without_clip = [word.word for word in module.film.signs_without_clip(vocabulary)]
    return report


def _convert(file: Path, target: Path) -> None:
    found = probe(file)
    if found.video is None:
        raise MediaError(f"{file}: sound only, no picture; expected a clip that shows the sign")
    with staged() as staging:
        made = staging.temporary(target)
        run_ffmpeg(
            ["-i", str(file), "-map", "0:v:0", "-map", "0:a:0?", "-vf", f"scale=-2:'min({CLIP_HEIGHT},trunc(ih/2)*2)'",
             "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-pix_fmt", "yuv420p", "-c:a", "aac",
             "-b:a", "64k", "-movflags", "+faststart", "-f", "mp4", str(made)],
            found.duration,
        )  # fmt: skip
        if probe(made).duration < found.duration - TRUNCATION_SECONDS:
            raise MediaError(f"{file}: the clip breaks off before its stated end; the file is truncated or damaged")
        staging.commit()
