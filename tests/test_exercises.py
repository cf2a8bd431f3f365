"""exercises/ is a real nbgrader course directory whose gradebook URL is one setting."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


class DescribeTheNbgraderCourse:
    def it_creates_its_gradebook_at_the_configured_url(self, tmp_path: Path) -> None:
        gradebook = tmp_path / "gradebook.db"
        bin_dir = str(Path(sys.executable).parent)
        env = {**os.environ, "RESURSKURS_GRADEBOOK_URL": f"sqlite:///{gradebook}",
               "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        completed = subprocess.run(
            [os.path.join(bin_dir, "nbgrader"), "db", "student", "list"],
            cwd=REPO / "exercises", env=env, capture_output=True, text=True,
        )
        assert completed.returncode == 0, completed.stderr
        tables = {row[0] for row in sqlite3.connect(gradebook).execute("select name from sqlite_master")}
        assert {"student", "assignment", "submitted_assignment"} <= tables
