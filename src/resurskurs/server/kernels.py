"""Kernels start a few at a time, each until it is preheated, so a burst of visitors never starves the server.

Voilà refills its preheated pool by starting every missing kernel at once: ten people arriving together
meant ten Python processes importing the app on two cores while the pages already handed out were
being built. Each start took the whole burst's time, the server's event loop fell behind the kernels'
output, and pages were handed out incomplete. Here a kernel holds one of `START_SLOTS` slots from
its start until it has preheated (its notebook has connected to `voila/query` to wait for a
request), and the next kernel starts only then: in request order, each as fast as one kernel can.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from voila.request_info_handler import RequestInfoSocketHandler

START_SLOTS = 2
"""Kernels starting at the same time: on two cores, two keep both busy and leave pages a share of the CPU."""
QUEUE_LIMIT = 20
"""Kernels waiting for a start slot (about a minute's work on two cores) at which the server counts as full:
a new visitor is told so in Swedish and offered to try again, rather than waiting on a blank page."""
PREHEAT_LIMIT_SECONDS = 60.0
"""A kernel that has not preheated by then gives its slot up anyway, so one stuck start never blocks the rest."""

log = logging.getLogger("resurskurs.kernels")

_preheating: dict[str, asyncio.Event] = {}
"""Kernels started for the pool and not yet waiting for a request, by kernel id."""


def _is_preheating(kwargs: dict[str, Any]) -> bool:
    return bool(kwargs.get("env", {}).get("VOILA_PREHEAT") == "True")


class PacedKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, starting at most START_SLOTS kernels at a time (Voilà's pool wraps it)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self._slots = asyncio.Semaphore(START_SLOTS)
        self._watches: set[asyncio.Task[None]] = set()
        self.queued = 0
        """Kernel starts waiting for a slot."""

    @property
    def full(self) -> bool:
        return self.queued >= QUEUE_LIMIT

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        self.queued += 1
        try:
            await self._slots.acquire()
        finally:
            self.queued -= 1
        try:
            kernel_id: str = await super().start_kernel(*args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        if _is_preheating(kwargs):
            preheated = _preheating[kernel_id] = asyncio.Event()
            watch = asyncio.ensure_future(self._release_when_preheated(kernel_id, preheated))
            self._watches.add(watch)
            watch.add_done_callback(self._watches.discard)
        else:
            self._slots.release()
        return kernel_id

    async def _release_when_preheated(self, kernel_id: str, preheated: asyncio.Event) -> None:
        """Give the slot back once the kernel waits for a request, has gone, or took too long."""
        deadline = asyncio.get_running_loop().time() + PREHEAT_LIMIT_SECONDS
        try:
            while kernel_id in self and not preheated.is_set():
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    log.warning("kernel %s has not preheated after %.0f s", kernel_id, PREHEAT_LIMIT_SECONDS)
                    break
                try:
                    await asyncio.wait_for(preheated.wait(), min(remaining, 1.0))
                except TimeoutError:
                    continue
        finally:
            _preheating.pop(kernel_id, None)
            self._slots.release()


class PreheatHandler(RequestInfoSocketHandler):  # type: ignore[misc]
    """Voilà's `voila/query` websocket; a kernel connecting to it has preheated and frees its start slot."""

    def open(self, kernel_id: str) -> None:
        super().open(kernel_id)
        mark_preheated(kernel_id)


def mark_preheated(kernel_id: str) -> None:
    """The kernel waits for a request now: its start slot is free for the next kernel."""
    preheated = _preheating.get(kernel_id)
    if preheated is not None:
        preheated.set()
