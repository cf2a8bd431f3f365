"""Each hand-in's totals (knowledge-check score and maximum, whether its reflection is reviewed or waits), kept in
HAND_IN_TOTAL by triggers on nbgrader's tables, so the district's figures read one row per hand-in instead of
summing every grade (360,000 at 20,000 staff) at every page view.

The totals are defined once, as an aggregate over GRADE (`notebook_totals`). The triggers run it again for the
notebooks a write touched, whoever writes: the grader's autograde, Granska, nbgrader's formgrader, erasure and
retention. `totals` reads the kept rows where the triggers are in place and the aggregate itself where they are not
yet (a reader of a gradebook the grader service has not migrated, or whose nbgrader tables came after ours).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.nbgrader_tables import BASE_CELL, GRADE, GRADE_CELL
from resurskurs.gradebook.tables import HAND_IN_TOTAL

TRIGGERS = {
    "resurskurs_totals_on_insert": "grade",
    "resurskurs_totals_on_update": "grade",
    "resurskurs_totals_on_delete": "grade",
    "resurskurs_totals_on_maximum": "grade_cells",
}
"""Our triggers, by the nbgrader table each is on (PostgreSQL: each with a function of the same name)."""

def waiting_for_review(is_reflection: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """A GRADE row Granska lists as waiting: the reflection's, not graded by hand since it was handed in."""
    return is_reflection & sa.or_(GRADE.c.needs_manual_grade == sa.true(), GRADE.c.manual_score.is_(None))


