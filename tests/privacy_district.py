"""A small district with personal data in every store: the register, export and erasure specs start from it.

Everything goes through the product's own paths (roster import, real nbgrader hand-ins and feedback, the
draft store, releases, local routines, the audit trail), so a new store the product adds shows up here too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from resurskurs.catalog.load import Catalog
from resurskurs.core.answers import HandIn
from resurskurs.district.releases import release, start
from resurskurs.district.roster import Person, Role, write_roster
from resurskurs.district.routines import Routine, save_routine
from resurskurs.files import write_atomically
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.engine import migrated
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.gradebook.tables import REVIEW
from resurskurs.learners.follow_up import FollowUpStore
from resurskurs.learners.store import AnswerStore
from resurskurs.player.seen import SeenFeedback
from resurskurs.privacy.audit import Action, record_now
from resurskurs.privacy.locate import Stores
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.tracking.activity import sync_activity
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from resurskurs.tracking.submit import submit

UNIT = "Förskolan Ekorren"
EVA = Person("eva.lund", "Eva", "Lundqvist", "eva.lundqvist@stad.example.se", UNIT, "Blå", Role.STAFF)
OLA = Person("ola.berg", "Ola", "Bergström", "ola.bergstrom@stad.example.se", UNIT, "Gul", Role.STAFF)
RUT = Person("rut.ek", "Rut", "Ekholm", "rut.ekholm@stad.example.se", "Resursenheten", "Resursteamet",
             Role.RESOURCE_TEAM)
MAJ = Person("maj.ros", "Maj", "Rosén", "maj.rosen@stad.example.se", UNIT, "Ledning", Role.PRINCIPAL)
PEOPLE = (EVA, OLA, RUT, MAJ)
REFLECTION = "Jag märkte att lämningen blev lugnare när jag tog emot vid dörren."
COMMENT = "Fint att du kopplar till trygg bas, Eva."
LOGBOOK = "Provade bildstöd vid samlingen."
OPEN_ANSWER = "Mer tid till filmen."


@dataclass(frozen=True)
class District:
    stores: Stores
    course_dir: CourseDir


def populate(catalog: Catalog, course_dir: CourseDir, var: Path) -> District:
    """Eva has data in every store; Ola handed in too; Rut reviewed Eva; Maj released the module and wrote a
    routine for the unit."""
    module = catalog.module(SLUG)
    import_people(list(PEOPLE), course_dir)
    write_roster(list(PEOPLE), var / "roster.csv")
    start(var)
    release(var, SLUG, [UNIT], date(2026, 12, 10), MAJ, datetime(2026, 12, 1, 9, tzinfo=UTC))
    save_routine(var, UNIT, Routine(id="tolkbokning", text="Ring tolkförmedlingen dagen innan."))
    drafts = AnswerStore(var, EVA.id)
    drafts.save(SLUG, ("reflection",), REFLECTION)
    drafts.save(SLUG, ("logbook", "stopp-valkommen"), LOGBOOK)
    AnswerStore(var, OLA.id).save(SLUG, ("reflection",), "Olas utkast.")
    sync_activity(catalog, var / "answers", migrated(course_dir.db_url))
    first = answers_for(module, 3)
    assert submit(course_dir, module, EVA.id, first).accepted
    hand_in = HandIn.model_validate(
        {**answers_for(module, 2).model_dump(mode="json"), "reflection": REFLECTION,
         "survey": {"likert": {"e1": 4}, "open": {"o1": OPEN_ANSWER}}}
    )
    assert submit(course_dir, module, EVA.id, hand_in).accepted
    assert submit(course_dir, module, OLA.id, answers_for(module, 4)).accepted
    _review(course_dir, EVA.id)
    course_dir.api().generate_feedback(SLUG, EVA.id)
    SeenFeedback(drafts.folder).mark_seen(SLUG, reviews_for(course_dir.db_url, EVA.id)[SLUG])
    follow_up = FollowUpStore(var, SLUG).file(EVA.id)
    answers = {"likert": {"f1": 5}, "open": {"f2": "Vi gör det varje dag."}}
    write_atomically(follow_up, json.dumps(answers, ensure_ascii=False).encode())
    record_now(course_dir.db_url, Action.READ_REFLECTION, EVA.id, RUT.id, slug=SLUG)
    return District(Stores(course_dir.db_url, var, course_dir.root), course_dir)


def _review(course_dir: CourseDir, person_id: str) -> None:
    """As Granska saves a review: nbgrader's manual grade and comment, and the date and reviewer beside them."""
    from nbgrader.api import Gradebook

    with Gradebook(course_dir.db_url, course_id="resurskurs") as gradebook:
        grade = gradebook.find_grade(REFLECTION_ID, SLUG, SLUG, person_id)
        grade.manual_score = 1
        grade.needs_manual_grade = False
        gradebook.find_comment(REFLECTION_ID, SLUG, SLUG, person_id).manual_comment = COMMENT
        gradebook.db.commit()
    with migrated(course_dir.db_url).begin() as connection:
        connection.execute(
            REVIEW.insert().values(
                person_id=person_id, slug=SLUG, reviewed_at=datetime(2026, 12, 2), reviewer_id=RUT.id
            )
        )


def snapshot(stores: Stores) -> dict[str, str]:
    """Every row of every table and every file under var/ and exercises/ (not the SQLite file's bytes)."""
    found: dict[str, str] = {}
    engine = sa.create_engine(stores.db_url)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                rows = sorted(" | ".join(str(v) for v in row) for row in connection.execute(sa.select(table)))
                found[f"table {table.name}"] = "\n".join(rows)
    finally:
        engine.dispose()
    for root in (stores.var, stores.exercises):
        for file in sorted(root.rglob("*")):
            if file.is_file() and file.name != "gradebook.db":
                found[str(file)] = file.read_bytes().decode("utf-8", errors="replace")
    return found


def everything_as_text(stores: Stores) -> str:
    """Every value in the gradebook, every file name and content, and the SQLite file's raw bytes, as one text."""
    parts = [f"{name}\n{text}" for name, text in snapshot(stores).items()]
    database = sa.make_url(stores.db_url).database if stores.db_url.startswith("sqlite") else None
    if database:
        parts.append(Path(database).read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)
