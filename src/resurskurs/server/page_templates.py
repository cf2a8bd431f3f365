"""The page's Jinja templates, compiled once per server instead of once per page.

Voilà renders every page with a new exporter (`voila/notebook_renderer.py`), and nbconvert gives every exporter
a new Jinja environment, which parses and compiles the page's fourteen templates again: about 0.06 s of CPU per
page, half of what the server process spent while a room of thirty opened a course at once. Here every page's
environment shares one store of compiled templates through Jinja's own bytecode cache, which compiles a template
again when its source has changed. Voilà has no setting for the exporter class, so `share_compiled_templates`
puts ours where Voilà's renderer looks the class up; `tests/test_page_templates.py` renders through Voilà's own
renderer and fails if that stops taking effect.
"""

from __future__ import annotations

from types import CodeType

import jinja2
import voila.notebook_renderer
from jinja2.bccache import Bucket
from voila.exporter import VoilaExporter


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory, each kept with the checksum of the source it was compiled from.

    The key holds how the environment compiles (async or not, its extensions) besides the template's name and
    file, so an environment set up otherwise never gets code compiled for another.
    """

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        shape = f"{environment.is_async}|{','.join(sorted(environment.extensions))}|{name}"
        bucket = Bucket(environment, self.get_cache_key(shape, filename), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._code.clear()


COMPILED = CompiledTemplates()
"""The server's one store: every page's environment reads and fills it."""


class SharedTemplatesExporter(VoilaExporter):  # type: ignore[misc]  # Voilà ships no annotations
    """Voilà's exporter, whose Jinja environment finds the page's templates already compiled."""

    def _create_environment(self) -> jinja2.Environment:
        environment: jinja2.Environment = super()._create_environment()
        environment.bytecode_cache = COMPILED
        return environment


def share_compiled_templates() -> None:
    """Have Voilà's renderer build every page with `SharedTemplatesExporter`."""
    voila.notebook_renderer.VoilaExporter = SharedTemplatesExporter
