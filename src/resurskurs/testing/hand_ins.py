"""Fixtures for hand-in tests: the short player course built as nbgrader assignments, and answers to it.

A pytest plugin (loaded by tests/conftest.py) so the tracking and safety specifications share them, and a
plain module the benchmarks import without importing any test module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from resurskurs.catalog.load import Catalog, Module, load_catalog
from resurskurs.core.answers import HandIn
from resurskurs.testing.content import player_content
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir

SLUG = "prova-pa"


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    loaded = load_catalog(player_content(tmp_path / "content"))
    assert loaded.problems == []
    return loaded


@pytest.fixture
def course_dir(tmp_path: Path, catalog: Catalog, gradebook_url: str) -> CourseDir:
    directory = CourseDir(tmp_path / "exercises", gradebook_url)
    build(catalog, directory)
    return directory


def answers_for(module: Module, index: int) -> HandIn:
    """Person `index` answers item k correctly when index is divisible by k + 2 (a spread of scores)."""
    quiz = {}
    for k, item in enumerate(module.course.preparation.knowledge_check.items):
        wrong = [i for i, option in enumerate(item.options) if not option.correct][:1]
        quiz[item.id] = {"selected": item.correct_indices if index % (k + 2) == 0 else wrong}
    return HandIn.model_validate(
        {"quiz": quiz, "reflection": f"Min reflektion nummer {index} om trygghet vid lämning.",
         "practice": {"done": True, "note": "Det gick bra."}, "survey": {"likert": {"e1": 4}, "open": {}}})


def expected_score(module: Module, answers: HandIn) -> float:
    items = module.course.preparation.knowledge_check.items
    return float(sum(item.points for item in items if answers.quiz[item.id].selected == item.correct_indices))
