"""`make serve` from a fresh clone until it prints its address: what a resource team waits through at set-up.

The clone is of this checkout's last commit; the install (virtualenv and pip) is timed apart from the rest
(check, stand-ins, demo district, server start). The output is kept: progress must be shown, and the
noise the old set-up printed (kernel TCP warnings, nbgrader's SAWarnings) must not reach the screen.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from resurskurs.testing.content import REPO

DEADLINE_SECONDS = 900
ADDRESS = re.compile(r"öppna (http://127\.0\.0\.1:\d+/)")
NOISE = ("Kernel is running over TCP without encryption", "SAWarning")
INSTALLED = ".venv/.installed"


def run() -> str:
    with tempfile.TemporaryDirectory() as temporary:
        clone = Path(temporary) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        started = time.monotonic()
        process = subprocess.Popen(
            ["make", "serve"],
            cwd=clone,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        lines: list[str] = []
        installed = address = None
        try:
            for line in process.stdout:
                lines.append(line)
                if installed is None and (clone / INSTALLED).exists():
                    installed = time.monotonic() - started
                if ADDRESS.search(line):
                    address = time.monotonic() - started
                    break
                if time.monotonic() - started > DEADLINE_SECONDS:
                    break
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    if address is None:
        return f"make serve from a fresh clone: no address within {DEADLINE_SECONDS} s; last lines:\n" + "".join(
            lines[-15:]
        )
    noise = sum(1 for line in lines if any(word in line for word in NOISE))
    return (
        f"make serve from a fresh clone: address after {address:.0f} s (goal ≤ 180 s); install part "
        f"{installed or 0:.0f} s, the rest {address - (installed or 0):.0f} s; {len(lines)} lines printed, "
        f"{noise} of them kernel or SQLAlchemy noise"
    )


if __name__ == "__main__":
    print(run())
