"""Autograding with nbgrader on a kernel kept warm: the grader's throughput without changing a score.

nbgrader's `autograde` starts a fresh kernel for every submission (about a second here) while a
module's notebook runs in milliseconds. Here nbgrader's own Autograde converter does all of its
work as before (sanitising, overwriting the hidden tests from the gradebook, saving the grades),
with one change: its Execute preprocessor runs on one kernel per grader process, whose namespace
is reset (a new IPython session, the notebook's folder as working directory) before each notebook.
A kernel that died or hangs is replaced by a fresh one on the next notebook. The grader's own thread
also keeps its connection to the kernel: a new client waits at least 0.2 s for the kernel's output
channel to fall silent, which was half the time of a hand-in.

nbgrader's Gradebook also makes a new SQLAlchemy engine each time it is opened (nine times per
autograde), so every statement was compiled anew; in the grader process it gets one engine per URL
instead, whose compiled-statement cache then serves every later autograde.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from typing import Any

import sqlalchemy as sa
from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbformat import NotebookNode
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    Execute,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from resurskurs.tracking.course_dir import CourseDir

_kernels: dict[str, AsyncKernelManager] = {}
_clients: dict[int, Any] = {}
"""The main thread's open client of each warm kernel, by the kernel manager's id."""
_kernels_guard = threading.Lock()
_one_notebook_at_a_time = threading.Lock()
"""The warm kernel runs one notebook at a time, also when a process grades from several threads."""


def _reset_code(folder: str) -> str:
    """Run silently before each notebook: what a fresh kernel would give it (names, session, folder)."""
    return f"import os; os.chdir({folder!r}); get_ipython().reset(new_session=True, aggressive=False)"


class WarmExecute(Execute):  # type: ignore[misc]  # nbgrader ships no type hints
    """nbgrader's Execute on this process's warm kernel for the notebook's kernel name."""

    def preprocess(
        self, nb: NotebookNode, resources: Any = None, km: Any = None
    ) -> tuple[NotebookNode, dict[str, Any]]:
        name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name", "python3")
        with _kernels_guard:
            kernel = _kernels.get(name)
            if kernel is not None and kernel.has_kernel and not run_sync(kernel.is_alive)():
                _close_client(kernel)
                run_sync(kernel.shutdown_kernel)(now=True)
                kernel = None
            if kernel is None:
                kernel = _kernels[name] = AsyncKernelManager(kernel_name=name)
        self._reset_before = str((resources or {}).get("metadata", {}).get("path") or ".")
        try:
            with _one_notebook_at_a_time:
                executed: tuple[NotebookNode, dict[str, Any]] = super().preprocess(nb, resources, km=kernel)
        finally:
            client: Any = getattr(self, "kc", None)
            if client is not None and _clients.get(id(kernel)) is not client:
                client.stop_channels()
            self.kc = None
        return executed

    def start_new_kernel_client(self) -> Any:
        """The main thread's open client when it has one; other threads connect anew and close after."""
        kept = _clients.get(id(self.km))
        if _keeps_clients() and kept is not None and kept.channels_running:
            self.kc = kept
            return kept
        client = super().start_new_kernel_client()
        if _keeps_clients():
            _clients[id(self.km)] = client
        return client

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> tuple[NotebookNode, Any]:
        if index == 0:
            assert self.kc is not None
            reply = self.wait_for_reply(self.kc.execute(_reset_code(self._reset_before), silent=True))
            if reply is None or reply["content"]["status"] != "ok":
                raise RuntimeError(f"the warm kernel could not be reset: {json.dumps(reply, default=str)[:500]}")
        done: tuple[NotebookNode, Any] = super().preprocess_cell(cell, resources, index)
        return done


def _keeps_clients() -> bool:
    """Only the main thread, where the grader service and its workers grade, keeps a client open:
    a client's channels belong to the event loop of the thread that opened them."""
    return threading.current_thread() is threading.main_thread()


def _close_client(kernel: AsyncKernelManager) -> None:
    client = _clients.pop(id(kernel), None)
    if client is not None:
        client.stop_channels()


WARM_AUTOGRADE = [
    WarmExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
"""nbgrader's Autograde.autograde_preprocessors, with Execute replaced by WarmExecute (same order)."""


_nbgrader_engines: dict[tuple[int, str], sa.Engine] = {}


def _one_engine_per_url(url: str, **options: Any) -> sa.Engine:
    """Stands in for `create_engine` inside nbgrader.api: the same engine for the same URL in this process."""
    key = (os.getpid(), str(url))
    with _kernels_guard:
        engine = _nbgrader_engines.get(key)
        if engine is None:
            engine = _nbgrader_engines[key] = sa.create_engine(url, **options)
        return engine


@functools.cache
def warm_api(course_dir: CourseDir) -> Any:
    """nbgrader's API for `course_dir`, made once per process, autograding on the warm kernel."""
    import nbgrader.api
    from nbgrader.converters import Autograde

    defaults = Autograde().autograde_preprocessors
    if defaults != [Execute if cls is WarmExecute else cls for cls in WARM_AUTOGRADE]:
        raise RuntimeError(f"nbgrader's autograde preprocessors changed ({defaults}); check WARM_AUTOGRADE")
    nbgrader.api.create_engine = _one_engine_per_url
    return course_dir.api(WARM_AUTOGRADE)


def warm_up(course_dir: CourseDir, kernel_name: str = "python3") -> None:
    """Load nbgrader and start the warm kernel now, so the day's first hand-in is as quick as the rest."""
    warm_api(course_dir)
    with _kernels_guard:
        kernel = _kernels.get(kernel_name)
        if kernel is None:
            kernel = _kernels[kernel_name] = AsyncKernelManager(kernel_name=kernel_name)
    if not kernel.has_kernel:
        run_sync(kernel.start_kernel)()


def shut_down_kernels() -> None:
    """Stop this process's warm kernels (the grader service stopping, a test ending)."""
    with _kernels_guard:
        for kernel in _kernels.values():
            _close_client(kernel)
            if kernel.has_kernel:
                run_sync(kernel.shutdown_kernel)(now=True)
        _kernels.clear()
