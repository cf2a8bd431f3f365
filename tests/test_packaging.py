"""An installed wheel serves the same courses as the checkout it was built from, without local media."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


class DescribeTheWheel:
    def it_carries_the_content_and_finds_it_when_installed(self, tmp_path: Path) -> None:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", str(REPO),
             "-w", str(tmp_path / "dist")],
            check=True, capture_output=True,
        )
        (wheel,) = (tmp_path / "dist").glob("resurskurs-*.whl")
        names = zipfile.ZipFile(wheel).namelist()
        assert "resurskurs/content/courses/takk/course.yaml" in names
        assert "resurskurs/content/films/takk.sv.vtt" in names
        assert "resurskurs/content/schema/course.schema.json" in names
        assert "resurskurs/server/share/kernels/resurskurs/kernel.json" in names
        assert "resurskurs/hub/templates/error.html" in names
        assert not [name for name in names if "/media/" in name or name.startswith("tests/")]

        site = tmp_path / "site"
        zipfile.ZipFile(wheel).extractall(site)
        env = {key: value for key, value in os.environ.items() if key != "RESURSKURS_ROOT"}
        env["PYTHONPATH"] = str(site)
        completed = subprocess.run(
            [sys.executable, "-m", "resurskurs", "list", "--json"],
            cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
        )
        listed = sorted(row["slug"] for row in json.loads(completed.stdout))
        assert listed == sorted(course.parent.name for course in (REPO / "courses").glob("*/course.yaml"))
