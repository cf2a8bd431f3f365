"""A kernel forked from the warm parent behaves like a launched one: code, widgets, interrupt, restart, shutdown,
a crash of the warm parent, the end of the server; and where forking cannot work, kernels are launched."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import pytest
from ipywidgets.widgets.widget import __control_protocol_version__
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.multikernelmanager import AsyncMultiKernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory
from traitlets.config import Config

from resurskurs.server import page_kernel
from resurskurs.server.forked_kernels import PROVISIONER, ForkedKernel, WarmParent, stop_being_subreaper
from resurskurs.server.launch import environment, voila_config

SECONDS = 60


@pytest.fixture(autouse=True)
def fresh_warm_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each spec has a warm parent of its own (on its own event loop) and a provisioner factory of its own (a
    singleton that keeps the configuration of whoever made it first: nbgrader's autograde, in a worker that ran
    one), and this process stops being a subreaper afterwards, so no later test in this worker inherits orphans."""
    monkeypatch.setenv("RESURSKURS_VAR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    KernelProvisionerFactory.clear_instance()
    WarmParent.can_fork = None
    WarmParent._failed_at = None
    yield
    KernelProvisionerFactory.clear_instance()
    stop_being_subreaper()


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """On a fresh loop in a thread of its own (a browser test's Playwright may hold this thread's loop); the warm
    parent, tied to that loop, stops with it."""

    async def then_stop() -> None:
        try:
            await scenario()
        finally:
            if WarmParent._shared is not None:
                await WarmParent._shared.stop()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, then_stop()).result()


def forking_config() -> Config:
    config = Config()
    config.KernelProvisionerFactory.default_provisioner_name = PROVISIONER
    config.KernelManager.transport = "ipc"
    return config


@asynccontextmanager
async def kernel(
    env: dict[str, str] | None = None, name: str = "python3"
) -> AsyncIterator[tuple[AsyncKernelManager, AsyncKernelClient]]:
    """A kernel of spec `name` started as the server starts one (a multi-kernel manager configured like Voilà's),
    and its client."""
    managers = AsyncMultiKernelManager(config=forking_config())
    kernel_id = await managers.start_kernel(kernel_name=name, env={**os.environ, **(env or {})})
    manager = managers.get_kernel(kernel_id)
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=SECONDS)
        yield manager, client
    finally:
        client.stop_channels()
        await managers.shutdown_all(now=True)


