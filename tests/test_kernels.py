"""Kernels start a few at a time, each holding its slot until it has preheated; a long queue means full."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
import websockets
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from voila.app import Voila
from voila.configuration import VoilaConfiguration
from voila.execute import VoilaExecutor
from voila.request_info_handler import RequestInfoSocketHandler
from websockets.exceptions import ConnectionClosed, InvalidStatus

from resurskurs.player.request import QUERY_TOKEN
from resurskurs.server import kernels
from resurskurs.server.kernels import (
    CONNECTED_IDLE_FACTOR,
    START_SLOTS,
    PacedKernelManager,
    PreheatHandler,
    forget_request,
    mark_preheated,
    query_token,
)
from resurskurs.server.launch import IOPUB_TIMEOUT_SECONDS, voila_config

PREHEATING = {"env": {"VOILA_PREHEAT": "True"}}


@pytest.fixture
def manager(monkeypatch: pytest.MonkeyPatch) -> PacedKernelManager:
    """A paced manager whose kernels start instantly and stay alive (no processes)."""
    numbers = itertools.count(1)

    async def start(self: AsyncMappingKernelManager, *args: Any, **kwargs: Any) -> str:
        return f"kernel-{next(numbers)}"

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start)
    monkeypatch.setattr(PacedKernelManager, "__contains__", lambda self, kernel_id: True)
    return PacedKernelManager()


def run(scenario: Coroutine[Any, Any, None]) -> None:
    """Run on a fresh loop in a thread of its own: a browser test's Playwright may hold this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, scenario).result()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


class DescribePacedKernelStarts:
    def it_starts_the_next_kernel_only_when_one_has_preheated(self, manager: PacedKernelManager) -> None:
        async def scenario() -> None:
            starts = [asyncio.ensure_future(manager.start_kernel(**PREHEATING)) for _ in range(START_SLOTS + 1)]
            await settle()
            assert [start.done() for start in starts] == [True] * START_SLOTS + [False]
            assert manager.queued == 1
            mark_preheated(starts[0].result())
            await settle()
            assert starts[-1].done() and manager.queued == 0
            for start in starts:
                mark_preheated(start.result())
            await settle()

        run(scenario())

    def it_frees_the_slot_at_once_for_a_kernel_outside_the_pool(self, manager: PacedKernelManager) -> None:
        async def scenario() -> None:
            for _ in range(START_SLOTS + 2):
                await asyncio.wait_for(manager.start_kernel(env={"VOILA_PREHEAT": "False"}), 1)

        run(scenario())

    def it_counts_as_full_once_the_queue_reaches_its_limit(
        self, manager: PacedKernelManager, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(kernels, "QUEUE_LIMIT", 2)

        async def scenario() -> None:
            starts = [asyncio.ensure_future(manager.start_kernel(**PREHEATING)) for _ in range(START_SLOTS + 2)]
            await settle()
            assert manager.full
            for start in starts[:START_SLOTS]:
                mark_preheated(start.result())
            await settle()
            assert not manager.full
            for start in starts[START_SLOTS:]:
                mark_preheated(start.result())
            await settle()

        run(scenario())


class DescribeTheServedConfiguration:
    def it_waits_for_kernel_output_and_paces_kernel_starts(self) -> None:
        """The two settings that keep pages from hanging reach the executor and the kernel manager Voilà builds."""
        app = Voila(config=voila_config(port=8866, pool_size=2))
        executor = VoilaExecutor(nbformat.v4.new_notebook(), km=None, config=app.config)
        assert executor.iopub_timeout == IOPUB_TIMEOUT_SECONDS >= 60
        assert VoilaConfiguration(config=app.config).multi_kernel_manager_class is PacedKernelManager


KERNEL = "0a1b2c3d-1111-2222-3333-444455556666"


async def _query_server() -> tuple[tornado.httpserver.HTTPServer, int]:
    """Voilà's query route (its kernel-id pattern), with this app's handler, on a loopback port of its own."""
    app = tornado.web.Application([(r"/voila/query/(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)", PreheatHandler)])
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]


def _connect(port: int, token: str | None, origin: str | None = None) -> Any:
    headers = {"Authorization": f"token {token}"} if token is not None else {}
    url = f"ws://127.0.0.1:{port}/voila/query/{KERNEL}"
    return websockets.connect(url, additional_headers=headers, origin=origin, open_timeout=5)  # type: ignore[arg-type]


