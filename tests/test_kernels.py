"""Kernels start a few at a time, each holding its slot until it has preheated; a long queue means full."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import nbformat
import pytest
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from voila.app import Voila
from voila.configuration import VoilaConfiguration
from voila.execute import VoilaExecutor

from resurskurs.server import kernels
from resurskurs.server.kernels import START_SLOTS, PacedKernelManager, mark_preheated
from resurskurs.server.launch import IOPUB_TIMEOUT_SECONDS, voila_arguments

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

    def it_counts_as_full_once_the_queue_reaches_its_limit(self, manager: PacedKernelManager,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
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
        app = Voila()
        app.parse_command_line(voila_arguments(port=8866, pool_size=2))
        executor = VoilaExecutor(nbformat.v4.new_notebook(), km=None, config=app.config)
        assert executor.iopub_timeout == IOPUB_TIMEOUT_SECONDS >= 60
        assert VoilaConfiguration(config=app.config).multi_kernel_manager_class is PacedKernelManager
