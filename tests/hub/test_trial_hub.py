"""`resurskurs hub try`: the district's own hub configuration on this machine, for the roster's people."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from resurskurs.catalog.load import load_catalog
from resurskurs.testing.content import player_content
from resurskurs.testing.hand_ins import SLUG
from resurskurs.testing.hub import PEOPLE, xsrf
from resurskurs.testing.processes import end_group
from resurskurs.tracking.build import build
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.roster_import import import_people
from tests.databases import free_port

pytestmark = pytest.mark.hub
STARTED_SECONDS = 90


class DescribeTheTrialHub:
    def it_lets_the_roster_log_in_by_id_and_nobody_else_and_stops_with_every_process(self, tmp_path: Path) -> None:
        content = player_content(tmp_path / "content")
        var = tmp_path / "var"
        course_dir = CourseDir(var / "exercises", f"sqlite:///{var / 'gradebook.db'}")
        build(load_catalog(content), course_dir)
        import_people(PEOPLE[:7], course_dir)
        port = free_port()
        environ = {
            key: value for key, value in os.environ.items() if not key.startswith(("RESURSKURS_", "JUPYTERHUB_"))
        }
        environ |= {"RESURSKURS_VAR": str(var), "RESURSKURS_EXERCISES": str(course_dir.root)}
        log = tmp_path / "trial.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "resurskurs", "hub", "try", "--port", str(port)],
                cwd=content, env=environ | {"RESURSKURS_ROOT": str(content)},
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}/"
        seen: dict[int, psutil.Process] = {}
        try:
            _wait_until_up(url, process, log)
            assert "logga in med ett id ur listan" in log.read_text(encoding="utf-8")
            anna = _log_in(url, "anna.berg")
            page = _wait_for_page(anna, f"{url}user/anna.berg/?kurs={SLUG}", log)
            assert "voila" in page.text.lower()
            seen = {child.pid: child for child in psutil.Process(process.pid).children(recursive=True)}
            stranger = _log_in(url, "okand.person")
            assert "/hub/login" in stranger.get(f"{url}user/okand.person/").url
            assert anna.get(f"{url}hub/admin").status_code == 403
            assert _log_in(url, "eva.ros").get(f"{url}hub/admin").status_code == 200
        finally:
            end_group(process, signal.SIGINT, 60)
        _, alive = psutil.wait_procs(list(seen.values()), timeout=20)
        for left in alive:
            left.kill()
        assert alive == [], f"left running: {[p.pid for p in alive]}"


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTED_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            if requests.get(f"{url}hub/api/", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise TimeoutError(log.read_text(errors="replace")[-3000:])


def _log_in(url: str, name: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{url}hub/login").raise_for_status()
    session.post(f"{url}hub/login", data={"username": name, "password": "x", "_xsrf": xsrf(session)})
    return session


def _wait_for_page(session: requests.Session, address: str, log: Path) -> requests.Response:
    deadline = time.monotonic() + STARTED_SECONDS * 2
    while time.monotonic() < deadline:
        response = session.get(address, timeout=120)
        if response.status_code == 200 and "/user/" in response.url:
            return response
        time.sleep(1)
    raise TimeoutError(log.read_text(errors="replace")[-3000:])


class DescribeATrialWithoutTheProxy:
    def it_says_how_to_install_jupyterhubs_proxy_and_starts_nothing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from resurskurs.hub.trial import run_trial

        var = tmp_path / "var"
        course_dir = CourseDir(var / "exercises", f"sqlite:///{var / 'gradebook.db'}")
        import_people(PEOPLE[:2], course_dir)
        (tmp_path / "bin").mkdir()
        monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))  # no proxy beside it
        monkeypatch.setenv("PATH", str(tmp_path / "bin"))
        with pytest.raises(ValueError, match=r"configurable-http-proxy.*npm install -g configurable-http-proxy"):
            run_trial(Path("unused.py"), var / "hub-try", free_port(), course_dir.db_url, var, course_dir.root, var)
        assert not (var / "hub-try").exists()
