"""A player server in a child process, and pages opened on it at once: shared by browser tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # no annotations; only the tests and benchmarks use it
from jupyter_client.blocking.client import BlockingKernelClient
from playwright.sync_api import BrowserContext, Page

from resurskurs.server.forked_kernels import KERNEL_MODULES
from resurskurs.server.launch import DEFAULT_POOL_SIZE, KERNELS_SETTING
from resurskurs.testing.processes import end_group
from resurskurs.tracking.course_dir import CourseDir

CHROMIUM = "/usr/bin/chromium"
USABLE_STAMP = """
new MutationObserver((changes, observer) => {
  if (document.querySelector('.rk-page .rk-question button')) {
    window.rkUsableAfter = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""
"""Runs in a page before its own scripts: when a course widget is on screen, in ms from the navigation's start."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def open_at_once(contexts: list[BrowserContext], url: str) -> list[Page]:
    """A page per context, then every navigation started without waiting for any response (as a room does)."""
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.add_init_script(USABLE_STAMP)
    for page in pages:
        page.evaluate("url => { window.location.href = url; }", url)
    return pages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PlayerServer:
    root: Path
    var: Path
    pool_size: int = DEFAULT_POOL_SIZE
    user: str | None = None
    demo: bool = True
    cull_after: int = 600
    kernel_start: str = field(default_factory=lambda: os.environ.get(KERNELS_SETTING, "forked"))
    """`launched` starts every kernel as Jupyter does (server/launch.py KERNELS_SETTING): a benchmark's baseline."""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def course_dir(self) -> CourseDir:
        """The server's nbgrader course directory and gradebook, as `resurskurs serve` finds them."""
        return CourseDir(self.var / "exercises", f"sqlite:///{self.var / 'gradebook.db'}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> PlayerServer:
        hidden = {"RESURSKURS_USER", "JUPYTERHUB_USER", "RESURSKURS_DEMO"}
        env = {key: value for key, value in os.environ.items() if key not in hidden}
        env |= {
            "RESURSKURS_ROOT": str(self.root),
            "RESURSKURS_VAR": str(self.var),
            "RESURSKURS_EXERCISES": str(self.var / "exercises"),
            KERNELS_SETTING: self.kernel_start,
        }
        if self.user is not None:
            env["RESURSKURS_USER"] = self.user
        self.log = self.var / f"server-{self.port}.log"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "resurskurs",
                    "serve",
                    "--port",
                    str(self.port),
                    "--pool-size",
                    str(self.pool_size),
                    "--cull-after",
                    str(self.cull_after),
                    *(["--demo"] if self.demo else []),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text()}")
            if "is filled with" in self.log.read_text(errors="replace"):
                return self
            time.sleep(0.2)
        raise TimeoutError(f"the kernel pool was not ready: {self.log.read_text()}")

    def kernels(self) -> list[psutil.Process]:
        assert self.process is not None
        children = psutil.Process(self.process.pid).children(recursive=True)
        return [child for child in children if any(module in " ".join(_cmdline(child)) for module in KERNEL_MODULES)]

    def kill_hard(self) -> None:
        """kill -9 the server and its kernels, as a crash or an out-of-memory kill would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        end_group(self.process, signal.SIGTERM, 15)


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return [str(part) for part in process.cmdline()]
    except psutil.Error:
        return []


def printed_by(kernel: psutil.Process, code: str, seconds: float) -> list[str] | None:
    """What `code` printed, run in a page's kernel by a client of its own (the page's is the browser); None when
    the kernel is still busy after `seconds` (a pool kernel waits for its page's request while running)."""
    command = kernel.cmdline()
    client = BlockingKernelClient(connection_file=str(Path(kernel.cwd(), command[command.index("-f") + 1])))
    client.load_connection_file()
    client.start_channels()
    printed: list[str] = []
    try:
        client.execute_interactive(
            code, output_hook=lambda message: printed.append(message["content"].get("text", "")), timeout=seconds
        )
    except TimeoutError:
        return None
    finally:
        client.stop_channels()
    return "".join(printed).split()
