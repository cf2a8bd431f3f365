"""Start the player: one notebook, a pool of preheated kernels, the resurskurs template, loopback only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SERVER_DIR = Path(__file__).resolve().parent
NOTEBOOK = SERVER_DIR / "notebook" / "app.ipynb"
TEMPLATES = SERVER_DIR / "share"
# Only the widget front-ends; other installed extensions (nbgrader's, notebook's) fail outside JupyterLab.
DEFAULT_POOL_SIZE = 2
LABEXTENSIONS = ["@voila-dashboards/widgets-manager8", "@jupyter-widgets/jupyterlab-manager", "anywidget"]


def voila_arguments(port: int, pool_size: int) -> list[str]:
    """The Voilà command line the tests and `resurskurs serve` share, so the tested pool is the served one."""
    return [
        str(NOTEBOOK),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--template=resurskurs",
        "--preheat_kernel=True",
        f"--pool_size={pool_size}",
        "--VoilaConfiguration.http_header_envs=Cookie",
        "--VoilaExporter.language_code=sv",
        "--VoilaConfiguration.show_tracebacks=False",
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in LABEXTENSIONS),
    ]


def environment() -> dict[str, str]:
    """Let Voilà find the resurskurs template beside this module."""
    paths = [str(TEMPLATES), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {"JUPYTER_PATH": os.pathsep.join(paths)}


def serve(port: int, pool_size: int) -> None:
    """Voilà in this process and the grader service beside it; both stop together."""
    from resurskurs.server.voila_app import ResurskursVoila

    os.environ.update(environment())
    grader = subprocess.Popen([sys.executable, "-m", "resurskurs", "grader"])
    print(f"resurskurs: öppna http://127.0.0.1:{port}/ i webbläsaren (avsluta med Ctrl+C)", flush=True)
    try:
        ResurskursVoila.launch_instance(argv=voila_arguments(port, pool_size))
    finally:
        grader.terminate()
        grader.wait(timeout=30)
