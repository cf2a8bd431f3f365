"""The register of personal data (registerförteckning), kept in code: every table, column and per-person file.

A kind of personal data is declared once here with what it holds, why, who may read it and how long it is
kept. Export, erasure and the generated docs/PERSONAL_DATA.md all read this register, and
tests/test_privacy_register.py fails when the gradebook or the folders hold a table, a column or a file
that nothing here declares: a new store of personal data cannot arrive without its declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Root(StrEnum):
    """The folder a file pattern is relative to."""

    VAR = "var"
    EXERCISES = "exercises"


@dataclass(frozen=True)
class Table:
    """A gradebook table: every column it has, and how a row is tied to a person."""

    name: str
    columns: tuple[str, ...]
    person: str | None = None
    """The column holding the person's id; None when rows belong to a person through `through`."""
    through: str | None = None
    """`column → table.column` chain to a table with a person column (a grade's notebook's submission)."""
    mentions: tuple[str, ...] = ()
    """Columns naming another person in the row (who reviewed it): their id, to be pseudonymised too."""


@dataclass(frozen=True)
class Files:
    """Files under `root` matching `pattern`: `{person}` is one person's id, `*` one name, `**` any depth."""

    root: Root
    pattern: str

    def regex(self) -> re.Pattern[str]:
        parts = []
        for piece in re.split(r"(\{person\}|\*\*|\*)", self.pattern):
            if piece == "{person}":
                parts.append(r"(?P<person>[a-z0-9][a-z0-9._-]{0,62})")
            elif piece == "**":
                parts.append(r".+")
            elif piece == "*":
                parts.append(r"[^/]+")
            else:
                parts.append(re.escape(piece))
        return re.compile("".join(parts))

    def person_in(self, relative: str) -> str | None:
        """The person a file belongs to when it matches (empty string for a shared file), else None."""
        match = self.regex().fullmatch(relative)
        if match is None:
            return None
        return match.groupdict().get("person") or ""


@dataclass(frozen=True)
class Kind:
    """One kind of personal data, in Swedish for the register the district publishes."""

    key: str
    what: str
    why: str
    readers: str
    retention_days: int | None
    """The default retention (the district sets its own); None: kept while the person is on the roster."""
    retention_from: str
    tables: tuple[Table, ...] = ()
    files: tuple[Files, ...] = ()
    elsewhere: str = ""
    """Copies outside var/ and exercises/ (the hub's user servers), described for the reader of the register."""


