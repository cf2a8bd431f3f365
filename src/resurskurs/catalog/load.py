"""Load the whole content tree once, validate it, and keep every problem rather than the first."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from resurskurs.catalog import crosschecks
from resurskurs.catalog.problems import ContentError, Problem, sorted_problems
from resurskurs.catalog.subtitles import Cue, read_subtitles
from resurskurs.catalog.transcript import Transcript, read_transcript
from resurskurs.catalog.validation import validate_document
from resurskurs.catalog.yaml_source import YamlDocument, read_yaml
from resurskurs.schema import Course, FilmManifest, VocabularyWord
from resurskurs.schema.media import is_remote

COURSE_FILE = "course.yaml"


@dataclass(frozen=True)
class Film:
    """A validated manifest with its side files read."""

    name: str
    manifest: FilmManifest
    file: Path
    subtitles: dict[str, list[Cue]]
    transcript: Transcript | None

    def local_path(self, source: str) -> Path | None:
        """The file a media source names on this machine, or None for a remote address."""
        return None if is_remote(source) else self.file.parent / source

    def has(self, source: str | None) -> bool:
        """Whether a media source can be played here: a remote address, or a local file that is present."""
        if not source:
            return False
        path = self.local_path(source)
        return path is None or path.is_file()

    @property
    def has_media(self) -> bool:
        """Whether the film can be played: a remote address, or a local file that is present."""
        return self.has(self.manifest.source)

    def signs_without_clip(self, words: list[VocabularyWord]) -> list[VocabularyWord]:
        """The words whose sign clip is not here (none named, or its file not added yet): the player and the
        deck say so once instead of promising a film."""
        return [word for word in words if not self.has(word.clip)]


@dataclass(frozen=True)
class Module:
    """A course together with its film: the unit the player, nbgrader and the deck are built from."""

    course: Course
    film: Film
    file: Path


@dataclass
class Catalog:
    root: Path
    modules: list[Module] = field(default_factory=list)
    films: dict[str, Film] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def module(self, slug: str) -> Module:
        for module in self.modules:
            if module.course.slug == slug:
                return module
        raise KeyError(slug)


def load_catalog(root: Path) -> Catalog:
    """Read root/films/*.yaml and root/courses/*/course.yaml; invalid files land in `problems`."""
    catalog = Catalog(root)
    courses_dir, films_dir = root / "courses", root / "films"
    for folder in (courses_dir, films_dir):
        if not folder.is_dir():
            catalog.problems.append(
                Problem(folder, "folder not found; expected courses/ and films/ under the content root")
            )
    if catalog.problems:
        return catalog
    for file in sorted(films_dir.glob("*.yaml")):
        try:
            catalog.films[file.stem] = _load_film(file)
        except ContentError as error:
            catalog.problems += error.problems
    for folder in sorted(p for p in courses_dir.iterdir() if p.is_dir()):
        file = folder / COURSE_FILE
        if not file.is_file():
            catalog.problems.append(Problem(folder, f"expected a {COURSE_FILE} in every course folder"))
            continue
        try:
            catalog.modules.append(_load_module(file, catalog.films, films_dir))
        except ContentError as error:
            catalog.problems += error.problems
    catalog.problems = sorted_problems(catalog.problems)
    return catalog


def _load_film(file: Path) -> Film:
    document = read_yaml(file)
    manifest = validate_document(FilmManifest, document)
    problems = crosschecks.check_film(manifest, document)
    subtitles: dict[str, list[Cue]] = {}
    for language, name in manifest.subtitles.items():
        path = _side_file(file, name, document, ("subtitles", language), problems)
        if path is not None:
            try:
                subtitles[language] = read_subtitles(path)
            except ContentError as error:
                problems += error.problems
                continue
            problems += crosschecks.check_subtitles(manifest, document, language, subtitles[language])
    transcript = None
    if manifest.transcript is not None:
        path = _side_file(file, manifest.transcript, document, ("transcript",), problems)
        if path is not None:
            try:
                transcript = read_transcript(path)
            except ContentError as error:
                problems += error.problems
            else:
                problems += crosschecks.check_transcript(manifest, document, transcript)
    if problems:
        raise ContentError(problems)
    return Film(file.stem, manifest, file, subtitles, transcript)


def _side_file(
    manifest_file: Path, name: str, document: YamlDocument, loc: tuple[str, ...], problems: list[Problem]
) -> Path | None:
    path = manifest_file.parent / name
    if path.is_file():
        return path
    problems.append(document.problem(loc, f"file {name!r} not found beside the manifest", ".".join(loc)))
    return None


def _load_module(file: Path, films: dict[str, Film], films_dir: Path, document: YamlDocument | None = None) -> Module:
    document = document or read_yaml(file)
    course = validate_document(Course, document)
    film = films.get(course.film)
    if film is None:
        if (films_dir / f"{course.film}.yaml").is_file():
            raise ContentError(
                [
                    document.problem(
                        ("film",),
                        f"the film {course.film!r} has problems of its own (see films/{course.film}.yaml)",
                        "film",
                    )
                ]
            )
        close = difflib.get_close_matches(course.film, [p.stem for p in films_dir.glob("*.yaml")], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ContentError([document.problem(("film",), f"no film manifest films/{course.film}.yaml{hint}", "film")])
    problems = crosschecks.check_course(course, document, film.manifest, file.parent.name)
    if problems:
        raise ContentError(problems)
    return Module(course, film, file)
