"""The page's templates are compiled once per server, not once per page (server/page_templates.py)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import pytest
import voila.notebook_renderer
from voila.exporter import VoilaExporter
from voila.notebook_renderer import NotebookRenderer
from voila.utils import get_page_config

from resurskurs.server.page_templates import COMPILED, CompiledTemplates, SharedTemplatesExporter
from resurskurs.server.voila_app import ResurskursVoila


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates Jinja compiles from here on; Voilà's own exporter class is put back after."""
    monkeypatch.setattr(voila.notebook_renderer, "VoilaExporter", VoilaExporter)
    COMPILED.clear()
    names: list[str] = []
    compile_template = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        names.append(str(name))
        return compile_template(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    yield names
    COMPILED.clear()


T = TypeVar("T")


class Loop:
    """One thread of its own that runs every coroutine of a spec: the browser specs' Playwright keeps an event loop
    running in the main one, and the server's notebook store (nbformat's notary, SQLite) answers only the thread
    that first used it."""

    def __init__(self) -> None:
        self.thread = ThreadPoolExecutor(1)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.thread.submit(asyncio.run, coroutine).result()


@pytest.fixture
def loop() -> Iterator[Loop]:
    own = Loop()
    yield own
    own.thread.shutdown()


@dataclass
class SetUp:
    app: ResurskursVoila
    settings: dict[str, Any]
    loop: Loop


@pytest.fixture
def server(voila_app: ResurskursVoila, compiled: list[str], loop: Loop) -> SetUp:
    """The server's Voilà, set up as `resurskurs serve` sets it up, without listening."""
    return SetUp(voila_app, voila_app.init_settings(), loop)


async def _no_cells(nb: Any, kernel_id: str) -> AsyncIterator[Any]:
    for cell in []:
        yield cell


def render_page(server: SetUp) -> str:
    """One page through Voilà's own renderer, as its page handler builds it; the kernel's part is left out."""
    app = server.app
    notebook_path = os.path.relpath(app.notebook_path, app.root_dir)
    where = {"base_url": app.base_url, "settings": server.settings, "log": app.log}
    page_config = get_page_config(**where, voila_configuration=app.voila_configuration)
    page_config = app.voila_configuration.page_config_hook(
        page_config, **where, voila_configuration=app.voila_configuration, notebook_path=notebook_path
    )

    async def render() -> str:
        renderer = NotebookRenderer(
            voila_configuration=app.voila_configuration,
            traitlet_config=app.config,
            notebook_path=notebook_path,
            template_paths=app.template_paths,
            config_manager=app.config_manager,
            contents_manager=app.contents_manager,
            base_url=app.base_url,
            kernel_spec_manager=app.kernel_spec_manager,
            page_config=page_config,
        )
        await renderer.initialize()
        context = {
            "frontend": "voila",
            "main_js": "voila.js",
            "kernel_start": lambda nb: "kernel",
            "notebook_execute": lambda nb, kernel_id: None,
            "progressive_rendering": False,
            "cell_generator": _no_cells,
        }
        parts = [
            html
            async for html, _ in renderer.exporter.generate_from_notebook_node(
                renderer.notebook, resources=renderer.resources, extra_context=context, page_config=renderer.page_config
            )
        ]
        return "".join(parts)

    return server.loop.run(render())


class DescribeThePagesTemplates:
    def it_compiles_them_for_the_first_page_and_never_again(self, server: SetUp, compiled: list[str]) -> None:
        first = render_page(server)
        at_first = list(compiled)
        second = render_page(server)
        assert "index.html.j2" in at_first and "base.html.j2" in at_first, at_first
        assert compiled == at_first, f"the second page compiled {compiled[len(at_first) :]} again"
        assert 'class="rk-skip"' in first and 'class="rk-skip"' in second

    def it_renders_the_same_page_as_voilas_own_exporter(
        self, server: SetUp, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        shared = render_page(server)
        monkeypatch.setattr(voila.notebook_renderer, "VoilaExporter", VoilaExporter)
        assert render_page(server) == shared

    def it_is_the_exporter_voila_uses_once_the_server_is_set_up(self, server: SetUp) -> None:
        assert voila.notebook_renderer.VoilaExporter is SharedTemplatesExporter


class DescribeTheCompiledTemplates:
    def it_compiles_a_template_again_once_its_source_has_changed(self, tmp_path: Path, compiled: list[str]) -> None:
        store = CompiledTemplates()
        (tmp_path / "page.j2").write_text("Hej {{ name }}")
        first = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=store)
        assert first.get_template("page.j2").render(name="Anna") == "Hej Anna"
        (tmp_path / "page.j2").write_text("Välkommen {{ name }}")
        os.utime(tmp_path / "page.j2", (0, 0))
        second = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=store)
        assert second.get_template("page.j2").render(name="Anna") == "Välkommen Anna"
        assert compiled == ["page.j2", "page.j2"]

    def it_never_hands_an_environment_code_compiled_for_another_kind(
        self, tmp_path: Path, compiled: list[str], loop: Loop
    ) -> None:
        store = CompiledTemplates()
        (tmp_path / "page.j2").write_text("Hej {{ name }}")
        loader = jinja2.FileSystemLoader(tmp_path)
        plain = jinja2.Environment(loader=loader, bytecode_cache=store)
        assert plain.get_template("page.j2").render(name="Anna") == "Hej Anna"
        asynchronous = jinja2.Environment(loader=loader, bytecode_cache=store, enable_async=True)
        rendered = loop.run(asynchronous.get_template("page.j2").render_async(name="Anna"))
        assert rendered == "Hej Anna"
        again = jinja2.Environment(loader=loader, bytecode_cache=store)
        assert again.get_template("page.j2").render(name="Bo") == "Hej Bo"
        assert compiled == ["page.j2", "page.j2"]
