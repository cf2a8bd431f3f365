"""Where the grader service listens: on the address the hub gives it, or, when the hub names it by a host name that is
not this machine's (Kubernetes: `http://hub:10101`, the hub's Service), on every interface."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from resurskurs.hub.service import listening_address
from resurskurs.testing.content import player_content
from resurskurs.testing.processes import end_group
from resurskurs.testing.server import free_port

PREFIX = "/services/resurskurs-grader/"
START_SECONDS = 90


class DescribeTheListeningAddress:
    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("http://127.0.0.1:10101", (10101, "127.0.0.1")),
            ("http://localhost:10101", (10101, "localhost")),
            ("http://10.0.3.7:10101", (10101, "10.0.3.7")),
            ("http://[::1]:10101", (10101, "::1")),
            ("http://hub:10101", (10101, "")),
            ("http://grader.district.example:8080", (8080, "")),
            ("http://127.0.0.1", (80, "127.0.0.1")),
        ],
    )
    def it_listens_on_an_address_alone_and_on_every_interface_for_a_name(
        self, url: str, expected: tuple[int, str]
    ) -> None:
        assert listening_address(url) == expected


class DescribeTheServiceStarted:
    def it_answers_when_the_hub_names_it_by_a_host_name_no_interface_here_has(self, tmp_path: Path) -> None:
        """`.invalid` never resolves (RFC 2606): listening on the name itself would fail, as `hub` does in the hub's
        pod; the service must start and answer, here on the loopback interface."""
        port = free_port()
        hub_set = ("RESURSKURS_", "JUPYTERHUB_")
        environ = {name: value for name, value in os.environ.items() if not name.startswith(hub_set)}
        environ |= {
            "JUPYTERHUB_SERVICE_URL": f"http://grader.invalid:{port}",
            "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
            "JUPYTERHUB_API_TOKEN": "not-used-before-a-request-with-a-token",
            "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api",
            "RESURSKURS_GRADEBOOK_URL": f"sqlite:///{tmp_path / 'gradebook.db'}",
            "RESURSKURS_ROOT": str(player_content(tmp_path / "content")),
            "RESURSKURS_VAR": str(tmp_path / "var"),
            "RESURSKURS_EXERCISES": str(tmp_path / "exercises"),
        }
        log = tmp_path / "service.log"
        with log.open("wb") as out:
            service = subprocess.Popen(
                [sys.executable, "-m", "resurskurs.hub", "service"],
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            answer = None
            deadline = time.monotonic() + START_SECONDS
            while answer is None and service.poll() is None and time.monotonic() < deadline:
                try:
                    answer = requests.get(f"http://127.0.0.1:{port}{PREFIX}api/me", timeout=5)
                except requests.ConnectionError:
                    time.sleep(0.2)
            assert answer is not None, log.read_text(errors="replace")[-3000:]
            assert answer.status_code == 403, "the service itself answers: no token, no person"
            assert "listens on every interface" in log.read_text(errors="replace")
        finally:
            end_group(service, signal.SIGTERM, 60)
