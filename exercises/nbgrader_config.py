"""nbgrader's course directory for resurskurs; the gradebook defaults to SQLite under var/."""

import os
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by nbgrader's config loader

HERE = Path(__file__).resolve().parent
VAR = HERE.parent / "var"

c.CourseDirectory.course_id = "resurskurs"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.db_url = os.environ.get("RESURSKURS_GRADEBOOK_URL", f"sqlite:///{VAR / 'gradebook.db'}")
