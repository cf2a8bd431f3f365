"""The page's kernel: the app notebook's own kernel spec, which starts ipykernel without the debugger, launched or
forked."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory
from traitlets.config import Config

from resurskurs.server import page_kernel
from resurskurs.server.forked_kernels import forkable
from resurskurs.server.launch import NOTEBOOK, environment

SECONDS = 60


@pytest.fixture
def served_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """JUPYTER_PATH as the server sets it, and a provisioner factory of this spec's own (a singleton that keeps the
    configuration of whoever made it first), so the kernel is launched as Jupyter launches one."""
    monkeypatch.setenv("RESURSKURS_VAR", str(tmp_path / "var"))
    for name, value in environment().items():
        monkeypatch.setenv(name, value)
    KernelProvisionerFactory.clear_instance()
    yield
    KernelProvisionerFactory.clear_instance()


def printed(client: BlockingKernelClient, code: str) -> str:
    """What `code` prints in the kernel `client` talks to; the code must run without an error."""
    lines: list[str] = []

    def keep(message: dict[str, object]) -> None:
        content = message["content"]
        if message["msg_type"] == "stream" and isinstance(content, dict):
            lines.append(str(content["text"]))

    reply = client.execute_interactive(code, timeout=SECONDS, output_hook=keep)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(lines).strip()


class DescribeThePageKernel:
    def it_is_the_kernel_the_app_notebook_names(self, served_path: None) -> None:
        named = json.loads(NOTEBOOK.read_text())["metadata"]["kernelspec"]["name"]
        spec = KernelSpecManager().get_kernel_spec(named)
        assert named == page_kernel.KERNEL_NAME
        assert spec.argv[:3] == ["python", "-m", page_kernel.MODULE]
        assert forkable([sys.executable, *spec.argv[1:]])

    def it_starts_launched_without_the_debugger_and_runs_the_pages_code(self, served_path: None) -> None:
        config = Config()
        config.KernelProvisionerFactory.default_provisioner_name = "local-provisioner"
        manager = KernelManager(kernel_name=page_kernel.KERNEL_NAME, config=config)
        manager.start_kernel()
        try:
            process = psutil.Process(manager.provisioner.pid)  # type: ignore[union-attr]
            assert process.cmdline()[:4] == [sys.executable, "-m", page_kernel.MODULE, "-f"]
            client = manager.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=SECONDS)
                client.kernel_info()
                info = client.get_shell_msg(timeout=SECONDS)["content"]
                loaded = printed(
                    client,
                    "import sys, ipywidgets, resurskurs.server.pages\n"
                    "print(sorted(n for n, m in sys.modules.items() if m and ('pydev' in n or 'debugpy' in n)), "
                    "type(ipywidgets.Button()).__name__)",
                )
            finally:
                client.stop_channels()
            assert info["status"] == "ok"
            assert "debugger" not in info.get("supported_features", [])
            assert loaded == "[] Button"
        finally:
            manager.shutdown_kernel(now=True)

    def it_keeps_no_history_of_the_code_it_runs(
        self, served_path: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """IPython would write every cell a page runs to a history database in the home folder, one file for all
        the kernels of the server's user, with a thread of its own in each: a page has no use for either."""
        ipython = tmp_path / "ipython"
        monkeypatch.setenv("IPYTHONDIR", str(ipython))
        config = Config()
        config.KernelProvisionerFactory.default_provisioner_name = "local-provisioner"
        manager = KernelManager(kernel_name=page_kernel.KERNEL_NAME, config=config)
        manager.start_kernel()
        try:
            client = manager.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=SECONDS)
                kept = printed(client, "print(get_ipython().history_manager.enabled)")
            finally:
                client.stop_channels()
        finally:
            manager.shutdown_kernel(now=True)
        assert kept == "False"
        assert not list(ipython.rglob("history.sqlite"))

    def it_is_found_by_the_servers_configuration_without_importing_ipython(self) -> None:
        """jupyter_client's default kernel folders import IPython into the server process (every user server under
        the hub), only to look in `~/.ipython/kernels`."""
        code = (
            "import os, sys\n"
            "from traitlets.utils.importstring import import_item\n"
            "from resurskurs.server.launch import environment, voila_config\n"
            "os.environ.update(environment())\n"
            "config = voila_config(8866, 0)\n"
            "specs = import_item(config.VoilaConfiguration.kernel_spec_manager_class)(config=config).get_all_specs()\n"
            "print(specs['resurskurs']['spec']['argv'][2], 'IPython' in sys.modules)"
        )
        printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
        assert printed.stdout.split() == [page_kernel.MODULE, "False"]

    def it_imports_no_film_making_library_for_a_course_page(self) -> None:
        """A page labels a stand-in film by its stamp (films/stamp.py); Pillow and the speech are for making one,
        and would be memory of its own in every launched kernel."""
        code = (
            "import sys, resurskurs.server.pages, resurskurs.player.course_page; "
            "print(sorted({'PIL', 'wave', 'resurskurs.films.stand_in'} & set(sys.modules)))"
        )
        printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
        assert printed.stdout.strip() == "[]"

    def it_imports_no_postgresql_dialect_for_a_course_page(self) -> None:
        """A page reads a SQLite gradebook (its own, or under the hub the person's copy); SQLAlchemy's PostgreSQL
        dialect (about 2 MiB) is for the grader, which makes the gradebook's triggers there."""
        code = (
            "import sys, resurskurs.server.pages, resurskurs.player.course_page; "
            "print('sqlalchemy.dialects.postgresql' in sys.modules)"
        )
        printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
        assert printed.stdout.strip() == "False"
