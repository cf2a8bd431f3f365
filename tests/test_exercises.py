"""exercises/ is a real nbgrader course directory whose gradebook URL is one setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import REPO


class DescribeTheNbgraderCourse:
    def it_creates_its_gradebook_at_the_configured_url(self, gradebook_url: str) -> None:
        bin_dir = str(Path(sys.executable).parent)
        env = {**os.environ, "RESURSKURS_GRADEBOOK_URL": gradebook_url,
               "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        completed = subprocess.run(
            [os.path.join(bin_dir, "nbgrader"), "db", "student", "list"],
            cwd=REPO / "exercises", env=env, capture_output=True, text=True,
        )
        assert completed.returncode == 0, completed.stderr
        engine = sa.create_engine(gradebook_url)
        tables = set(sa.inspect(engine).get_table_names())
        engine.dispose()
        assert {"student", "assignment", "submitted_assignment"} <= tables
