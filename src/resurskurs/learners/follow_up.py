"""One person's answers to a module's follow-up about three months after the hand-in, and when it is due; and
the baseline: the follow-up's rating items answered once before the module, so the follow-up shows a change.

Each person's answers are one validated JSON file, written atomically under a lock like the drafts; a
damaged file is copied aside, never overwritten. Principals and the resource team see the answers only
counted by group (n ≥ 5, overview/follow_up_section.py).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from resurskurs.core.answers import SurveyAnswer
from resurskurs.core.review import Review
from resurskurs.district.roster import is_person_id
from resurskurs.files import locked, write_atomically
from resurskurs.learners.store import SET_ASIDE
from resurskurs.schema import Course
from resurskurs.schema.base import SLUG_PATTERN

FOLDER = "follow-up"
"""var/follow-up/<slug>/<person id>.json"""
BASELINE_FOLDER = "follow-up-baseline"
"""var/follow-up-baseline/<slug>/<person id>.json: the same rating items, answered before the hand-in."""


def due_at(course: Course, review: Review | None) -> datetime | None:
    """When the follow-up is asked: `after_days` after the hand-in (naive UTC, as the gradebook keeps it)."""
    if course.follow_up_survey is None or review is None:
        return None
    return review.submitted_at + timedelta(days=course.follow_up_survey.after_days)


def is_due(course: Course, review: Review | None, now: datetime) -> bool:
    due = due_at(course, review)
    return due is not None and now.replace(tzinfo=None) >= due


class FollowUpStore:
    """One person's follow-up answers per module, validated against the module before they are written."""

    def __init__(self, root: Path, slug: str, folder: str = FOLDER) -> None:
        if not SLUG_PATTERN.fullmatch(slug):
            raise ValueError(f"not a module slug: {slug!r}")
        self.folder = root / folder / slug
        self.baseline = folder == BASELINE_FOLDER

    def file(self, person_id: str) -> Path:
        if not is_person_id(person_id):
            raise ValueError(f"not a person id: {person_id!r}")
        return self.folder / f"{person_id}.json"

    def load(self, person_id: str) -> SurveyAnswer:
        """The saved answers; a damaged file reads as none and is copied aside before the next save."""
        return self._read(person_id)[0]

    def _read(self, person_id: str) -> tuple[SurveyAnswer, bool]:
        try:
            return SurveyAnswer.model_validate_json(self.file(person_id).read_bytes()), False
        except FileNotFoundError:
            return SurveyAnswer(), False
        except ValidationError:
            return SurveyAnswer(), True

    def all(self) -> dict[str, SurveyAnswer]:
        if not self.folder.is_dir():
            return {}
        return {
            file.stem: self.load(file.stem) for file in sorted(self.folder.glob("*.json")) if is_person_id(file.stem)
        }

    def save(self, person_id: str, course: Course, kind: str, item_id: str, value: Any) -> SurveyAnswer:
        """Set one answer; a value or an item the module's follow-up does not ask raises ValueError."""
        survey = course.follow_up_survey
        known = {"likert": {i.id for i in survey.likert}, "open": {q.id for q in survey.open}} if survey else {}
        if self.baseline:
            known.pop("open", None)
        if item_id not in known.get(kind, set()):
            asks = "baseline" if self.baseline else "follow-up"
            raise ValueError(f"{course.slug}: the {asks} has no {kind} item {item_id!r}")
        with locked(self.folder / f".{person_id}.lock"):
            saved, damaged = self._read(person_id)
            if damaged:
                file = self.file(person_id)
                shutil.copy2(file, file.with_name(f"{person_id}{SET_ASIDE}{datetime.now():%Y%m%dT%H%M%S%f}.json.kept"))
            data = saved.model_dump(mode="json")
            data[kind][item_id] = value
            answers = SurveyAnswer.model_validate(data)
            write_atomically(
                self.file(person_id), json.dumps(answers.model_dump(mode="json"), ensure_ascii=False).encode()
            )
            return answers