KINDS: tuple[Kind, ...] = (
    Kind(
        "roster",
        "Namn, e-postadress, användar-id, enhet, arbetslag och roll, från förvaltningens personallista, "
        "tidigare enheter och när personen slutade.",
        "För att veta vem som loggar in, vilka kurser en person ser och vems framsteg en rektor får följa.",
        "Personen själv, rektor för personens enhet (namn och framsteg), resursteamet.",
        None,
        "så länge personen finns i personallistan",
        tables=(
            Table("student", ("id", "first_name", "last_name", "email", "lms_user_id"), person="id"),
            Table("resurskurs_person", ("id", "unit", "work_team", "role", "left_at"), person="id"),
            Table("resurskurs_unit_history", ("person_id", "unit", "until"), person="person_id"),
            Table("resurskurs_lead", ("person_id", "unit"), person="person_id"),
        ),
        files=(Files(Root.VAR, "roster.csv"),),
    ),
    Kind(
        "drafts",
        "Utkast: svar på kunskapstest, reflektionsstopp, loggbok, reflektion och utvärdering innan de lämnas in, "
        "och vilken återkoppling personen har läst.",
        "För att inget som personen har skrivit ska gå förlorat mellan besöken.",
        "Endast personen själv.",
        365,
        "senaste ändringen",
        files=(
            Files(Root.VAR, "answers/{person}/*"),
            Files(Root.VAR, "answers/{person}/.*"),
        ),
        elsewhere="På JupyterHub ligger utkasten i personens egen server (samma mapp, bara personen kommer åt den).",
    ),
    Kind(
        "activity",
        "När personen började och senast arbetade med en modul, och hur långt hen har kommit.",
        "För att rektor och resursteam ska se vilka moduler som är påbörjade.",
        "Personen själv, rektor för personens enhet, resursteamet.",
        730,
        "senaste aktivitet",
        tables=(
            Table(
                "resurskurs_activity", ("person_id", "slug", "started_at", "updated_at", "percent"), person="person_id"
            ),
        ),
    ),
    Kind(
        "hand_ins",
        "Inlämningar: kunskapstest, reflektion och praktikanteckning som notebook-filer, med tidpunkt, "
        "och tidigare inlämningar som ersatts.",
        "För att resursteamet ska kunna ge återkoppling och för att visa att modulen är genomförd.",
        "Personen själv och resursteamet. Rektor ser bara att modulen är inlämnad, aldrig texten.",
        730,
        "inlämningen",
        tables=(
            Table(
                "submitted_assignment",
                ("id", "assignment_id", "student_id", "timestamp", "extension"),
                person="student_id",
            ),
            Table(
                "submitted_notebook",
                ("id", "assignment_id", "notebook_id", "flagged", "late_submission_penalty"),
                through="assignment_id → submitted_assignment.id",
            ),
        ),
        files=(
            Files(Root.EXERCISES, "submitted/{person}/**"),
            Files(Root.EXERCISES, "autograded/{person}/**"),
            Files(Root.EXERCISES, "feedback/{person}/**"),
            Files(Root.EXERCISES, "archive/{person}/**"),
            Files(Root.EXERCISES, "queue/*"),
        ),
    ),
    Kind(
        "scores",
        "Poäng på kunskapstestet, resursteamets poäng (per del av bedömningsstödet) och kommentar på reflektionen, "
        "och vem som granskade när.",
        "För återkopplingen till personen och för att visa att modulen är granskad.",
        "Personen själv och resursteamet. Rektor ser poäng och status, aldrig kommentaren.",
        730,
        "inlämningen",
        tables=(
            Table(
                "grade",
                ("id", "notebook_id", "cell_id", "auto_score", "manual_score", "extra_credit", "needs_manual_grade"),
                through="notebook_id → submitted_notebook.id",
            ),
            Table(
                "comment",
                ("id", "notebook_id", "cell_id", "auto_comment", "manual_comment"),
                through="notebook_id → submitted_notebook.id",
            ),
            Table(
                "resurskurs_hand_in_total",
                (
                    "notebook_id",
                    "score",
                    "maximum",
                    "needs_manual",
                    "has_feedback",
                    "reflection_score",
                    "reflections_waiting",
                ),
                through="notebook_id → submitted_notebook.id",
            ),
            Table(
                "resurskurs_review",
                ("person_id", "slug", "reviewed_at", "reviewer_id", "points"),
                person="person_id",
                mentions=("reviewer_id",),
            ),
        ),
    ),
    Kind(
        "evaluation",
        "Svar på modulens utvärdering: skattningar 1–5 och fritextsvar.",
        "För att förbättra modulerna; visas bara sammanräknat för grupper om minst fem.",
        "Resursteamet och rektor, bara sammanräknat (minst fem svar).",
        730,
        "svaret",
        tables=(Table("resurskurs_evaluation", ("person_id", "slug", "item_id", "value", "text"), person="person_id"),),
    ),
    Kind(
        "follow_up",
        "Svar på uppföljningen ungefär tre månader efter inlämningen, och samma skattningar före modulen.",
        "För att se om arbetssättet håller över tid; visas bara sammanräknat för grupper om minst fem.",
        "Resursteamet och rektor, bara sammanräknat (minst fem svar).",
        730,
        "svaret",
        files=(
            Files(Root.VAR, "follow-up/*/{person}.json"),
            Files(Root.VAR, "follow-up/*/{person}.damaged-*"),
            Files(Root.VAR, "follow-up/*/.{person}.lock"),
            Files(Root.VAR, "follow-up-baseline/*/{person}.json"),
            Files(Root.VAR, "follow-up-baseline/*/{person}.damaged-*"),
            Files(Root.VAR, "follow-up-baseline/*/.{person}.lock"),
        ),
    ),
    Kind(
        "published_figures",
        "Utvärderingens och uppföljningens siffror per enhet som de senast visades: antal svar per steg och "
        "fritextsvaren, utan namn eller id.",
        "Siffrorna byts bara när minst fem nya svar har kommit, så att ingen kan räkna fram en persons svar "
        "genom att jämföra före och efter ett svar till.",
        "Resursteamet och rektor för enheten, i samma form som på sidan.",
        None,
        "tills minst fem nya svar ersätter dem; den som raderas får sina fritextsvar borttagna direkt",
        tables=(
            Table("resurskurs_figure_snapshot", ("kind", "slug", "unit", "answered", "figures", "taken_at")),
        ),
    ),
    Kind(
        "releases",
        "Vilken rektor som öppnade en modul för en enhet, och när.",
        "För att personalen ska få modulen när enheten är redo, och för att kunna svara på vem som öppnade den.",
        "Rektorer för enheten och resursteamet.",
        None,
        "så länge modulen är öppen för enheten",
        files=(Files(Root.VAR, "releases.json"),),
    ),
    Kind(
        "audit",
        "Loggen över vem som läst vems reflektion eller inlämning, ändrat poäng, kommentar eller öppning, och "
        "vem som lämnat ut eller raderat vems uppgifter. Loggen innehåller aldrig själva texten.",
        "För att kunna visa att personuppgifterna bara har lästs av dem som får (tillsyn och begäran om "
        "registerutdrag).",
        "Resursteamet.",
        1825,
        "händelsen",
        tables=(
            Table("resurskurs_audit", ("id", "at", "actor", "action", "subject", "slug", "detail")),
            Table("resurskurs_audit_subject", ("key", "person_id"), person="person_id"),
        ),
    ),
)
"""Every kind of personal data resurskurs stores, in the order the register prints them."""

