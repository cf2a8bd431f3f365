"""Submitting from the player: privacy check, the person's notebook, an nbgrader submission, autograde.

Either the whole submission lands (stored, autograded, in the gradebook) or nothing changes: a
failure puts the previous submission back and tells the person in Swedish; the drafts in the
player are never touched by this module.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

from resurskurs.catalog.load import Module
from resurskurs.tracking.cells import PRACTICE_ID, REFLECTION_ID, SURVEY_ID
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.notebook import answer_cell_id, answer_source, survey_source
from resurskurs.tracking.privacy import privacy_findings

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
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


def filled_notebook(module: Module, released: Path, answers: dict[str, Any]) -> nbformat.NotebookNode:
    """The released notebook with this person's answers written into its answer cells."""
    notebook = nbformat.read(released, as_version=4)
    quiz = answers.get("quiz") or {}
    items = {answer_cell_id(item): item for item in module.course.preparation.knowledge_check.items}
    practice = answers.get("practice") or {}
    survey = answers.get("survey") or {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        role = cell.metadata.get("resurskurs", {}).get("answer")
        if grade_id in items:
            item = items[grade_id]
            cell.source = answer_source(item, list((quiz.get(item.id) or {}).get("selected", [])))
        elif grade_id == REFLECTION_ID:
            cell.source = answers.get("reflection") or ""
        elif role == "practice" or cell.get("id") == PRACTICE_ID:
            done = "Ja" if practice.get("done") else "Inte än"
            cell.source = f"Prövat: {done}\n\n{practice.get('note') or ''}".strip()
        elif role == "survey" or cell.get("id") == SURVEY_ID:
            cell.source = survey_source(dict(survey.get("likert") or {}), dict(survey.get("open") or {}))
    return notebook


def submit(
    course_dir: CourseDir, module: Module, person_id: str, answers: dict[str, Any], now: datetime | None = None
) -> SubmitResult:
    findings = privacy_findings(answers)
    if findings:
        return SubmitResult(False, findings)
    timestamp = now or datetime.now(UTC)
    slug = module.course.slug
    try:
        notebook = filled_notebook(module, course_dir.release(slug), answers)
        store(course_dir, slug, person_id, notebook, timestamp)
    except (OSError, ValueError, SubmissionError):
        return SubmitResult(False, [FAILED])
    return SubmitResult(True, [f"Tack! Din inlämning är mottagen {timestamp.astimezone():%Y-%m-%d %H:%M}."], timestamp)


def store(
    course_dir: CourseDir, slug: str, person_id: str, notebook: nbformat.NotebookNode, timestamp: datetime
) -> None:
    """Put the submission in place and autograde it; on any failure restore what was there before."""
    target = course_dir.submitted(person_id, slug)
    staging = target.parent / f".{slug}.{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    nbformat.write(notebook, staging / f"{slug}.ipynb")
    (staging / "timestamp.txt").write_text(timestamp.strftime(TIMESTAMP_FORMAT), encoding="utf-8")
    archived = None
    if target.exists():
        previous = (target / "timestamp.txt").read_text(encoding="utf-8").strip().replace(":", "").replace(" ", "_")
        archived = course_dir.root / "archive" / person_id / slug / (previous or uuid.uuid4().hex)
        archived.parent.mkdir(parents=True, exist_ok=True)
        target.rename(archived)
    staging.rename(target)
    try:
        autograde(course_dir, slug, person_id)
    except SubmissionError:
        shutil.rmtree(target)
        if archived is not None:
            archived.rename(target)
            autograde(course_dir, slug, person_id)
        raise


def autograde(course_dir: CourseDir, slug: str, person_id: str) -> None:
    """Autograde one stored submission through nbgrader's API; a failure names the notebook."""
    notebook = course_dir.submitted(person_id, slug) / f"{slug}.ipynb"
    try:
        json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SubmissionError(
            f"{notebook}: the submitted notebook cannot be read ({error}); expected nbformat JSON"
        ) from None
    with course_dir.writing():
        result = course_dir.api().autograde(slug, person_id, force=True, create=True)
    if not result["success"]:
        raise SubmissionError(f"{notebook}: nbgrader could not autograde it", f"{result['log']}{result['error']}")
