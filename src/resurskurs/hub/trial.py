"""`resurskurs hub try`: the district's hub on this machine, with a dummy log-in for the roster's people.

The very configuration a district runs (deploy/jupyterhub_config.py), with three things swapped for a trial:
anyone on the roster logs in by name with any password (DummyAuthenticator), servers start as local
processes (no systemd or Kubernetes), and everything lives under var/hub-try on SQLite. Nothing else differs,
so what works here works in the district.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from resurskurs.tracking.people import roster_roles

STOP_SECONDS = 60
"""Ctrl+C lets the hub stop every person's server and the service before the trial ends."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def trial_command(config: Path, folder: Path, port: int, people: list[str]) -> list[str]:
    """JupyterHub's command line: the district's config, a dummy log-in limited to `people`, local servers."""
    return [
        sys.executable, "-m", "jupyterhub", "-f", str(config),
        "--JupyterHub.authenticator_class=dummy",
        "--JupyterHub.spawner_class=simple",
        "--Authenticator.allow_all=False",
        *(f"--Authenticator.allowed_users={name}" for name in people),
        f"--SimpleLocalProcessSpawner.home_dir_template={folder}/home/{{username}}",
        f"--JupyterHub.hub_port={_free_port()}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{_free_port()}",
    ]  # fmt: skip


def trial_environment(
    folder: Path, port: int, gradebook_url: str, var: Path, exercises: Path, root: Path
) -> dict[str, str]:
    grader = f"http://127.0.0.1:{_free_port()}"
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("JUPYTERHUB_")},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "RESURSKURS_HUB_BIND_URL": f"http://127.0.0.1:{port}",
        "RESURSKURS_HUB_DB_URL": f"sqlite:///{folder / 'jupyterhub.sqlite'}",
        "RESURSKURS_GRADEBOOK_URL": gradebook_url,
        "RESURSKURS_GRADER_URL": grader,
        "RESURSKURS_ROOT": str(root),
        "RESURSKURS_VAR": str(var),
        "RESURSKURS_EXERCISES": str(exercises),
    }


def run_trial(
    config: Path, folder: Path, port: int, gradebook_url: str, var: Path, exercises: Path, root: Path
) -> int:
    """Run the trial hub in the foreground until Ctrl+C; its exit code."""
    people = sorted(roster_roles(gradebook_url))
    if not people:
        raise ValueError("the roster is empty: `resurskurs roster import FILE` (or `resurskurs demo`) first")
    environment = trial_environment(folder, port, gradebook_url, var, exercises, root)
    if shutil.which("configurable-http-proxy", path=environment["PATH"]) is None:
        raise ValueError(
            "JupyterHub's proxy, node's configurable-http-proxy, is not installed: "
            "`make .venv/bin/configurable-http-proxy` puts it beside this interpreter, "
            "or `npm install -g configurable-http-proxy`"
        )
    folder.mkdir(parents=True, exist_ok=True)
    command = trial_command(config, folder, port, people)
    print(
        f"resurskurs: provhubben på http://127.0.0.1:{port}/ – logga in med ett id ur listan "
        f"(till exempel {people[0]}) och valfritt lösenord. Avsluta med Ctrl+C.",
        flush=True,
    )
    hub = subprocess.Popen(command, cwd=folder, env=environment)
    try:
        return hub.wait()
    except KeyboardInterrupt:
        hub.send_signal(signal.SIGINT)
        try:
            return hub.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            hub.terminate()
            return hub.wait()