class DescribeTheRequestSocket:
    """`voila/query/<kernel>` hands a page's request to its kernel, and to nobody else."""

    def it_refuses_a_stranger_who_knows_the_kernel_id(self) -> None:
        async def scenario() -> None:
            server, port = await _query_server()
            try:
                for token, origin in ((None, None), ("guessed", None), (query_token(KERNEL), "http://127.0.0.1")):
                    with pytest.raises(InvalidStatus) as refused:
                        async with _connect(port, token, origin):
                            pass
                    assert refused.value.response.status_code == 403
            finally:
                server.stop()

        run(scenario())

    def it_delivers_a_request_once_to_its_kernel_and_keeps_nothing(self) -> None:
        async def scenario() -> None:
            server, port = await _query_server()
            RequestInfoSocketHandler.send_updates({"kernel_id": KERNEL, "payload": {"QUERY_STRING": "kurs=takk"}})
            try:
                async with _connect(port, query_token(KERNEL)) as kernel:
                    assert json.loads(await kernel.recv()) == {"QUERY_STRING": "kurs=takk"}
                assert KERNEL not in RequestInfoSocketHandler._cache
                async with _connect(port, query_token(KERNEL)) as later:
                    with pytest.raises(TimeoutError):
                        await asyncio.wait_for(later.recv(), 0.3)
            finally:
                server.stop()

        run(scenario())

    def it_never_lets_a_second_waiter_displace_the_first(self) -> None:
        async def scenario() -> None:
            server, port = await _query_server()
            try:
                async with _connect(port, query_token(KERNEL)) as first:
                    await settle_on(lambda: KERNEL in RequestInfoSocketHandler._waiters)
                    async with _connect(port, query_token(KERNEL)) as second:
                        with pytest.raises(ConnectionClosed):
                            await asyncio.wait_for(second.recv(), 5)
                        assert second.close_code == 4409
                    RequestInfoSocketHandler.send_updates({"kernel_id": KERNEL, "payload": {"QUERY_STRING": "a"}})
                    assert json.loads(await first.recv()) == {"QUERY_STRING": "a"}
            finally:
                server.stop()

        run(scenario())

    def it_forgets_the_request_of_a_kernel_that_has_gone(self) -> None:
        RequestInfoSocketHandler.send_updates({"kernel_id": KERNEL, "payload": {"QUERY_STRING": "b"}})
        forget_request(KERNEL)
        assert KERNEL not in RequestInfoSocketHandler._cache

    def it_gives_each_kernel_a_token_of_its_own(self, manager: PacedKernelManager) -> None:
        started: list[dict[str, Any]] = []

        async def start(self: AsyncMappingKernelManager, *args: Any, **kwargs: Any) -> str:
            started.append(kwargs)
            return str(kwargs["kernel_id"])

        async def scenario() -> None:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(AsyncMappingKernelManager, "start_kernel", start)
                first = await manager.start_kernel(env={"PATH": "/bin"})
                second = await manager.start_kernel(env={"PATH": "/bin"})
            assert first != second
            assert [kwargs["env"][QUERY_TOKEN] for kwargs in started] == [query_token(first), query_token(second)]
            assert started[0]["env"]["PATH"] == "/bin"

        run(scenario())


async def settle_on(condition: Any, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the condition never held"
        await asyncio.sleep(0.02)


class DescribeCullingAnOpenPage:
    def it_shuts_down_a_connected_kernel_only_after_the_longer_limit(self, manager: PacedKernelManager) -> None:
        manager.cull_idle_timeout = 600
        ended: list[str] = []

        async def shutdown(kernel_id: str, *args: Any, **kwargs: Any) -> None:
            ended.append(kernel_id)

        async def scenario() -> None:
            now = utcnow()
            idle_for = {"recent": 700, "long": 600 * CONNECTED_IDLE_FACTOR + 60}
            for name, seconds in idle_for.items():
                manager._kernels[name] = SimpleNamespace(
                    last_activity=now - timedelta(seconds=seconds),
                    execution_state="idle",
                    kernel_spec=SimpleNamespace(metadata={}),
                    kernel_name="python3",
                )
                manager._kernel_connections[name] = 1
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(manager, "shutdown_kernel", shutdown)
                for name in idle_for:
                    await manager.cull_kernel_if_idle(name)

        run(scenario())
        assert ended == ["long"]
