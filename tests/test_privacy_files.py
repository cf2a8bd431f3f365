"""Closed files: after a real hand-in through the grader, nothing holding personal data is open to another account."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from resurskurs.catalog.load import Catalog
from resurskurs.learners.store import AnswerStore
from resurskurs.privacy.closed import close, open_to_others
from resurskurs.privacy.locate import Stores
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.tracking import handin_queue
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from tests.privacy_district import EVA


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class DescribeClosedFiles:
    def it_leaves_nothing_open_after_a_real_hand_in_through_the_grader(
        self, tmp_path: Path, catalog: Catalog, course_dir: CourseDir
    ) -> None:
        var = tmp_path / "var"
        stores = Stores(course_dir.db_url, var, course_dir.root)
        import_people([EVA], course_dir)
        AnswerStore(var, EVA.id).save(SLUG, ("reflection",), "Ett utkast.")
        assert open_to_others(stores), "made with the test's umask (022), as an older version left them"
        handin_queue.enqueue(
            course_dir.queue,
            {"slug": SLUG, "person": EVA.id, "answers": answers_for(catalog.module(SLUG), 2).model_dump(mode="json")},
        )
        settings = {
            "RESURSKURS_ROOT": str(catalog.root),
            "RESURSKURS_VAR": str(var),
            "RESURSKURS_EXERCISES": str(course_dir.root),
            "RESURSKURS_GRADEBOOK_URL": course_dir.db_url,
        }
        done = subprocess.run(
            [sys.executable, "-m", "resurskurs", "grader", "--once"],
            env={**os.environ, **settings}, capture_output=True, encoding="utf-8", check=False,
        )
        assert done.returncode == 0 and "handled 1 submission(s)" in done.stdout, done.stderr
        autograded = course_dir.root / "autograded" / EVA.id / SLUG / f"{SLUG}.ipynb"
        submitted = course_dir.submitted(EVA.id, SLUG) / f"{SLUG}.ipynb"
        assert mode(autograded) == 0o400 and mode(submitted) == 0o600
        assert mode(course_dir.root / "submitted" / EVA.id) == 0o700
        assert open_to_others(stores) == []

    def it_makes_new_files_private_and_closes_what_was_open(self, tmp_path: Path, gradebook_url: str) -> None:
        var, exercises = tmp_path / "var", tmp_path / "exercises"
        (var / "answers" / EVA.id).mkdir(parents=True)
        (var / "answers" / EVA.id / f"{SLUG}.json").write_text("{}")
        stores = Stores(gradebook_url, var, exercises)
        before = os.umask(0o022)
        try:
            assert var / "answers" / EVA.id / f"{SLUG}.json" in close(stores)
            (var / "cache").mkdir()
            (var / "cache" / "catalog.json").write_text("{}")
            assert mode(var / "cache") == 0o700 and mode(var / "cache" / "catalog.json") == 0o600
        finally:
            os.umask(before)
        assert open_to_others(stores) == []