async def output_of(client: AsyncKernelClient, code: str) -> tuple[str, list[dict[str, Any]]]:
    """What `code` printed, and every iopub message it caused."""
    printed: list[str] = []
    messages: list[dict[str, Any]] = []

    def collect(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    reply = await client.execute_interactive(code, output_hook=collect, timeout=SECONDS)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(printed).strip(), messages


def is_forked(manager: AsyncKernelManager) -> bool:
    return isinstance(manager.provisioner.process, ForkedKernel)  # type: ignore[union-attr]


def wait_for(condition: Callable[[], bool], seconds: float = SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def gone(pid: int) -> bool:
    """No such process, not even a zombie waiting to be reaped."""
    try:
        psutil.Process(pid)
    except psutil.NoSuchProcess:
        return True
    return False


class DescribeAForkedKernel:
    def it_runs_code_with_the_app_already_imported_in_the_environment_it_was_given(self) -> None:
        async def scenario() -> None:
            async with kernel({"RESURSKURS_SPEC": "given"}) as (manager, client):
                assert is_forked(manager)
                printed, _ = await output_of(
                    client,
                    "import os, sys; print(os.environ['RESURSKURS_SPEC'], os.getppid(), "
                    "'resurskurs.server.pages' in sys.modules, os.getcwd())",
                )
                assert printed.split() == ["given", str(os.getpid()), "True", str(Path.cwd())]

        run(scenario)

    def it_is_this_servers_child_in_a_session_of_its_own_and_looks_like_a_launched_kernel(self) -> None:
        async def scenario() -> None:
            async with kernel() as (manager, _):
                process = psutil.Process(manager.provisioner.pid)  # type: ignore[union-attr]
                assert process.ppid() == os.getpid()
                assert os.getsid(process.pid) == process.pid
                command = process.cmdline()
                assert command[:4] == [sys.executable, "-m", "ipykernel_launcher", "-f"]
                assert Path(process.cwd(), command[4]) == Path(manager.connection_file).resolve()

        run(scenario)

    def it_never_loads_the_debugger_a_page_has_no_use_for(self) -> None:
        async def scenario() -> None:
            async with kernel() as (_, client):
                reply = await client.kernel_info(reply=True, timeout=SECONDS)
                assert "debugger" not in reply["content"]["supported_features"]
                printed, _ = await output_of(
                    client,
                    "import sys; print(sorted(name for name, module in sys.modules.items() "
                    "if module and ('pydev' in name or 'debugpy' in name)))",
                )
                assert printed == "[]"

        run(scenario)

    def it_starts_without_listing_every_module_it_shares_with_the_warm_parent(self) -> None:
        async def scenario() -> None:
            async with kernel() as (_, client):
                printed, _ = await output_of(
                    client,
                    "import sys, ipykernel.ipkernel, IPython.core.shellapp; shell = get_ipython(); "
                    "print(len(shell.kernel._kernel_modules), 'resurskurs.server.pages' in shell._sys_modules_keys, "
                    "ipykernel.ipkernel.sys is sys, IPython.core.shellapp.sys is sys, len(sys.modules) > 500)",
                )
                assert printed.split() == ["0", "True", "True", "True", "True"]

        run(scenario)

    def it_keeps_no_history_of_the_code_a_page_runs(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The page kernel's spec turns IPython's history off (tests/test_page_kernel.py); forked, it is read from
        the same command line."""
        for variable, value in environment().items():
            monkeypatch.setenv(variable, value)
        ipython = tmp_path / "ipython"

        async def scenario() -> None:
            async with kernel({"IPYTHONDIR": str(ipython)}, name=page_kernel.KERNEL_NAME) as (manager, client):
                assert is_forked(manager)
                printed, _ = await output_of(client, "print(get_ipython().history_manager.enabled)")
                assert printed == "False"

        run(scenario)
        assert not list(ipython.rglob("history.sqlite"))

    def it_opens_a_widget(self) -> None:
        async def scenario() -> None:
            async with kernel() as (_, client):
                _, messages = await output_of(client, "import ipywidgets as w; display(w.IntSlider(value=3))")
                opened = [message for message in messages if message["msg_type"] == "comm_open"]
                states = [message["content"]["data"].get("state", {}) for message in opened]
                assert {"_model_name": "IntSliderModel", "value": 3}.items() <= next(
                    state for state in states if state.get("_model_name") == "IntSliderModel"
                ).items()

        run(scenario)

    def it_hands_a_page_that_connects_later_every_widget_state_it_holds(self) -> None:
        """What Voilà's front-end does on connecting: open a comm to the widget control target and ask for every
        state. ipywidgets registers that target when it is imported inside a kernel; the warm parent imported it
        before there was one, so the forked kernel has to register it itself."""

        async def scenario() -> None:
            async with kernel() as (_, client):
                _, messages = await output_of(client, "import ipywidgets as w; display(w.IntSlider(value=3))")
                model_id = next(
                    m["content"]["comm_id"]
                    for m in messages
                    if m["msg_type"] == "comm_open" and m["content"]["data"]["state"]["_model_name"] == "IntSliderModel"
                )
                comm_id = uuid.uuid4().hex
                opening = client.session.msg(
                    "comm_open",
                    {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                    metadata={"version": __control_protocol_version__},
                )
                client.shell_channel.send(opening)
                asking = client.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
                client.shell_channel.send(asking)
                while True:
                    message = await client.get_iopub_msg(timeout=SECONDS)
                    content = message["content"]
                    if message["msg_type"] == "comm_msg" and content.get("comm_id") == comm_id:
                        break
                assert content["data"]["method"] == "update_states"
                assert content["data"]["states"][model_id]["state"]["value"] == 3

        run(scenario)

    def it_stops_running_code_when_interrupted(self) -> None:
        async def scenario() -> None:
            async with kernel() as (manager, client):
                message_id = client.execute("import time; time.sleep(30)")
                while True:
                    message = await client.get_iopub_msg(timeout=SECONDS)
                    if message["msg_type"] == "execute_input" and message["parent_header"]["msg_id"] == message_id:
                        break
                await asyncio.sleep(0.5)
                await manager.interrupt_kernel()
                reply = await client.get_shell_msg(timeout=10)
                while reply["parent_header"].get("msg_id") != message_id:
                    reply = await client.get_shell_msg(timeout=10)
                assert (reply["content"]["status"], reply["content"]["ename"]) == ("error", "KeyboardInterrupt")

        run(scenario)

    def it_is_forked_again_on_restart_and_the_old_one_is_reaped(self) -> None:
        async def scenario() -> None:
            async with kernel() as (manager, client):
                await output_of(client, "x = 1")
                before = manager.provisioner.pid  # type: ignore[union-attr]
                await manager.restart_kernel(now=True)
                await client.wait_for_ready(timeout=SECONDS)
                assert is_forked(manager) and manager.provisioner.pid != before  # type: ignore[union-attr]
                printed, _ = await output_of(client, "print('x' in globals())")
                assert printed == "False"
                assert gone(before)

        run(scenario)

    def it_leaves_no_process_behind_when_shut_down(self) -> None:
        async def scenario() -> None:
            async with kernel() as (manager, _):
                pid = manager.provisioner.pid  # type: ignore[union-attr]
            wait_for(lambda: gone(pid), seconds=10)

        run(scenario)

    def it_draws_random_numbers_of_its_own(self) -> None:
        async def scenario() -> None:
            async with kernel() as (_, first), kernel() as (_, second):
                code = "import random; print(random.random())"
                assert (await output_of(first, code))[0] != (await output_of(second, code))[0]

        run(scenario)


class DescribeTheWarmParent:
    def it_is_started_again_after_a_crash_while_its_kernels_keep_running(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        async def scenario() -> None:
            async with kernel() as (_, client):
                parent = WarmParent._shared
                assert parent is not None
                os.kill(parent.process.pid, signal.SIGKILL)
                await parent.process.wait()
                printed, _ = await output_of(client, "print('still here')")
                assert printed == "still here"
                async with kernel() as (later, later_client):
                    assert is_forked(later)
                    assert WarmParent._shared is not None and WarmParent._shared.process.pid != parent.process.pid
                    assert psutil.Process(later.provisioner.pid).ppid() == os.getpid()  # type: ignore[union-attr]
                    assert (await output_of(later_client, "print(1 + 1)"))[0] == "2"

        with caplog.at_level(logging.WARNING, "resurskurs.kernels"):
            run(scenario)
        assert "the warm parent stopped (exit -9); starting a new one" in caplog.text

    @pytest.mark.parametrize(
        ("behaviour", "logged"),
        [
            ("print(json.dumps({'error': 'the warm parent could not start: no catalog'}), flush=True)",
             "kernels are launched, not forked: the warm parent could not start: no catalog"),
            ("sys.exit(3)", "kernels are launched, not forked: the warm parent has stopped (exit 3)"),
            ("print(json.dumps({'ready': 1}), flush=True); sys.stdin.readline(); "
             "print(json.dumps({'error': 'fork: out of memory'}), flush=True); time.sleep(60)",
             "a kernel is launched instead of forked: fork: out of memory"),
        ],
        ids=["cannot-start", "stops-at-once", "fork-fails"],
    )
    def it_launches_the_kernel_when_forking_fails_and_says_why(
        self, behaviour: str, logged: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(WarmParent, "command", [sys.executable, "-c", f"import json, sys, time; {behaviour}"])

        async def scenario() -> None:
            async with kernel() as (manager, client):
                assert not is_forked(manager)
                assert (await output_of(client, "print(6 * 7)"))[0] == "42"

        with caplog.at_level(logging.WARNING, "resurskurs.kernels"):
            run(scenario)
        assert logged in caplog.text


class DescribeTheEndOfTheServer:
    def it_ends_the_kernels_forked_for_a_server_that_was_killed(self, tmp_path: Path) -> None:
        server = textwrap.dedent(
            """
            import asyncio, os, sys
            from jupyter_client.multikernelmanager import AsyncMultiKernelManager
            from tests.test_forked_kernels import forking_config

            async def main():
                managers = AsyncMultiKernelManager(config=forking_config())
                kernel_id = await managers.start_kernel(kernel_name="python3", env=dict(os.environ))
                print(managers.get_kernel(kernel_id).provisioner.pid, flush=True)
                await asyncio.sleep(600)

            asyncio.run(main())
            """
        )
        process = subprocess.Popen(
            [sys.executable, "-c", server],
            stdout=subprocess.PIPE,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
            start_new_session=True,
        )
        try:
            assert process.stdout is not None
            pid = int(process.stdout.readline())
            assert psutil.Process(pid).ppid() == process.pid
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        wait_for(lambda: not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, 15)


class DescribeTheServedConfiguration:
    def it_forks_kernels_unless_told_to_launch_them(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("RESURSKURS_KERNELS", raising=False)
        assert voila_config(8866, 2).KernelProvisionerFactory.default_provisioner_name == PROVISIONER
        monkeypatch.setenv("RESURSKURS_KERNELS", "launched")
        assert "default_provisioner_name" not in voila_config(8866, 2).KernelProvisionerFactory
