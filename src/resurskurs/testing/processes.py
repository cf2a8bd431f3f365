"""Ending what a test started, by its id: a process group asked to stop, then killed if it does not."""

from __future__ import annotations

import os
import signal
import subprocess


def end_group(process: subprocess.Popen[bytes], ask: signal.Signals, seconds: float) -> None:
    """Send `ask` to the group of `process` (started with `start_new_session`), and SIGKILL after `seconds`."""
    os.killpg(process.pid, ask)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