def notebook_totals(*filters: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Per submitted notebook with grades, HAND_IN_TOTAL's columns: the knowledge check's `score` and `maximum`
    (the reflection's point is not part of them), whether any grade still `needs_manual` grading, whether the
    reflection `has_feedback` (a manual score, from this hand-in or one before a resubmission), its
    `reflection_score`, and the `reflections_waiting` for Granska."""
    is_reflection = BASE_CELL.c.name == REFLECTION_ID
    return (
        sa.select(
            GRADE.c.notebook_id,
            sa.func.sum(
                sa.case((is_reflection, 0.0), else_=sa.func.coalesce(GRADE.c.manual_score, GRADE.c.auto_score, 0.0))
            ).label("score"),
            sa.func.sum(sa.case((is_reflection, 0.0), else_=GRADE_CELL.c.max_score)).label("maximum"),
            sa.func.max(sa.case((GRADE.c.needs_manual_grade, 1), else_=0)).label("needs_manual"),
            sa.func.max(sa.case((is_reflection & GRADE.c.manual_score.is_not(None), 1), else_=0)).label(
                "has_feedback"
            ),
            sa.func.max(sa.case((is_reflection, GRADE.c.manual_score))).label("reflection_score"),
            sa.func.sum(sa.case((waiting_for_review(is_reflection), 1), else_=0)).label("reflections_waiting"),
        )
        .select_from(
            GRADE.join(GRADE_CELL, GRADE_CELL.c.id == GRADE.c.cell_id).join(
                BASE_CELL, BASE_CELL.c.id == GRADE.c.cell_id
            )
        )
        .where(*filters)
        .group_by(GRADE.c.notebook_id)
    )


def totals(connection: sa.Connection) -> sa.FromClause:
    """HAND_IN_TOTAL where the triggers keep it, else the same columns aggregated from the grades now."""
    if attached(connection):
        return HAND_IN_TOTAL
    return notebook_totals().subquery(HAND_IN_TOTAL.name)


def attached(connection: sa.Connection) -> bool:
    """Whether every trigger is in place on the tables this connection's queries name (on PostgreSQL, those its
    search path finds), and so HAND_IN_TOTAL holds every hand-in's totals."""
    if connection.dialect.name == "postgresql":
        found = sa.text(
            "SELECT count(*) FROM pg_trigger WHERE tgname IN :names"
            " AND tgrelid IN (to_regclass('grade'), to_regclass('grade_cells'))"
        )
    else:
        found = sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN :names")
    found = found.bindparams(sa.bindparam("names", expanding=True))
    return bool(connection.execute(found, {"names": list(TRIGGERS)}).scalar_one() == len(TRIGGERS))


def attach(connection: sa.Connection) -> None:
    """Put the triggers on nbgrader's tables and count every hand-in once, when both HAND_IN_TOTAL and nbgrader's
    tables exist and the triggers are not there yet: nbgrader may make its tables before or after ours."""
    inspector = sa.inspect(connection)
    if not all(inspector.has_table(name) for name in (HAND_IN_TOTAL.name, *TRIGGERS.values(), BASE_CELL.name)):
        return
    if attached(connection):
        return
    detach(connection)
    for statement in _triggers(connection.dialect):
        connection.exec_driver_sql(statement)
    connection.execute(HAND_IN_TOTAL.delete())
    connection.execute(HAND_IN_TOTAL.insert().from_select(list(HAND_IN_TOTAL.c.keys()), notebook_totals()))


def detach(connection: sa.Connection) -> None:
    """Take the triggers (and their functions) away; HAND_IN_TOTAL itself is left to the migration."""
    postgresql = connection.dialect.name == "postgresql"
    for name, table in TRIGGERS.items():
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


def _recount(dialect: sa.Dialect, notebooks: sa.Select[Any] | sa.CompoundSelect[Any]) -> list[str]:
    """The statements that count the hand-ins `notebooks` selects again, as SQL for `dialect`."""
    touched = sa.select(notebooks.subquery("touched").c.notebook_id)
    statements: list[sa.Delete | sa.Insert] = [
        HAND_IN_TOTAL.delete().where(HAND_IN_TOTAL.c.notebook_id.in_(touched)),
        HAND_IN_TOTAL.insert().from_select(
            list(HAND_IN_TOTAL.c.keys()), notebook_totals(GRADE.c.notebook_id.in_(touched))
        ),
    ]
    return [_sql(dialect, statement) for statement in statements]


def _sql(dialect: sa.Dialect, statement: sa.ClauseElement) -> str:
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _triggers(dialect: sa.Dialect) -> list[str]:
    """CREATE statements for TRIGGERS: SQLite recounts per row (it has no other kind); PostgreSQL once per
    statement, over the rows it changed, so a bulk insert of 360,000 grades recounts each hand-in once."""
    graded = GRADE.alias("graded")
    if dialect.name == "postgresql":
        return _postgresql_triggers(dialect, graded)
    created = []
    for event, when, rows in (
        ("insert", "AFTER INSERT ON grade FOR EACH ROW", ["NEW"]),
        ("update", "AFTER UPDATE ON grade FOR EACH ROW", ["OLD", "NEW"]),
        ("delete", "AFTER DELETE ON grade FOR EACH ROW", ["OLD"]),
    ):
        notebooks: list[sa.Select[Any]] = [
            sa.select(sa.literal_column(f"{which}.notebook_id").label("notebook_id")) for which in rows
        ]
        body = [sql for notebook in notebooks for sql in _recount(dialect, notebook)]
        created.append(_sqlite_trigger(f"resurskurs_totals_on_{event}", when, body))
    of_the_cell = sa.select(graded.c.notebook_id).where(graded.c.cell_id == sa.literal_column("NEW.id"))
    when = "AFTER UPDATE OF max_score ON grade_cells FOR EACH ROW WHEN OLD.max_score IS NOT NEW.max_score"
    created.append(_sqlite_trigger("resurskurs_totals_on_maximum", when, _recount(dialect, of_the_cell)))
    return created


def _sqlite_trigger(name: str, when: str, body: list[str]) -> str:
    return f"CREATE TRIGGER {name} {when} BEGIN\n" + "".join(f"{sql};\n" for sql in body) + "END"


def _postgresql_triggers(dialect: sa.Dialect, graded: sa.FromClause) -> list[str]:
    """Statement triggers reading the rows a statement changed from its transition tables (`old_rows`,
    `new_rows`). Each first holds the hand-ins' rows in HAND_IN_TOTAL (made empty if new), in one order: two
    transactions writing one hand-in's grades (an autograde and a review at the same moment) then recount it one
    after the other, the second seeing the first's grades, and never both insert its row. Row locks, unlike
    advisory locks, are not counted against the server's lock table, so an erasure of thousands of hand-ins in one
    transaction holds them all."""
    from sqlalchemy.dialects.postgresql import insert  # here: the page's kernel imports this module, never this
    new, old = sa.table("new_rows", sa.column("notebook_id")), sa.table("old_rows", sa.column("notebook_id"))
    new_cells = sa.table("new_rows", sa.column("id"), sa.column("max_score"))
    old_cells = sa.table("old_rows", sa.column("id"), sa.column("max_score"))
    both = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    either = sa.union(sa.select(old.c.notebook_id), sa.select(new.c.notebook_id))
    events: list[tuple[str, str, sa.Select[Any] | sa.CompoundSelect[Any]]] = [
        ("insert", "AFTER INSERT ON grade REFERENCING NEW TABLE AS new_rows", sa.select(new.c.notebook_id)),
        ("update", f"AFTER UPDATE ON grade {both}", either),
        ("delete", "AFTER DELETE ON grade REFERENCING OLD TABLE AS old_rows", sa.select(old.c.notebook_id)),
        (
            "maximum",
            f"AFTER UPDATE ON grade_cells {both}",
            sa.select(graded.c.notebook_id)
            .join(new_cells, new_cells.c.id == graded.c.cell_id)
            .join(old_cells, old_cells.c.id == new_cells.c.id)
            .where(old_cells.c.max_score.is_distinct_from(new_cells.c.max_score)),
        ),
    ]
    created = []
    for event, when, notebooks in events:
        name = f"resurskurs_totals_on_{event}"
        touched = sa.select(notebooks.subquery("touched").c.notebook_id).distinct()
        empty = {"score": 0.0, "maximum": 0.0, "needs_manual": 0, "has_feedback": 0, "reflections_waiting": 0}
        made = (
            insert(HAND_IN_TOTAL)
            .from_select(
                ["notebook_id", *empty],
                sa.select(touched.subquery().c.notebook_id, *(sa.literal(value) for value in empty.values())),
            )
            .on_conflict_do_nothing(index_elements=[HAND_IN_TOTAL.c.notebook_id])
        )
        held = (
            sa.select(sa.literal(1))
            .where(HAND_IN_TOTAL.c.notebook_id.in_(touched))
            .order_by(HAND_IN_TOTAL.c.notebook_id)
            .with_for_update()
        )
        hold = "PERFORM" + _sql(dialect, held).removeprefix("SELECT")
        body = ";\n".join([_sql(dialect, made), hold, *_recount(dialect, notebooks)])
        created.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body};\nRETURN NULL;\nEND\n$$"
        )
        created.append(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    return created
