"""Start the player: one notebook, a pool of preheated kernels, the resurskurs template, loopback only.

The grader service runs beside it as a child process and is restarted whenever it stops, so one
bad moment in grading never leaves every later hand-in without an answer.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from traitlets.config import Config

from resurskurs.learners.identity import PERSON_HEADER
from resurskurs.server.forked_kernels import PROVISIONER

SERVER_DIR = Path(__file__).resolve().parent
NOTEBOOK = SERVER_DIR / "notebook" / "app.ipynb"
TEMPLATES = SERVER_DIR / "share"
DEFAULT_POOL_SIZE = 2
DEFAULT_CULL_SECONDS = 600
"""A kernel no browser has been connected to, idle this long, is shut down (drafts are saved as people type)."""
CULL_INTERVAL_SECONDS = 60
# Only the widget front-ends; other installed extensions (nbgrader's, notebook's) fail outside JupyterLab.
LABEXTENSIONS = ["@voila-dashboards/widgets-manager8", "@jupyter-widgets/jupyterlab-manager", "anywidget"]
IOPUB_TIMEOUT_SECONDS = 120
"""How long a page waits for a kernel's output after the kernel has answered (nbclient's default is 4 s).

The output travels on its own channel and can trail the answer: under load, by more than 4 s, and
nbclient then hands out the page without its widgets, which never appear. The kernel is known to be
alive (nbclient checks every second), so waiting is safe; the page tells the person meanwhile."""
KERNELS_SETTING = "RESURSKURS_KERNELS"
"""`launched` starts every kernel as its own Python process, as Jupyter does; by default kernels are forked from
a warm parent (server/forked_kernels.py), which starts them in a fraction of the time and memory. A hub's user
server launches unless the hub's environment says `forked`: it serves one person, usually one page, so a warm
parent of its own would cost more memory than it shares (deploy/README.md, Capacity)."""
RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
"""Seconds before restarting a grader that stopped, growing while it keeps stopping."""

STOPPED_ON_PURPOSE = (-signal.SIGTERM, -signal.SIGINT)
"""Exit codes of a grader that was asked to stop (Ctrl+C, a service manager): not restarted."""

log = logging.getLogger("resurskurs.serve")


def voila_config(port: int, pool_size: int, cull_seconds: int = DEFAULT_CULL_SECONDS) -> Config:
    """The Voilà configuration the tests, `resurskurs serve` and the hub's user servers share, so the tested
    pool is the served one: typed traitlets settings (each documented by its own class), no command line.

    Kernels talk to the server over Unix sockets beside their connection files, not loopback TCP ports:
    jupyter_client picks a TCP port by binding and releasing it, so two servers on one machine starting
    kernels at once could connect to each other's kernel (seen as "Invalid Signature", a page that never
    rendered); a socket file is the kernel's own, and readable only by the server's user."""
    config = Config()
    config.Voila.notebook_path = str(NOTEBOOK)
    config.Voila.open_browser = False
    config.Voila.ip = "127.0.0.1"
    config.Voila.port = port
    config.VoilaConfiguration.template = "resurskurs"
    config.VoilaConfiguration.preheat_kernel = pool_size > 0
    config.VoilaConfiguration.default_pool_size = pool_size
    config.VoilaConfiguration.http_header_envs = [PERSON_HEADER]
    config.VoilaConfiguration.show_tracebacks = False
    config.VoilaConfiguration.multi_kernel_manager_class = "resurskurs.server.kernels.PacedKernelManager"
    config.VoilaConfiguration.kernel_spec_manager_class = "resurskurs.server.kernels.KernelSpecs"
    config.VoilaConfiguration.allow_template_override = "NO"
    config.VoilaConfiguration.allow_theme_override = "NO"
    config.VoilaConfiguration.extension_allowlist = LABEXTENSIONS
    config.VoilaExporter.language_code = "sv"
    config.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT_SECONDS
    config.KernelManager.transport = "ipc"
    config.MappingKernelManager.cull_idle_timeout = cull_seconds
    config.MappingKernelManager.cull_interval = min(CULL_INTERVAL_SECONDS, max(1, cull_seconds // 2))
    config.MappingKernelManager.cull_connected = False
    if os.environ.get(KERNELS_SETTING, "forked") != "launched":
        config.KernelProvisionerFactory.default_provisioner_name = PROVISIONER
    return config


def environment() -> dict[str, str]:
    """Let Voilà find the resurskurs template beside this module."""
    paths = [str(TEMPLATES), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {"JUPYTER_PATH": os.pathsep.join(paths)}


class Supervisor:
    """Keeps one grader service running: started now, restarted after it stops, ended with `stop`."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.process = subprocess.Popen(command)
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="grader-supervisor", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            started = time.monotonic()
            code = self.process.wait()
            if self._stopping.is_set() or code in STOPPED_ON_PURPOSE:
                log.info("the grader service was stopped (exit %s)", code)
                return
            failures = 0 if time.monotonic() - started > 60 else failures + 1
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            log.error("the grader service stopped (exit %s); restarting it in %.0f s", code, delay)
            if self._stopping.wait(delay):
                return
            self.process = subprocess.Popen(self.command)
            self.restarts += 1

    def stop(self) -> None:
        self._stopping.set()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._thread.join(timeout=5)


def serve(port: int, pool_size: int, cull_seconds: int = DEFAULT_CULL_SECONDS, demo: bool = False) -> None:
    """Voilà in this process and the supervised grader service beside it; both stop together. Files are
    closed to other accounts from the start (privacy/closed.py), and retention runs daily in a thread.

    `demo` lets visitors pick a fictional person (RESURSKURS_DEMO=1, inherited by every kernel).
    """
    from resurskurs.logs import configure as configure_logs
    from resurskurs.paths import var_root
    from resurskurs.privacy.closed import close
    from resurskurs.privacy.locate import Stores
    from resurskurs.privacy.retention import DAY, every
    from resurskurs.server.voila_app import ResurskursVoila
    from resurskurs.tracking.course_dir import CourseDir

    configure_logs()
    course_dir = CourseDir.default()
    stores = Stores(course_dir.db_url, var_root(), course_dir.root)
    close(stores)  # before anything is written: the cache too
    os.environ.update(environment())
    if demo:
        os.environ["RESURSKURS_DEMO"] = "1"
    else:
        os.environ.pop("RESURSKURS_DEMO", None)
    grader = Supervisor([sys.executable, "-m", "resurskurs", "grader"])
    stop_retention = threading.Event()
    retention = threading.Thread(target=every, args=(stores, DAY, stop_retention), name="retention", daemon=True)
    retention.start()
    print(f"resurskurs: öppna http://127.0.0.1:{port}/ i webbläsaren (avsluta med Ctrl+C)", flush=True)
    try:
        ResurskursVoila.launch_instance(argv=[], config=voila_config(port, pool_size, cull_seconds))
    finally:
        stop_retention.set()
        grader.stop()
