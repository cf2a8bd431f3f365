"""Kernels forked from a warm parent (server/warm_parent.py) instead of launched: a kernel provisioner.

jupyter_client asks a provisioner to start, poll, signal and kill each kernel; this one hands the start to
the warm parent and otherwise treats the forked kernel as the launched one it replaces. The server process
becomes a child subreaper, so a forked kernel is reparented to it at once: it is the server's child (polled,
signalled and reaped here; stopped by ipykernel when the server goes) and outlives a warm parent that crashes.

A warm parent that has stopped is started again at the next kernel; a fork that fails, a kernel command this
cannot fork, or a system without subreapers, gets an ordinary launch, and the log says why.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from resurskurs.server import page_kernel

PROVISIONER = "resurskurs-forked"
"""The entry point name (pyproject.toml) that `voila_config` names as the default provisioner."""
START_SECONDS = 120.0
"""How long the warm parent may take to import everything (seconds on a busy machine)."""
RETRY_SECONDS = 60.0
"""After a warm parent that could not start (broken content, say), kernels are launched this long before the
next try, so every kernel start does not pay for a failing warm-up too."""
FORK_SECONDS = 10.0
"""How long a fork may take before the warm parent counts as stuck and is replaced."""
PR_SET_CHILD_SUBREAPER = 36
KERNEL_MODULES = (page_kernel.MODULE, "ipykernel_launcher")
"""What `-m` a kernel spec may start for its kernel to be forked: the page's kernel and ipykernel's own."""

log = logging.getLogger("resurskurs.kernels")


class ForkFailed(Exception):
    """The warm parent could not fork this kernel; it is launched instead."""


class ForkedKernel:
    """The `subprocess.Popen` surface jupyter_client's local provisioner uses, for a kernel this process did
    not start but is the parent of."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = 0 if not _exists(self.pid) else None
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"kernel {self.pid} is still running")
            time.sleep(0.05)
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def forkable(cmd: list[str]) -> bool:
    """Only this interpreter's ipykernel, started as its kernel spec does (the page's or ipykernel's own): anything
    else is launched."""
    return (
        len(cmd) >= 3
        and cmd[1] == "-m"
        and cmd[2] in KERNEL_MODULES
        and Path(cmd[0]).resolve() == Path(sys.executable).resolve()
    )


def become_subreaper() -> bool:
    """Make orphaned descendants this process's children (Linux); False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)


def stop_being_subreaper() -> None:
    """Undo `become_subreaper` and forget the warm parent: a process that started kernels by fork for a while
    (a benchmark, a spec) goes on without adopting orphans, such as a browser's, as its children."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
    WarmParent._shared = WarmParent._starting = WarmParent._failed_at = None
    WarmParent.can_fork = None


class WarmParent:
    """The server's one warm parent: started on first use, replaced when it has stopped or is stuck."""

    command: ClassVar[list[str]] = [sys.executable, "-m", "resurskurs.server.warm_parent"]
    _shared: ClassVar[WarmParent | None] = None
    _starting: ClassVar[asyncio.Lock | None] = None
    _failed_at: ClassVar[float | None] = None
    can_fork: ClassVar[bool | None] = None

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self._turn = asyncio.Lock()

    @classmethod
    async def shared(cls) -> WarmParent | None:
        """The running warm parent, started (again) when needed; None when kernels must be launched."""
        if cls.can_fork is None:
            cls.can_fork = become_subreaper()
            if not cls.can_fork:
                log.warning("kernels are launched, not forked: this system cannot make the server a subreaper")
        if not cls.can_fork:
            return None
        if cls._starting is None:
            cls._starting = asyncio.Lock()
        async with cls._starting:
            current = cls._shared
            if current is not None and current.process.returncode is None:
                return current
            if cls._failed_at is not None and time.monotonic() - cls._failed_at < RETRY_SECONDS:
                return None
            if current is not None:
                log.warning("the warm parent stopped (exit %s); starting a new one", current.process.returncode)
            cls._shared = await cls._start()
            cls._failed_at = None if cls._shared is not None else time.monotonic()
            return cls._shared

    @classmethod
    async def _start(cls) -> WarmParent | None:
        process = await asyncio.create_subprocess_exec(
            *cls.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=2**20,
        )
        parent = cls(process)
        try:
            ready = await parent._read(START_SECONDS)
        except ForkFailed as error:
            log.warning("kernels are launched, not forked: %s", error)
            await parent.stop()
            return None
        log.info("the warm parent (pid %s) forks kernels", ready.get("ready"))
        return parent

    async def fork(self, cmd: list[str], env: dict[str, str], cwd: str | None) -> int:
        """The pid of a new kernel running `cmd` in `env` and `cwd`, forked from this warm parent."""
        request = json.dumps({"argv": cmd, "env": env, "cwd": cwd}) + "\n"
        async with self._turn:
            assert self.process.stdin is not None
            try:
                self.process.stdin.write(request.encode())
                await self.process.stdin.drain()
            except (BrokenPipeError, ConnectionResetError) as error:
                raise ForkFailed(f"the warm parent has stopped ({error})") from error
            try:
                answer = await self._read(FORK_SECONDS)
            except ForkFailed:
                await self.stop()
                raise
        return int(answer["pid"])

    async def _read(self, seconds: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        try:
            line = await asyncio.wait_for(self.process.stdout.readline(), seconds)
        except TimeoutError as error:
            raise ForkFailed(f"the warm parent gave no answer in {seconds:.0f} s") from error
        if not line:
            raise ForkFailed(f"the warm parent has stopped (exit {await self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise ForkFailed(str(answer["error"]))
        return answer

    async def stop(self) -> None:
        """Close its stdin (it ends by itself when idle), and kill it if it has not ended in a few seconds."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 5)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, starting kernels by fork where it can."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if forkable(cmd):
            parent = await WarmParent.shared()
            if parent is not None:
                env = {**(kwargs.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())}
                cwd = kwargs.get("cwd")
                try:
                    pid = await parent.fork(cmd, env, str(cwd) if cwd else None)
                except ForkFailed as error:
                    log.warning("a kernel is launched instead of forked: %s", error)
                else:
                    self.process = ForkedKernel(pid)  # type: ignore[assignment]  # Popen's surface, not a Popen
                    self.pid = self.pgid = pid
                    self.cwd = cwd or Path.cwd()
                    return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)
