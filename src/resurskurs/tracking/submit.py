"""Receiving a hand-in (the grader side): privacy check, the person's notebook, an nbgrader submission,
autograde, the evaluation answers.

The learner's kernel sends (`hand_in.py`); the grader service (`grader.py`) calls `submit` here.
Either the whole submission lands (stored, autograded, its evaluation answers recorded) or nothing
changes: a failure at any step puts the previous submission back, leaves the evaluation rows as they
were and tells the person in Swedish; the drafts in the player are never touched by this module. The
learner's free text goes into the notebook as escaped markdown (`as_markdown_text`), so every reader
sees it as text. One hand-in per person and module is handled at a time, across grader workers
(`gradebook.locks`), and a hand-in carries its request id, so the same request handled twice (a
service that died half-way, two workers) lands once.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import sqlalchemy as sa

from resurskurs.catalog.load import Module
from resurskurs.core.answers import HandIn
from resurskurs.gradebook.cells import PRACTICE_ID, REFLECTION_ID, SURVEY_ID
from resurskurs.gradebook.engine import migrated
from resurskurs.gradebook.locks import one_hand_in_at_a_time
from resurskurs.tracking.autograde import warm_api
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.evaluation import evaluation_rows, write_evaluations
from resurskurs.tracking.learner_text import as_markdown_text
from resurskurs.tracking.notebook import answer_cell_id, answer_source, survey_source
from resurskurs.tracking.privacy import privacy_findings

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
REQUEST_FILE = "request.txt"
FAILED = (
    "Inlämningen gick inte att ta emot just nu. Ingenting är förlorat: allt du skrivit finns kvar. "
    "Försök igen om en stund, eller kontakta resursteamet om det inte går."
)


class SubmissionError(Exception):
    """A submission could not be stored or graded; `log` has nbgrader's details for the operators."""

    def __init__(self, message: str, log: str = "") -> None:
        super().__init__(message)
        self.log = log


@dataclass(frozen=True)
class SubmitResult:
    accepted: bool
    messages: list[str] = field(default_factory=list)
    timestamp: datetime | None = None


def filled_notebook(module: Module, released: Path, answers: HandIn) -> nbformat.NotebookNode:
    """The released notebook with this person's answers written into its answer cells."""
    notebook = nbformat.read(released, as_version=4)
    items = {answer_cell_id(item): item for item in module.course.preparation.knowledge_check.items}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        role = cell.metadata.get("resurskurs", {}).get("answer")
        if grade_id in items:
            item = items[grade_id]
            cell.source = answer_source(item, answers.quiz[item.id].selected if item.id in answers.quiz else [])
        elif grade_id == REFLECTION_ID:
            cell.source = as_markdown_text(answers.reflection)
        elif role == "practice" or cell.get("id") == PRACTICE_ID:
            done = "Ja" if answers.practice.done else "Inte än"
            cell.source = f"Prövat: {done}\n\n{as_markdown_text(answers.practice.note)}".strip()
        elif role == "survey" or cell.get("id") == SURVEY_ID:
            cell.source = survey_source(answers.survey.likert, answers.survey.open)
    return notebook


def submit(
    course_dir: CourseDir,
    module: Module,
    person_id: str,
    answers: HandIn,
    now: datetime | None = None,
    request_id: str = "",
) -> SubmitResult:
    """Store, autograde and record one hand-in, all or nothing; a request already stored is finished, not doubled."""
    findings = privacy_findings(answers.model_dump())
    if findings:
        return SubmitResult(False, findings)
    slug = module.course.slug
    evaluation = evaluation_rows(module, person_id, answers.survey)
    try:
        with one_hand_in_at_a_time(migrated(course_dir.db_url), course_dir.locks, person_id, slug):
            stored = _stored_request(course_dir, slug, person_id, request_id)
            if stored is not None:
                _grade_and_record(course_dir, slug, person_id, evaluation)
                timestamp = stored
            else:
                timestamp = now or datetime.now(UTC)
                notebook = filled_notebook(module, course_dir.release(slug), answers)
                store(course_dir, slug, person_id, notebook, timestamp, request_id, evaluation)
    except (OSError, ValueError, SubmissionError, sa.exc.SQLAlchemyError):
        return SubmitResult(False, [FAILED])
    return SubmitResult(True, [f"Tack! Din inlämning är mottagen {timestamp.astimezone():%Y-%m-%d %H:%M}."], timestamp)


def _stored_request(course_dir: CourseDir, slug: str, person_id: str, request_id: str) -> datetime | None:
    """The time of the stored submission when it came from this very request, else None."""
    folder = course_dir.submitted(person_id, slug)
    try:
        if not request_id or (folder / REQUEST_FILE).read_text(encoding="utf-8") != request_id:
            return None
        stamp = (folder / "timestamp.txt").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return datetime.strptime(stamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def store(
    course_dir: CourseDir,
    slug: str,
    person_id: str,
    notebook: nbformat.NotebookNode,
    timestamp: datetime,
    request_id: str = "",
    evaluation: list[dict[str, object]] | None = None,
) -> None:
    """Put the submission in place, autograde it and record `evaluation` (the survey's rows, replacing the
    person's earlier ones); on any failure restore what was there before, grades and evaluation alike."""
    target = course_dir.submitted(person_id, slug)
    staging = target.parent / f".{slug}.{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    nbformat.write(notebook, staging / f"{slug}.ipynb")
    (staging / "timestamp.txt").write_text(timestamp.strftime(TIMESTAMP_FORMAT), encoding="utf-8")
    (staging / REQUEST_FILE).write_text(request_id, encoding="utf-8")
    archived = None
    if target.exists():
        previous = (target / "timestamp.txt").read_text(encoding="utf-8").strip().replace(":", "").replace(" ", "_")
        archived = course_dir.root / "archive" / person_id / slug / (previous or uuid.uuid4().hex)
        archived.parent.mkdir(parents=True, exist_ok=True)
        target.rename(archived)
    staging.rename(target)
    try:
        _grade_and_record(course_dir, slug, person_id, evaluation)
    except (SubmissionError, sa.exc.SQLAlchemyError):
        shutil.rmtree(target)
        if archived is not None:
            archived.rename(target)
            autograde(course_dir, slug, person_id)
        else:
            _forget(course_dir, slug, person_id)
        raise


def _forget(course_dir: CourseDir, slug: str, person_id: str) -> None:
    """Take a first submission that failed half-way out of the gradebook again, grades and all."""
    from nbgrader.api import MissingEntry

    with course_dir.gradebook() as gradebook:
        try:
            gradebook.remove_submission(slug, person_id)
        except MissingEntry:
            return


def _grade_and_record(
    course_dir: CourseDir, slug: str, person_id: str, evaluation: list[dict[str, object]] | None
) -> None:
    autograde(course_dir, slug, person_id)
    if evaluation is not None:
        with course_dir.writing():
            write_evaluations(migrated(course_dir.db_url), [(person_id, slug)], evaluation)


def autograde(course_dir: CourseDir, slug: str, person_id: str) -> None:
    """Autograde one stored submission with nbgrader on the warm kernel; a failure names the notebook."""
    notebook = course_dir.submitted(person_id, slug) / f"{slug}.ipynb"
    try:
        json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SubmissionError(
            f"{notebook}: the submitted notebook cannot be read ({error}); expected nbformat JSON"
        ) from None
    with course_dir.writing():
        result = warm_api(course_dir).autograde(slug, person_id, force=True, create=True)
    if not result["success"]:
        raise SubmissionError(f"{notebook}: nbgrader could not autograde it", f"{result['log']}{result['error']}")
