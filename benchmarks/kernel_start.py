"""What one learner's kernel costs to start: CPU and wall time, forked from the warm parent against launched.

Each kernel is started the way Voilà starts one (a multi-kernel manager with the served configuration's
provisioner and transport, from the page's own kernel spec, server/page_kernel.py), and then runs what the course
notebook runs first (`import resurskurs.server.pages`, which loads the catalog). Its CPU is the kernel process's
own user + system time at that point, plus, for a forked kernel, what the fork cost the warm parent (its CPU over
the forks, shared out). The baseline, in the same run, is the launched kernel: the same spec started as Jupyter
starts one, `RESURSKURS_KERNELS=launched`. The warm parent's one-off warm-up is reported beside it: it is paid
once per server, not per page.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # no annotations
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.multikernelmanager import AsyncMultiKernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory
from traitlets.config import Config

from resurskurs.paths import content_root
from resurskurs.server.forked_kernels import PROVISIONER, WarmParent, stop_being_subreaper
from resurskurs.server.launch import TEMPLATES
from resurskurs.server.page_kernel import KERNEL_NAME

KERNELS = 8
FIRST_CELL = "import resurskurs.server.pages"
GOAL_CPU_SECONDS = 0.15


def _config(forked: bool) -> Config:
    config = Config()
    config.KernelManager.transport = "ipc"
    if forked:
        config.KernelProvisionerFactory.default_provisioner_name = PROVISIONER
    return config


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


async def _kernels(forked: bool, env: dict[str, str]) -> tuple[list[float], list[float], float, float]:
    """CPU seconds and wall seconds per kernel (first cell run), the warm parent's CPU per fork and its warm-up.
    The first kernel is left out of the figures: on a forked server it also waits for the warm parent."""
    KernelProvisionerFactory.clear_instance()
    specs = KernelSpecManager(kernel_dirs=[str(TEMPLATES / "kernels")])
    managers = AsyncMultiKernelManager(config=_config(forked), kernel_spec_manager=specs)
    cpu, wall = [], []
    warm_up = per_fork = 0.0
    parent = None
    try:
        for number in range(KERNELS + 1):
            started = time.monotonic()
            kernel_id = await managers.start_kernel(kernel_name=KERNEL_NAME, env=env)
            manager = managers.get_kernel(kernel_id)
            client = manager.client()
            client.start_channels()
            await client.wait_for_ready(timeout=120)
            reply = await client.execute_interactive(FIRST_CELL, timeout=120)
            assert reply["content"]["status"] == "ok", reply["content"]
            client.stop_channels()
            if number == 0:
                parent = await WarmParent.shared() if forked else None
                warm_up = _cpu(psutil.Process(parent.process.pid)) if parent else 0.0
                continue
            wall.append(time.monotonic() - started)
            cpu.append(_cpu(psutil.Process(manager.provisioner.pid)))  # type: ignore[union-attr]
        if parent is not None:
            per_fork = (_cpu(psutil.Process(parent.process.pid)) - warm_up) / KERNELS
    finally:
        await managers.shutdown_all(now=True)
        if parent is not None:
            await parent.stop()
        KernelProvisionerFactory.clear_instance()
        if forked:  # the benchmarks after this one must not inherit orphaned browser processes as children
            stop_being_subreaper()
    return cpu, wall, per_fork, warm_up


def run() -> str:
    with tempfile.TemporaryDirectory() as temporary:
        env = {**os.environ, "RESURSKURS_ROOT": str(content_root()), "RESURSKURS_VAR": str(Path(temporary) / "var")}
        launched_cpu, launched_wall, _, _ = asyncio.run(_kernels(False, env))
        forked_cpu, forked_wall, per_fork, warm_up = asyncio.run(_kernels(True, env))
    launched = statistics.median(launched_cpu)
    forked = statistics.median(forked_cpu) + per_fork
    return (
        f"kernel start, first cell run (median of {KERNELS}): CPU forked {forked:.2f} s (goal ≤ "
        f"{GOAL_CPU_SECONDS} s; {per_fork:.3f} s of it in the warm parent), launched {launched:.2f} s, "
        f"ratio {forked / launched:.2f}x; wall forked {statistics.median(forked_wall):.2f} s, launched "
        f"{statistics.median(launched_wall):.2f} s; the warm parent's one-off warm-up {warm_up:.2f} s CPU"
    )