NOT_PERSONAL_TABLES: tuple[Table, ...] = (
    Table("alembic_version", ("version_num",)),
    Table("resurskurs_alembic_version", ("version_num",)),
    Table("course", ("id",)),
    Table("assignment", ("id", "name", "duedate", "course_id")),
    Table("notebook", ("id", "name", "assignment_id", "kernelspec")),
    Table("base_cell", ("id", "name", "notebook_id", "type")),
    Table("grade_cells", ("id", "max_score", "cell_type")),
    Table("solution_cells", ("id",)),
    Table("task_cells", ("id", "max_score", "cell_type")),
    Table("source_cell", ("id", "name", "cell_type", "locked", "source", "checksum", "notebook_id")),
)
"""Tables that describe the courses, not a person: declared with their columns, so a new column is noticed."""

NOT_PERSONAL_FILES: tuple[Files, ...] = (
    Files(Root.VAR, "gradebook.db"),
    Files(Root.VAR, "gradebook.db-journal"),
    Files(Root.VAR, "cache/**"),
    Files(Root.VAR, "exercises/**"),
    Files(Root.VAR, "demo.log"),
    Files(Root.VAR, "follow-up/*/"),
    Files(Root.VAR, "follow-up-baseline/*/"),
    Files(Root.VAR, ".releases.lock"),
    Files(Root.VAR, "routines.yaml"),
    Files(Root.VAR, ".routines.lock"),
    Files(Root.VAR, "privacy/**"),
    Files(Root.EXERCISES, "nbgrader_config.py"),
    Files(Root.EXERCISES, "source/**"),
    Files(Root.EXERCISES, "release/**"),
    Files(Root.EXERCISES, ".gradebook.lock"),
    Files(Root.EXERCISES, ".locks/*"),
    Files(Root.EXERCISES, "queue/.key"),
    Files(Root.EXERCISES, "queue/.grader-alive"),
    Files(Root.EXERCISES, ".erasing/**"),
)
"""Files that hold no one's data: the gradebook file is a container (its tables are declared above), the
catalog cache, the course's notebooks, locks named by a hash, the queue's key; `privacy/` holds the erase
journal and retention log, which name no one; `routines.yaml` holds the district's and the units' local routines,
which the app checks for children's names as it saves them and which record no one as their writer."""


def personal_tables() -> dict[str, tuple[Kind, Table]]:
    return {table.name: (kind, table) for kind in KINDS for table in kind.tables}


def declared_tables() -> dict[str, tuple[str, ...]]:
    """Every table the register knows, personal or not, with its columns."""
    known = {name: table.columns for name, (_, table) in personal_tables().items()}
    return known | {table.name: table.columns for table in NOT_PERSONAL_TABLES}


def kind_of_file(root: Root, relative: str) -> tuple[Kind | None, str] | None:
    """The kind (None for a declared non-personal file) and person ('' when shared) of a file, or None when
    the register does not declare it."""
    for kind in KINDS:
        for files in kind.files:
            if files.root is root and (person := files.person_in(relative)) is not None:
                return kind, person
    for files in NOT_PERSONAL_FILES:
        if files.root is root and files.person_in(relative) is not None:
            return None, ""
    return None
