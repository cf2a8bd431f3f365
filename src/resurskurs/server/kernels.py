"""Kernels start a few at a time, each until it is preheated, so a burst of visitors never starves the server.

Voilà refills its preheated pool by starting every missing kernel at once: ten people arriving together
meant ten Python processes importing the app on two cores while the pages already handed out were
being built. Each start took the whole burst's time, the server's event loop fell behind the kernels'
output, and pages were handed out incomplete. Here a kernel holds one of `START_SLOTS` slots from
its start until it has preheated (its notebook has connected to `voila/query` to wait for a
request), and the next kernel starts only then: in request order, each as fast as one kernel can.

The `voila/query` socket carries a page's request to its kernel. Voilà's own handler answers anyone who
knows a kernel id (on every kernel's command line and in its page) and keeps an undelivered request for
good, so a stranger could receive a person's request or read an earlier one. Here each kernel is started
with a token of its own (an HMAC of its id under a secret of this server process, in the kernel's
environment only); the socket answers only a connection that presents it and no browser (no Origin),
delivers each request once to the one kernel it belongs to, and never lets a second waiter displace the first.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import inspect
import logging
import os
import secrets
import uuid
from datetime import timedelta
from typing import Any

import tornado.web
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.paths import jupyter_path
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import default
from voila.request_info_handler import RequestInfoSocketHandler

from resurskurs.player.request import QUERY_TOKEN

START_SLOTS = 2
"""Kernels starting at the same time: on two cores, two keep both busy and leave pages a share of the CPU."""
QUEUE_LIMIT = 60
"""Kernels waiting for a start slot at which the server counts as full: a new visitor is told so in Swedish and
offered to try again, rather than waiting on a blank page. Forked kernels (server/forked_kernels.py) start and
preheat in about a second of CPU, so this is about a minute's work on two cores: a studiedag's unit of thirty
opening the module together, and the latecomers, wait their turn instead of being turned away."""
PREHEAT_LIMIT_SECONDS = 60.0
"""A kernel that has not preheated by then gives its slot up anyway, so one stuck start never blocks the rest."""

_SECRET = secrets.token_bytes(32)
"""This server process's key for kernel tokens: a restarted server's kernels are new kernels anyway."""

CONNECTED_IDLE_FACTOR = 6
"""A kernel whose page is still open but idle is shut down after this many times the idle timeout (an hour by
default): a tab left open overnight would otherwise hold its kernel for good. Drafts are saved as people type."""

log = logging.getLogger("resurskurs.kernels")


def query_token(kernel_id: str) -> str:
    """The token only kernel `kernel_id` of this server holds."""
    return hmac.new(_SECRET, kernel_id.encode(), hashlib.sha256).hexdigest()

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

    def pre_start_kernel(self, kernel_name: str | None, kwargs: Any) -> tuple[Any, str, str]:
        """Name the connection file (and the Unix sockets beside it) by a random id of its own: jupyter_client
        names it by the kernel id, which every account on the machine could read from the kernel's command
        line (`ps`), and a kernel id is what a socket URL to the kernel needs."""
        manager, name, kernel_id = super().pre_start_kernel(kernel_name, kwargs)
        manager.connection_file = os.path.join(self.connection_dir, f"kernel-{uuid.uuid4()}.json")
        return manager, name, kernel_id

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        if "env" in kwargs:
            kwargs["kernel_id"] = kwargs.get("kernel_id") or str(uuid.uuid4())
            kwargs["env"] = {**kwargs["env"], QUERY_TOKEN: query_token(kwargs["kernel_id"])}
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

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """jupyter_server's culling, plus a longer limit for a kernel a browser is still connected to."""
        kernel = self._kernels.get(kernel_id)
        connected = self._kernel_connections.get(kernel_id, 0)
        limit = timedelta(seconds=self.cull_idle_timeout * CONNECTED_IDLE_FACTOR)
        last = getattr(kernel, "last_activity", None)
        busy = getattr(kernel, "execution_state", "") == "busy"
        if connected and last is not None and self.cull_idle_timeout > 0 and not busy and utcnow() - last > limit:
            log.warning("shutting down kernel %s: a page has been open and idle for over %s", kernel_id, limit)
            await self.shutdown_kernel(kernel_id)
            return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[no-untyped-call]

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        forget_request(kernel_id)
        done = super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[no-untyped-call]
        if inspect.isawaitable(done):
            await done

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
    """Voilà's `voila/query` websocket for the kernel itself; a kernel connecting to it has preheated and frees
    its start slot. Voilà's page handler keeps using the base class's waiters and cache, which this shares."""

    kernel_id = ""

    def prepare(self) -> None:
        """Before the upgrade: only the kernel, with its own token; a browser (it always sends Origin) never."""
        kernel_id = str(self.path_kwargs.get("kernel_id") or (self.path_args or [""])[0])
        presented = self.request.headers.get("Authorization", "").removeprefix("token ").strip()
        if "Origin" in self.request.headers or not hmac.compare_digest(presented, query_token(kernel_id)):
            log.warning("refused a voila/query socket for kernel %s from %s", kernel_id, self.request.remote_ip)
            raise tornado.web.HTTPError(403)

    def open(self, kernel_id: str) -> None:
        waiters = RequestInfoSocketHandler._waiters
        if kernel_id in waiters:
            log.warning("a second voila/query socket for kernel %s was closed", kernel_id)
            self.close(4409, "already waiting")
            return
        self.kernel_id = kernel_id
        waiters[kernel_id] = self
        waiting = RequestInfoSocketHandler._cache.pop(kernel_id, None)
        if waiting is not None:
            self.write_message(waiting)
        mark_preheated(kernel_id)

    def on_close(self) -> None:
        if self.kernel_id and RequestInfoSocketHandler._waiters.get(self.kernel_id) is self:
            del RequestInfoSocketHandler._waiters[self.kernel_id]


def forget_request(kernel_id: str) -> None:
    """A kernel that has gone never collects its request: drop it, so nothing of it outlives the kernel."""
    RequestInfoSocketHandler._cache.pop(kernel_id, None)


def mark_preheated(kernel_id: str) -> None:
    """The kernel waits for a request now: its start slot is free for the next kernel."""
    preheated = _preheating.get(kernel_id)
    if preheated is not None:
        preheated.set()


class KernelSpecs(KernelSpecManager):
    """Kernel specs from Jupyter's folders only (the page's own is on the server's JUPYTER_PATH, server/launch.py).
    jupyter_client's default also looks in `~/.ipython/kernels`, and looking that folder up imports IPython into the
    server process: 66 modules and a few MB in every user server under the hub, for a folder this app never uses."""

    @default("kernel_dirs")
    def _jupyter_folders_only(self) -> list[str]:
        return jupyter_path("kernels")
