"""The `resurskurs` command: the contract that other parts of the product and its users build on."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from resurskurs.catalog.load import Catalog, Module, load_catalog
from resurskurs.catalog.problems import ContentError
from resurskurs.films import script
from resurskurs.json_schema import write_schemas
from resurskurs.paths import content_root, hub_config, var_root
from resurskurs.slides.qr import DEFAULT_PUBLIC_URL
from resurskurs.tracking.course_dir import CourseDir


class CommandError(Exception):
    """An expected failure the user can put right (a bad option, an unwritable path): one message, exit 1."""


class _Commands(TyperGroup):
    """Every command runs through here, so bad input ends in a message and exit code 1, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ContentError as error:
            for problem in error.problems:
                typer.echo(problem.describe(Path.cwd()), err=True)
        except CommandError as error:
            typer.echo(str(error), err=True)
        raise typer.Exit(1)


app = typer.Typer(
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,
    help="resurskurs – interactive courses for preschool staff.",
)

RootOption = Annotated[
    Path | None,
    typer.Argument(help="Content root holding courses/ and films/ (default: this installation's)."),
]


def _catalog(root: Path | None) -> Catalog:
    return load_catalog((root or content_root()).resolve())


def _course_dir() -> CourseDir:
    """The course directory, with the folder a SQLite gradebook goes in: a fresh root has no var/ yet."""
    from sqlalchemy.engine import make_url

    course_dir = CourseDir.default()
    url = make_url(course_dir.db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(
                f"cannot create the folder {folder} for the gradebook: {error.strerror}; "
                "expected RESURSKURS_VAR (or RESURSKURS_GRADEBOOK_URL) to name a folder you can write to"
            ) from None
    return course_dir


@contextmanager
def _writing(path: Path, example: str) -> Iterator[None]:
    """Refuse a folder (or a path through a file) as the file to write, and say why a write failed.

    The writes are atomic, so a refused or failed write leaves whatever was at `path` as it was.
    """
    try:
        if path.is_dir():
            raise CommandError(f"{path} is a folder; expected -o to name the file to write, such as {path / example}")
        existing = next(parent for parent in path.parents if parent.exists())
        if not existing.is_dir():
            raise CommandError(f"cannot write {path}: {existing} is a file, not a folder")
        yield
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror}; expected -o in a folder you can write to") from None


def _check_unit(unit: str | None, db_url: str) -> None:
    """Refuse a unit that is empty or not in the roster: a slip must not give the whole district, or nothing."""
    from resurskurs.tracking.roster_import import known_units

    if unit is None:
        return
    if not unit.strip():
        raise CommandError("--unit is empty; expected a unit's name as in the roster, or no --unit at all")
    units = known_units(db_url)
    if unit not in units:
        known = ", ".join(units) or "none yet (run `resurskurs roster import FILE`)"
        raise CommandError(f"unknown unit {unit!r}; units in the gradebook: {known}")


