"""The follow-up about three months after the hand-in: what the learner now does differently in practice.

It is asked only once it is due (the module's `after_days` after the hand-in), so the question is about
practice, not about the film. Each person's answers are one validated JSON file, written atomically
under a lock like the drafts; principals and the resource team see them only counted by group (n ≥ 5).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from resurskurs.core.answers import SurveyAnswer
from resurskurs.core.review import Review
from resurskurs.district.roster import is_person_id
from resurskurs.files import locked, write_atomically
from resurskurs.paths import var_root
from resurskurs.player.session import SAVE_FAILED, ModuleSession
from resurskurs.schema import Course
from resurskurs.schema.base import SLUG_PATTERN
from resurskurs.schema.vocabulary import LIKERT_SCALE
from resurskurs.ui.html import block, heading, text
from resurskurs.ui.widgets import LikertItem, TextAnswer

FOLDER = "follow-up"
"""var/follow-up/<slug>/<person id>.json"""


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

    def __init__(self, root: Path, slug: str) -> None:
        if not SLUG_PATTERN.fullmatch(slug):
            raise ValueError(f"not a module slug: {slug!r}")
        self.folder = root / FOLDER / slug

    def file(self, person_id: str) -> Path:
        if not is_person_id(person_id):
            raise ValueError(f"not a person id: {person_id!r}")
        return self.folder / f"{person_id}.json"

    def load(self, person_id: str) -> SurveyAnswer:
        """The saved answers; a damaged file reads as none (it is replaced by the next valid save)."""
        try:
            return SurveyAnswer.model_validate_json(self.file(person_id).read_bytes())
        except (FileNotFoundError, ValidationError):
            return SurveyAnswer()

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
        if item_id not in known.get(kind, set()):
            raise ValueError(f"{course.slug}: the follow-up has no {kind} item {item_id!r}")
        with locked(self.folder / f".{person_id}.lock"):
            data = self.load(person_id).model_dump(mode="json")
            data[kind][item_id] = value
            answers = SurveyAnswer.model_validate(data)
            write_atomically(
                self.file(person_id), json.dumps(answers.model_dump(mode="json"), ensure_ascii=False).encode()
            )
            return answers


def follow_up_survey_section(session: ModuleSession, now: datetime | None = None) -> list[w.Widget]:
    course = session.course
    survey, due = course.follow_up_survey, due_at(course, session.review)
    if survey is None or due is None:
        return []
    if not is_due(course, session.review, now or datetime.now(UTC)):
        return [
            block(
                '<h2 id="rk-uppfoljning">Uppföljning om tre månader</h2><p>Från '
                f"{due.date().isoformat()} får du några frågor här om vad du gör annorlunda i ditt arbete "
                "efter modulen.</p>"
            )
        ]
    store, person_id = FollowUpStore(var_root(), course.slug), session.store.person_id
    saved = store.load(person_id)
    widgets: list[w.Widget] = [
        heading(
            "Uppföljning – vad gör du annorlunda nu?",
            "rk-uppfoljning",
            "Det har gått ungefär tre månader sedan du lämnade in modulen. Svaren redovisas bara för grupper "
            "där minst fem har svarat, aldrig med namn.",
        )
    ]

    def save(kind: str, item_id: str, value: Any, widget: TextAnswer | None = None) -> None:
        try:
            store.save(person_id, course, kind, item_id, value)
        except (OSError, ValueError):
            if widget is not None:
                widget.error = SAVE_FAILED
            return
        if widget is not None:
            widget.error = ""
            widget.saved = f"Sparat {datetime.now():%H:%M}"

    for item in survey.likert:
        likert = LikertItem(statement=item.statement, scale=list(LIKERT_SCALE), value=saved.likert.get(item.id, 0))
        likert.observe(lambda change, item_id=item.id: save("likert", item_id, change["new"]), names="value")
        widgets.append(likert)
    for question in survey.open:
        answer = TextAnswer(label=question.question, value=saved.open.get(question.id, ""), rows=3)

        def wrote(change: dict[str, Any], question_id: str = question.id, answer: TextAnswer = answer) -> None:
            save("open", question_id, change["new"], answer)

        answer.observe(wrote, names="value")
        widgets.append(answer)
    widgets.append(block(f'<p class="rk-small">{text("Svaren sparas när du skriver eller väljer.")}</p>'))
    return widgets