@app.command()
def check(path: RootOption = None) -> None:
    """Validate every course, film, subtitle file and transcript; list all problems."""
    catalog = _catalog(path)
    for problem in catalog.problems:
        typer.echo(problem.describe(Path.cwd()), err=True)
    if catalog.problems:
        typer.echo(f"{len(catalog.problems)} problem(s) found.", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {len(catalog.modules)} courses, {len(catalog.films)} films.")


def _row(module: Module) -> dict[str, object]:
    course = module.course
    return {
        "slug": course.slug,
        "title": course.title,
        "chapters": len(course.preparation.chapters),
        "stops": len(course.stops),
        "quiz_items": len(course.preparation.knowledge_check.items),
        "has_media": module.film.has_media,
        "subtitles": sorted(module.film.subtitles),
    }


@app.command("list")
def list_courses(
    path: RootOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """One row per course: slug, title, chapters, stops, quiz items, media present, subtitle languages."""
    catalog = _catalog(path)
    rows = [_row(module) for module in catalog.modules]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        header = f"{'slug':<24} {'chapters':>8} {'stops':>5} {'quiz':>4}  {'media':<5} subtitles  title"
        typer.echo(header)
        for row in rows:
            typer.echo(
                f"{row['slug']:<24} {row['chapters']:>8} {row['stops']:>5} {row['quiz_items']:>4}  "
                f"{'yes' if row['has_media'] else 'no':<5} {','.join(row['subtitles']) or '-':<10} {row['title']}"  # type: ignore[arg-type]
            )
    if catalog.problems:
        typer.echo(f"{len(catalog.problems)} problem(s) left courses out; run `resurskurs check`.", err=True)
        raise typer.Exit(1)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the .schema.json files.")] = Path("schema"),
) -> None:
    """Write the JSON Schemas of course.yaml and film manifests, for editors that validate YAML."""
    for file in write_schemas(out):
        typer.echo(f"wrote {file}")


@app.command()
def subtitles(
    film: Annotated[str, typer.Argument(help="Film name, as in films/<name>.yaml.")],
    root: Annotated[Path | None, typer.Option(help="Content root (default: this installation's).")] = None,
) -> None:
    """Time a lecture script (the transcript) into Swedish subtitles and chapter times."""
    timed = script.script_film((root or content_root()) / "films" / f"{film}.yaml")
    typer.echo(f"{film}: {len(timed.cues)} cues, {len(timed.chapters)} chapters, {timed.duration:.0f} s")


@app.command("demo-clip")
def demo_clip(
    root: Annotated[Path | None, typer.Option(help="Content root (default: this installation's).")] = None,
) -> None:
    """Render the tiny demo clip and its poster (films/demo.yaml) with the bundled ffmpeg."""
    from resurskurs.films.demo_clip import make_demo_clip

    catalog = _catalog(root)
    film = catalog.films.get("demo")
    if film is None:
        typer.echo("films/demo.yaml is missing or invalid; run `resurskurs check`.", err=True)
        raise typer.Exit(1)
    for file in make_demo_clip(film):
        typer.echo(f"wrote {file} ({file.stat().st_size} bytes)")


@app.command("stand-ins")
def stand_ins(
    root: Annotated[Path | None, typer.Option(help="Content root (default: this installation's).")] = None,
) -> None:
    """Make a narrated stand-in film for every module without its real film (cached; real films are left alone)."""
    from resurskurs.films.media import MediaError
    from resurskurs.films.stand_in import make_stand_ins

    catalog = _catalog(root)
    if catalog.problems:
        raise CommandError("The content has problems; run `resurskurs check`.")
    films = list({module.film.name: module.film for module in catalog.modules}.values())
    try:
        make_stand_ins(films, typer.echo)
    except MediaError as error:
        raise CommandError(str(error)) from None


film_app = typer.Typer(no_args_is_help=True, help="The real lecture films: web versions, poster and subtitles.")
app.add_typer(film_app, name="film")


@film_app.command("add")
def film_add(
    file: Annotated[Path, typer.Argument(help="The film from the camera or supplier (MP4, MOV, …).")],
    course: Annotated[str, typer.Option(help="The module the film belongs to, as in courses/<slug>/.")],
    subtitles: Annotated[
        Path | None, typer.Option(help="The supplier's Swedish subtitles (.srt or .vtt); without, the script's timing.")
    ] = None,
    sign_language: Annotated[
        Path | None, typer.Option(help="The same film with a sign-language interpreter in picture.")
    ] = None,
    keep_chapters: Annotated[
        bool, typer.Option(help="Keep the manifest's chapter times instead of taking them from --subtitles.")
    ] = False,
    root: Annotated[Path | None, typer.Option(help="Content root (default: this installation's).")] = None,
) -> None:
    """Add a module's real film: check it against the course, make web versions, poster and subtitles.

    With --subtitles the chapter times come from them. A broken or unsuitable file is refused with the
    reason, and nothing is changed."""
    from resurskurs.films.film_add import add_film
    from resurskurs.films.media import MediaError

    module = _module(course, root)
    try:
        added = add_film(module, file, subtitles, typer.echo, sign_language, keep_chapters)
    except MediaError as error:
        raise CommandError(f"{error}\nNothing was changed.") from None
    for warning in added.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for written in added.files:
        typer.echo(f"wrote {written}")


@film_app.command("chapters")
def film_chapters(
    course: Annotated[str, typer.Option(help="The module whose film it is, as in courses/<slug>/.")],
    subtitles: Annotated[
        Path | None, typer.Option(help="Subtitles to read (.srt or .vtt); default the film's Swedish subtitles.")
    ] = None,
    write: Annotated[bool, typer.Option(help="Write the times into the film's manifest.")] = False,
    root: Annotated[Path | None, typer.Option(help="Content root (default: this installation's).")] = None,
) -> None:
    """Chapter times from the subtitles: each chapter starts where its first script line is spoken."""
    from resurskurs.films.film_add import set_chapters
    from resurskurs.films.media import MediaError

    module = _module(course, root)
    try:
        set_chapters(module, subtitles, write, typer.echo)
    except MediaError as error:
        raise CommandError(f"{error}\nNothing was changed.") from None
    typer.echo(f"wrote {module.film.file}" if write else "Nothing was changed; --write sets these times.")


def _module(course: str, root: Path | None) -> Module:
    """The module a film command is about, or the list of modules there are."""
    catalog = _catalog(root)
    try:
        return catalog.module(course)
    except KeyError:
        known = ", ".join(m.course.slug for m in catalog.modules)
        raise CommandError(f"No module {course!r}. Modules: {known}; `resurskurs check` lists problems.") from None


signs_app = typer.Typer(no_args_is_help=True, help="The TAKK sign clips, one per word.")
app.add_typer(signs_app, name="signs")


@signs_app.command("add")
def signs_add(
    folder: Annotated[Path, typer.Argument(help="A folder with one clip per word, named by the word.")],
    course: Annotated[str, typer.Option(help="The module with the vocabulary.")] = "takk",
    root: Annotated[Path | None, typer.Option(help="Content root (default: this installation's).")] = None,
) -> None:
    """Add sign clips: each matched to a word by file name, checked and converted; lists what did not match."""
    from resurskurs.films.media import MediaError
    from resurskurs.films.signs import add_signs

    catalog = _catalog(root)
    try:
        module = catalog.module(course)
    except KeyError:
        raise CommandError(f"No module {course!r}; `resurskurs check` lists problems.") from None
    try:
        report = add_signs(module, folder, typer.echo)
    except MediaError as error:
        raise CommandError(str(error)) from None
    typer.echo(f"added {len(report.added)} clip(s)")
    typer.echo(f"words without a clip ({len(report.without_clip)}): {', '.join(report.without_clip) or '-'}")
    typer.echo(f"clips without a word ({len(report.without_word)}): {', '.join(report.without_word) or '-'}")
    for problem in report.broken:
        typer.echo(f"not added: {problem}", err=True)
    if not report.added:
        typer.echo(f"No clip was added: none in {folder} is named like a word of {course}.", err=True)
    if report.broken or not report.added:
        raise typer.Exit(1)


class Via(StrEnum):
    MIXED = "mixed"
    SUBMIT = "submit"
    GRADEBOOK = "gradebook"


@contextmanager
def _quiet(log: Path) -> Iterator[None]:
    """Send this process's and its children's stderr (nbgrader's kernels, warnings) to `log` for the block."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as stream:
        os.dup2(stream.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


@app.command()
def demo(
    staff: Annotated[int, typer.Option(help="Number of staff.")] = 24,
    units: Annotated[int, typer.Option(help="Number of preschool units.")] = 2,
    seed: Annotated[int, typer.Option(help="The same seed gives the same district.")] = 1,
    via: Annotated[
        Via,
        typer.Option(
            help="mixed: hand-ins waiting for review through nbgrader, the rest as bulk rows; submit: every hand-in "
            "through nbgrader; gradebook: bulk rows only, for thousands."
        ),
    ] = Via.MIXED,
) -> None:
    """Build the fictional demo district: roster in var/roster.csv, people and assignments in the gradebook,
    and plausible progress. Progress is only added to a gradebook that has none, and a gradebook that holds
    real people is refused, so nothing real is lost or mixed with invented people."""
    from datetime import UTC, datetime

    from resurskurs.demo.district import demo_district
    from resurskurs.demo.plans import bulk_plans, mixed_plans, plan_progress, submit_plans, write_drafts
    from resurskurs.demo.releases import release_begun
    from resurskurs.district.releases import load_releases
    from resurskurs.district.roster import EMAIL_DOMAIN, ROSTER_FILE, write_roster
    from resurskurs.gradebook.progress import has_progress
    from resurskurs.paths import var_root
    from resurskurs.tracking.build import build as build_assignments
    from resurskurs.tracking.course_dir import CourseDir
    from resurskurs.tracking.people import real_people
    from resurskurs.tracking.roster_import import import_people

    real = real_people(CourseDir.default().db_url)
    if real:
        typer.echo(
            f"the gradebook holds {real} real people (not at @{EMAIL_DOMAIN}); the fictional demo district is "
            "not added to it. Point RESURSKURS_VAR (or RESURSKURS_GRADEBOOK_URL) at an empty place for a demo.",
            err=True,
        )
        raise typer.Exit(1)
    catalog = _catalog(None)
    people = demo_district(staff=staff, units=units, seed=seed)
    file = var_root() / ROSTER_FILE
    write_roster(people, file)
    typer.echo(f"wrote {file}: {len(people)} fictional people in {units} units")
    plans = plan_progress(people, catalog, seed, datetime.now(UTC))
    release_begun(var_root(), plans, people, catalog, datetime.now(UTC))
    waiting = len(catalog.modules) * units - len(load_releases(var_root()).releases)
    typer.echo(f"ledningen först: {waiting} modules wait for a principal to release them to a unit")
    course_dir = CourseDir.default()
    import_people(people, course_dir)
    build_assignments(catalog, course_dir)
    if has_progress(course_dir.db_url):
        typer.echo("the gradebook already has progress; left as it is")
        return
    write_drafts(plans, var_root())
    log = var_root() / "demo.log"

    def landing(done: int, total: int) -> None:
        typer.echo(f"\rhand-ins through nbgrader: {done}/{total}", nl=done == total)

    with _quiet(log):
        if via is Via.GRADEBOOK:
            landed = bulk_plans(plans, catalog, course_dir)
        else:
            landed = (submit_plans if via is Via.SUBMIT else mixed_plans)(plans, catalog, course_dir, landing)
    typer.echo(f"progress: {len(plans)} modules begun, {landed} handed in (nbgrader's log: {log})")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8866,
    pool_size: Annotated[int | None, typer.Option(help="Preheated kernels kept ready (default 2).")] = None,
    cull_after: Annotated[
        int, typer.Option(help="Seconds a kernel with no browser connected may idle before it is shut down.")
    ] = 600,
    demo: Annotated[bool, typer.Option(help="Demo mode: visitors pick a fictional person (var/roster.csv).")] = False,
) -> None:
    """Serve the course player on 127.0.0.1 with Voilà, preheated kernels and the supervised grader service."""
    from resurskurs.server.launch import DEFAULT_POOL_SIZE
    from resurskurs.server.launch import serve as run

    run(port, pool_size or DEFAULT_POOL_SIZE, cull_after, demo)


hub_app = typer.Typer(no_args_is_help=True, help="JupyterHub for a district (deploy/).")
app.add_typer(hub_app, name="hub")


@hub_app.command("try")
def hub_try(port: Annotated[int, typer.Option(help="The trial hub's port on 127.0.0.1.")] = 8000) -> None:
    """The district's hub on this machine: the roster's people log in by id (any password), servers run locally."""
    import importlib.util

    from resurskurs.hub.trial import run_trial
    from resurskurs.tracking.course_dir import CourseDir

    if importlib.util.find_spec("jupyterhub") is None:
        raise CommandError("JupyterHub is not installed here: pip install 'resurskurs[hub]'")
    config = hub_config()
    if config is None or not config.is_file():
        raise CommandError("deploy/jupyterhub_config.py not found: `hub try` runs from a checkout, which holds deploy/")
    course_dir = CourseDir.default()
    try:
        code = run_trial(
            config, var_root() / "hub-try", port, course_dir.db_url, var_root(), course_dir.root, content_root()
        )
    except ValueError as error:
        raise CommandError(str(error)) from None
    raise typer.Exit(code)


db_app = typer.Typer(no_args_is_help=True, help="The gradebook's schema on a live database (SQLite or PostgreSQL).")
app.add_typer(db_app, name="db")
GradebookOption = Annotated[
    str | None, typer.Option("--url", help="The gradebook (default: RESURSKURS_GRADEBOOK_URL, else var/gradebook.db).")
]


@db_app.command("upgrade")
def db_upgrade(url: GradebookOption = None) -> None:
    """Create or migrate nbgrader's tables and resurskurs' own to the newest revision; safe to run again."""
    from resurskurs.gradebook.engine import migrated
    from resurskurs.gradebook.migrations import head
    from resurskurs.tracking.course_dir import CourseDir, default_db_url

    course_dir = CourseDir.default()
    target = CourseDir(course_dir.root, url or default_db_url())
    try:
        with target.gradebook():
            pass
        migrated(target.db_url)
    except Exception as error:
        raise CommandError(f"The gradebook could not be migrated: {type(error).__name__}: {error}") from None
    typer.echo(f"the gradebook is at revision {head()} (resurskurs) with nbgrader's tables in place")


@db_app.command("check")
def db_check(url: GradebookOption = None) -> None:
    """Exit 0 when the gradebook's own tables are at the newest revision, else 1 naming what to run."""
    import sqlalchemy as sa

    from resurskurs.gradebook.engine import gradebook_exists
    from resurskurs.gradebook.migrations import current, head
    from resurskurs.tracking.course_dir import default_db_url

    target = url or default_db_url()
    if not gradebook_exists(target):
        raise CommandError("There is no gradebook yet; `resurskurs db upgrade` creates it.")
    engine = sa.create_engine(target)
    try:
        with engine.connect() as connection:
            found = current(connection)
            has_nbgrader = sa.inspect(connection).has_table("submitted_assignment")
    except sa.exc.SQLAlchemyError as error:
        raise CommandError(f"The gradebook could not be read: {error.__class__.__name__}") from None
    finally:
        engine.dispose()
    if found != head() or not has_nbgrader:
        missing = "" if has_nbgrader else ", without nbgrader's tables"
        raise CommandError(
            f"The gradebook is at revision {found or 'none'} (newest: {head()}){missing}; run `resurskurs db upgrade`."
        )
    typer.echo(f"the gradebook is up to date (revision {found})")


roster_app = typer.Typer(no_args_is_help=True, help="The roster of staff, principals and the resource team.")
app.add_typer(roster_app, name="roster")


@roster_app.command("import")
def roster_import(
    file: Annotated[Path, typer.Argument(help="CSV: id,first_name,last_name,email,unit,work_team,role")],
    sync: Annotated[
        bool, typer.Option("--sync", help="FILE is the district's full staff list: add, move, mark leavers.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With --sync: list the changes; change nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="With --sync: apply without asking (for scripts).")] = False,
) -> None:
    """Import the roster into the gradebook; bad rows are listed by line and the rest still import.

    With --sync the file is the whole staff list (CSV, or Excel's "Unicode-text"): every change is shown
    first, and a file with any bad row changes nothing, since a missing row would mark someone as left.
    """
    from resurskurs.district.roster import read_roster
    from resurskurs.tracking.roster_import import import_people

    roster = read_roster(file)
    if sync:
        _sync(file, roster, dry_run, yes)
        return
    if roster.encoding == "cp1252":
        typer.echo(
            f'{file}: not UTF-8; read as Windows-1252, as Excel saves "CSV (kommaavgränsad)". '
            'Check that å, ä and ö came out right; "CSV UTF-8 (kommaavgränsad)" avoids the guess.',
            err=True,
        )
    for problem in roster.problems:
        typer.echo(problem.describe(Path.cwd()), err=True)
    count = import_people(roster.people, _course_dir()) if roster.people else 0
    typer.echo(f"imported {count} people; {len(roster.problems)} row(s) left out")
    if roster.problems:
        raise typer.Exit(1)


def _sync(file: Path, roster: Any, dry_run: bool, yes: bool) -> None:
    from datetime import UTC, datetime

    from resurskurs.tracking.roster_sync import apply_sync, plan_sync

    if roster.problems or not roster.people:
        for problem in roster.problems:
            typer.echo(problem.describe(Path.cwd()), err=True)
        raise CommandError(
            f"{file}: personallistan har {len(roster.problems)} felaktiga rader och {len(roster.people)} hela; "
            "inget är ändrat. Rätta raderna ovan: med --sync markeras alla som saknas i listan som slutade."
        )
    course_dir = _course_dir()
    plan = plan_sync(roster.people, course_dir.db_url)
    typer.echo(plan.describe())
    if dry_run or not plan.changes:
        typer.echo("Inget är ändrat" + (" (--dry-run)." if dry_run else "."))
        return
    if not yes:
        if not sys.stdin.isatty():
            raise CommandError("Inget är ändrat: bekräfta med --yes när kommandot inte körs i en terminal.")
        if not typer.confirm("Genomför ändringarna ovan?", default=False):
            raise CommandError("Inget är ändrat.")
    apply_sync(plan, course_dir, datetime.now(UTC))
    typer.echo(f"Klart: {plan.changes} ändringar.")


@app.command()
def release(
    course: Annotated[str | None, typer.Argument(help="The module to release; leave out to list the releases.")] = None,
    unit: Annotated[list[str] | None, typer.Option(help="A unit as in the roster; repeat for several.")] = None,
    on: Annotated[str | None, typer.Option("--date", help="The date of the units' gruppträff, YYYY-MM-DD.")] = None,
    start_rule: Annotated[
        bool, typer.Option("--start", help="Turn ledningen först on: staff see only modules released to their unit.")
    ] = False,
) -> None:
    """Ledningen först for the resource team: turn it on, release a module to units, or list the releases."""
    from datetime import UTC, date, datetime

    from resurskurs.district.releases import ReleaseRefused, load_releases, release_file, start
    from resurskurs.district.releases import release as release_module
    from resurskurs.paths import var_root

    folder = var_root()
    if start_rule:
        typer.echo(f"{'turned on' if start(folder) else 'already on'}: {release_file(folder)}")
    if course is not None:
        slug = _module(course, None).course.slug
        if not unit or on is None:
            raise CommandError("expected --unit (one or more) and --date YYYY-MM-DD with the module to release")
        for name in unit:
            _check_unit(name, CourseDir.default().db_url)
        try:
            workshop = date.fromisoformat(on)
        except ValueError:
            raise CommandError(f"--date {on!r}: expected the gruppträff's date as YYYY-MM-DD") from None
        try:
            release_module(folder, slug, unit, workshop, None, datetime.now(UTC))
        except ReleaseRefused as refused:
            raise CommandError(f"{release_file(folder)}: {refused} (`resurskurs release --start`)") from None
    releases = load_releases(folder)
    if releases.problem:
        raise CommandError(f"{releases.problem}; staff see no module until the file is put right")
    if not releases.started:
        typer.echo("ledningen först is off: every module is open to everyone (`resurskurs release --start`)")
    for found in sorted(releases.releases, key=lambda r: (r.unit, r.workshop, r.slug)):
        typer.echo(f"{found.unit}\t{found.slug}\tgruppträff {found.workshop.isoformat()}")


@app.command()
def build(path: RootOption = None) -> None:
    """Generate one nbgrader assignment per module (nbgrader generate_assignment); idempotent."""
    from resurskurs.tracking.build import BuildError
    from resurskurs.tracking.build import build as build_all

    catalog = _catalog(path)
    if catalog.problems:
        typer.echo("The content has problems; run `resurskurs check`.", err=True)
        raise typer.Exit(1)
    try:
        results = build_all(catalog, _course_dir())
    except BuildError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    for result in results:
        typer.echo(f"{result.slug}: {'generated' if result.changed else 'unchanged'}")


@app.command()
def grader(once: Annotated[bool, typer.Option(help="Stop when the queue is empty.")] = False) -> None:
    """Run the grader service: store, autograde and record submissions one at a time; sync drafts as progress."""

    from resurskurs.logs import configure as configure_logs
    from resurskurs.paths import var_root
    from resurskurs.privacy.closed import close
    from resurskurs.privacy.locate import Stores
    from resurskurs.tracking import grader as service
    from resurskurs.tracking.course_dir import CourseDir

    configure_logs()
    course_dir = CourseDir.default()
    close(Stores(course_dir.db_url, var_root(), course_dir.root))
    handled = service.run(_catalog(None), course_dir, once=once, answers_root=var_root() / "answers")
    typer.echo(f"handled {handled} submission(s)")


@app.command()
def progress(
    unit: Annotated[str | None, typer.Option(help="Only this unit (förskoleenhet).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Per staff member and module: status, percent, knowledge-check score and dates."""
    from resurskurs.gradebook.progress import progress_rows
    from resurskurs.tracking.course_dir import default_db_url

    slugs = [module.course.slug for module in _catalog(None).modules]
    db_url = default_db_url()
    _check_unit(unit, db_url)
    rows = progress_rows(db_url, slugs, [unit] if unit else None)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "person": r.person_id,
                        "unit": r.unit,
                        "work_team": r.work_team,
                        "module": r.slug,
                        "status": r.status.value,
                        "complete": r.complete,
                        "percent": r.percent,
                        "score": r.score,
                        "max_score": r.score_max,
                        "started_at": r.started_at.isoformat() if r.started_at else None,
                        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for r in rows:
        score = "-" if r.score is None else f"{r.score:g}/{r.score_max:g}"
        typer.echo(f"{r.person_id:<24} {r.slug:<24} {r.status.value:<12} {r.stage.value:<12} {r.percent:>3} % {score}")


class Format(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


@app.command()
def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    unit: Annotated[str | None, typer.Option(help="One unit, as its principal sees it; the district without.")] = None,
    file_format: Annotated[
        Format, typer.Option("--format", help="xlsx: every table; csv: one row per person and module.")
    ] = Format.XLSX,
) -> None:
    """The progress report for tertial reporting: the same tables as the principal's or resource team's view."""
    from resurskurs.files import write_atomically
    from resurskurs.gradebook.progress import evaluations, progress_rows
    from resurskurs.overview.district_page import district_tables
    from resurskurs.overview.report import csv_bytes, csv_table, xlsx_bytes
    from resurskurs.overview.unit_page import unit_tables
    from resurskurs.tracking.course_dir import default_db_url

    catalog = _catalog(None)
    titles = {module.course.slug: module.course.title for module in catalog.modules}
    db_url = default_db_url()
    _check_unit(unit, db_url)
    rows = progress_rows(db_url, list(titles), [unit] if unit else None)
    if unit and not rows:
        typer.echo(f"no staff in unit {unit!r}: check the name against the roster", err=True)
        raise typer.Exit(1)
    tables = unit_tables(rows, titles) if unit else district_tables(rows, titles, evaluations(db_url, catalog))
    data = xlsx_bytes(tables) if file_format is Format.XLSX else csv_bytes(csv_table(tables))
    with _writing(output, f"rapport.{file_format.value}"):
        write_atomically(output, data)
    typer.echo(f"wrote {output}: {len(rows)} rows of progress")


@app.command()
def slides(
    slug: Annotated[str, typer.Argument(help="The module, as in courses/<slug>/.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The .pptx file to write.")],
    unit: Annotated[
        str | None, typer.Option(help="Add this unit's progress and, from 5 answers, its evaluation.")
    ] = None,
    template: Annotated[
        Path | None, typer.Option(help="A .pptx whose layouts the deck uses (default: the project's own).")
    ] = None,
    public_url: Annotated[
        str, typer.Option(envvar="RESURSKURS_PUBLIC_URL", help="The player's address, for the QR code.")
    ] = DEFAULT_PUBLIC_URL,
) -> None:
    """Write the workshop deck for one module: PowerPoint slides with speaker notes for the group session."""
    from resurskurs.slides.deck import write_deck
    from resurskurs.slides.fitting import FontError
    from resurskurs.slides.qr import course_url, only_this_computer
    from resurskurs.slides.template import TemplateError

    catalog = _catalog(None)
    try:
        module = catalog.module(slug)
    except KeyError:
        known = ", ".join(m.course.slug for m in catalog.modules)
        typer.echo(f"No module {slug!r}. Modules: {known}. Run `resurskurs check` if one is missing.", err=True)
        raise typer.Exit(1) from None
    progress = evaluation = None
    if unit is not None:
        from resurskurs.gradebook.progress import unit_figures
        from resurskurs.tracking.course_dir import default_db_url

        db_url = default_db_url()
        _check_unit(unit, db_url)
        progress, evaluation = unit_figures(db_url, catalog, slug, unit)
    try:
        with _writing(out, f"{slug}.pptx"):
            file = write_deck(
                out,
                module,
                template=template,
                progress=progress,
                evaluation=evaluation,
                course_url=course_url(slug, public_url),
            )
    except (TemplateError, FontError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {file} ({file.stat().st_size // 1024} kB)")
    if only_this_computer(public_url):
        typer.echo(
            f"note: the QR code leads to {public_url}, this computer's own address, which no phone can open; "
            "give the address staff reach with --public-url or RESURSKURS_PUBLIC_URL",
            err=True,
        )

privacy_app = typer.Typer(
    no_args_is_help=True, help="Personal data: the register, export, erasure and the audit trail."
)
app.add_typer(privacy_app, name="privacy")


def _stores() -> Any:
    from resurskurs.paths import var_root
    from resurskurs.privacy.locate import Stores

    course_dir = _course_dir()
    return Stores(course_dir.db_url, var_root(), course_dir.root)


@privacy_app.command("register")
def privacy_register(
    markdown: Annotated[bool, typer.Option(help="docs/PERSONAL_DATA.md's Markdown instead of plain text.")] = False,
    out: Annotated[Path | None, typer.Option("-o", help="Write to this file instead of printing.")] = None,
) -> None:
    """Print the register of personal data in Swedish: what, why, who reads it, how long it is kept."""
    from resurskurs.files import write_atomically
    from resurskurs.privacy.document import register_markdown, register_text

    text = register_markdown() if markdown else register_text()
    if out is None:
        typer.echo(text, nl=False)
        return
    with _writing(out, "PERSONAL_DATA.md"):
        write_atomically(out, text.encode())
    typer.echo(f"wrote {out}")


@privacy_app.command("export")
def privacy_export(
    person: Annotated[str, typer.Argument(help="The person's id, as in the roster.")],
    out: Annotated[Path, typer.Option("-o", help="The zip file to write.")],
) -> None:
    """Everything held about one person (GDPR art. 15), as JSON and a Swedish HTML summary in one zip."""
    from resurskurs.privacy.export import NothingHeld, export

    with _writing(out, f"{person}.zip"):
        try:
            summary = export(_stores(), person, out)
        except NothingHeld as error:
            raise CommandError(str(error)) from None
    typer.echo(f"wrote {out}: {summary}")


@privacy_app.command("erase")
def privacy_erase(
    person: Annotated[str, typer.Argument(help="The person's id, as in the roster.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would go; change nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking (for scripts).")] = False,
) -> None:
    """Remove one person from every store in the register, all or nothing (GDPR art. 17, leavers)."""
    from resurskurs.privacy.erase import EraseFailed, NothingHeld, erase, plan

    stores = _stores()
    try:
        planned = plan(stores, person)
    except NothingHeld as error:
        raise CommandError(str(error)) from None
    typer.echo(planned.describe())
    if dry_run:
        typer.echo("Inget är ändrat (--dry-run).")
        return
    if not yes:
        if not sys.stdin.isatty():
            raise CommandError("Inget är raderat: bekräfta med --yes när kommandot inte körs i en terminal.")
        if not typer.confirm(f"Radera allt ovan om {person}? Det går inte att ångra.", default=False):
            raise CommandError("Inget är raderat.")
    try:
        erase(stores, planned)
    except EraseFailed as error:
        raise CommandError(str(error)) from None
    typer.echo(f"Raderat: {person} finns inte längre i resurskurs.")


@privacy_app.command("retain")
def privacy_retain(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what has passed its date; remove nothing.")] = False,
) -> None:
    """Remove what has passed its retention date (var/retention.toml, else the register's defaults); logged."""
    from resurskurs.privacy.retention import RetentionSettingsError, retain

    try:
        run = retain(_stores(), dry_run=dry_run)
    except RetentionSettingsError as error:
        raise CommandError(str(error)) from None
    typer.echo(("Skulle tas bort" if dry_run else "Borttaget") + f" (gallring): {run.describe()}")


@privacy_app.command("log")
def privacy_log(
    person: Annotated[str | None, typer.Argument(help="Only entries about this person (or by them).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries, newest first.")] = 200,
) -> None:
    """The audit trail: who read, changed, exported or erased whose data."""
    from resurskurs.privacy.audit import entries

    shown = entries(_stores().db_url, person, limit)
    if not shown:
        typer.echo("Inga händelser i loggen" + (f" om {person}." if person else "."))
    for entry in shown:
        typer.echo(entry.describe())


def main() -> None:
    app()
