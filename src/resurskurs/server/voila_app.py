"""Voilà, adjusted where the stock server falls short for a closed school network.

* The page handler drops `template` and `theme` from the query: they would bypass the preheated
  pool (a fresh kernel per request) or name a template path.
* A request that finds the preheated pool empty refills it and waits for a pool kernel, whose start is
  paced (server/kernels.py); Voilà would start a fresh kernel outside the pool, unpaced. With
  QUEUE_LIMIT kernels already waiting to start, the visitor gets a Swedish "try again" page instead.
* The page handler passes the kernel no cookie: Voilà forwards configured headers into the request, and a
  forwarded Cookie handed the person's session to whatever held the request. In demo mode it reads the
  visitor's choice from its cookie and passes only that, as a header of its own it first removes from the request.
* The page handler sets the `_xsrf` cookie. Voilà's front-end posts the kernel shutdown on
  page unload with the token from that cookie, but Voilà 0.5 never sets it, so the post is
  refused and every visit leaks a kernel (voila-dashboards/voila#1458).
* The `voila/query` websocket, where a preheated kernel waits for its request, also tells the kernel
  manager that the kernel has preheated (server/kernels.py starts kernels a few at a time).
* Films, posters and subtitles are served from films/ by a static handler that answers range
  requests (video seeking) and only serves media and subtitle files.
* Fewer bytes over a school's shared wifi: responses and kernel websocket messages are compressed, and
  every static file whose URL carries its version (`?v=`, or Voilà's front-end under a path named by
  the digest of its files) is cached for good, so a second visit downloads almost nothing. Any other
  static file is asked about again each time (`no-cache`: a 304 when unchanged), never cached blindly.
* The front-end chunks every page needs arrive as one script, cached for good (server/front_end.py).
* A module page's first response carries the module's text (server/preview.py), so people read while the
  front-end and the widgets load; the template swaps it for the widget page once that has rendered.
* Every page's templates are compiled once per server, not once per page (server/page_templates.py).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import AsyncIterator, Generator
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from resurskurs.catalog.key import CACHE_FOLDER
from resurskurs.learners.identity import DEMO, PERSON_COOKIE, PERSON_HEADER
from resurskurs.paths import content_root, var_root
from resurskurs.server.front_end import GZIP_LEVEL, GZIPPED, build_bundle, keep, listed_chunks
from resurskurs.server.kernels import PacedKernelManager, PreheatHandler
from resurskurs.server.page_templates import share_compiled_templates
from resurskurs.server.preview import SLOT, Previews, extent
from resurskurs.server.vendor import PLOTLY

OVERRIDES = ("template", "theme")
RETRY_AFTER_SECONDS = 30
FULL_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Försök igen om en stund – resurskurs</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;color:#1d2733;max-width:36rem;margin:4rem auto;padding:0 1rem}
button{font:inherit;padding:.55rem 1rem;min-height:44px;border:1px solid #1f4e79;border-radius:6px;background:#1f4e79;
color:#fff;cursor:pointer}</style></head>
<body><main><h1>Många öppnar sidan just nu</h1>
<p>Servern hinner inte starta din sida just nu. Det du redan har skrivit är sparat. Försök igen om en halv minut.</p>
<button type="button" onclick="window.location.reload()">Försök igen</button></main></body></html>
"""
"""What a visitor sees when the server is full: why, that nothing is lost, and a retry that reloads the page."""
FOREVER = "public, max-age=31536000, immutable"
"""A versioned file never changes under its URL: the browser keeps it a year without asking."""
FILM_FILES = re.compile(r"^[A-Za-z0-9._/-]+\.(webm|mp4|m4v|ogv|vtt|jpg|jpeg|png)$")
PREVIEWS = "resurskurs_previews"
"""The application setting that holds the modules' previews (server/preview.py)."""
FRONT_END_FOLDER = "front-end"
"""Under var/cache: the front-end script and its gzipped copy, kept across restarts by their digest."""


@functools.lru_cache(maxsize=512)
def _compressed(path: str, modified_ns: int, size: int) -> bytes:
    """A static file gzipped once per version: a room of first visits would otherwise cost each 0.5 s of CPU."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=GZIP_LEVEL)


@functools.lru_cache(maxsize=4)
def _read(path: str, modified_ns: int, size: int) -> bytes:
    """A file already gzipped, read once per version."""
    return Path(path).read_bytes()


class CachePolicy(tornado.web.StaticFileHandler):
    """Cached for good when the URL names the file's version, revalidated (a 304 when unchanged) otherwise;
    sent gzipped (compressed once, kept in memory) to every browser that accepts it, except for range requests."""

    def versioned(self) -> bool:
        return "v" in self.request.arguments

    def sent_gzipped(self) -> str | None:
        """The file's path when the answer goes out gzipped: the browser accepts it, the type compresses and the
        whole file is asked for."""
        accepted = "gzip" in self.request.headers.get("Accept-Encoding", "")
        kind = self.get_content_type().split(";")[0]
        compressible = kind.startswith("text/") or kind in tornado.web.GZipContentEncoding.CONTENT_TYPES
        if not accepted or not compressible or "Range" in self.request.headers:
            return None
        return self.absolute_path

    def gzipped(self) -> bytes | None:
        path = self.sent_gzipped()
        if path is None:
            return None
        status = os.stat(path)
        return _compressed(path, status.st_mtime_ns, status.st_size)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", FOREVER if self.versioned() else "no-cache")
        self.set_header("Vary", "Accept-Encoding")
        if self.gzipped() is not None:
            self.set_header("Content-Encoding", "gzip")

    def get_content_size(self) -> int:
        body = self.gzipped()
        return super().get_content_size() if body is None else len(body)

    @classmethod
    def get_content_version(cls, abspath: str) -> str:
        """The ETag: tornado hashes `cls.get_content`, which here answers a request (gzipped or not), so the
        file is hashed by tornado's own reader instead."""
        return tornado.web.StaticFileHandler.get_content_version(abspath)

    def get_content(  # type: ignore[override]
        self, abspath: str, start: int | None = None, end: int | None = None
    ) -> bytes | Generator[bytes]:
        body = self.gzipped()
        return super().get_content(abspath, start, end) if body is None else body[start:end]


class TemplateFiles(CachePolicy, TemplateStaticFileHandler):
    """The template's CSS, versioned by Voilà (`?v=`); the fonts it names are not, and are revalidated."""


class LabExtensionFiles(CachePolicy, FileFindHandler):
    """Widget front-ends; Voilà serves them all `no-cache`, though their page asks for them by version."""


class FrontEndFiles(CachePolicy, MultiStaticFileHandler):
    """Voilà's own front-end (voila.js and its chunks), whose names carry no version of their own."""


class VersionedFrontEndFiles(FrontEndFiles):
    """The same files under a path named by their digest: the page asks for them there, so they are cached for good."""

    def versioned(self) -> bool:
        return True


class FrontEndBundleFiles(CachePolicy):
    """The one script of front-end chunks, named by its digest: cached for good, its gzipped copy kept beside it
    (server/front_end.py `keep`)."""

    def versioned(self) -> bool:
        return True

    def gzipped(self) -> bytes | None:
        """The kept copy; compressed here, as any static file, if the copy has gone (a cache emptied by hand)."""
        path = self.sent_gzipped()
        if path is None:
            return None
        try:
            status = os.stat(path + GZIPPED)
        except FileNotFoundError:
            return super().gzipped()
        return _read(path + GZIPPED, status.st_mtime_ns, status.st_size)


class CompressedKernelSocket(VoilaKernelWebsocketHandler):
    """Kernel messages, widget state above all (a few hundred kB per page), deflated on the wire."""

    def get_compression_options(self) -> dict[str, Any]:
        return {}


def digest(folders: list[str]) -> str:
    """A short digest of every file in `folders`: it changes whenever Voilà's front-end does."""
    hashed = hashlib.blake2b(digest_size=8)
    for folder in folders:
        for file in sorted(path for path in Path(folder).rglob("*") if path.is_file()):
            hashed.update(file.relative_to(folder).as_posix().encode())
            hashed.update(file.read_bytes())
    return hashed.hexdigest()


class PageHandler(TornadoVoilaHandler):
    """The notebook page; touching `xsrf_token` makes tornado send the `_xsrf` cookie with it."""

    async def get(self, path: str | None = None) -> None:
        for name in OVERRIDES:
            self.request.arguments.pop(name, None)
            self.request.query_arguments.pop(name, None)
        _ = self.xsrf_token
        if PERSON_HEADER in self.request.headers:
            del self.request.headers[PERSON_HEADER]
        chosen = self.get_cookie(PERSON_COOKIE) if os.environ.get(DEMO) == "1" else None
        if chosen:
            self.request.headers[PERSON_HEADER] = chosen
        manager = self.kernel_manager
        if isinstance(manager, PacedKernelManager) and manager.full:
            self.set_status(503)
            self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
            self.finish(FULL_PAGE)
            return
        pooled = hasattr(manager, "fill_if_needed") and self.notebook_path
        if pooled and manager.get_pool_size(self.notebook_path) == 0:
            manager.fill_if_needed(delay=0, notebook_name=self.notebook_path)
        await super().get(path)

    async def get_generator(self, path: str | None = None) -> AsyncIterator[str]:
        """Voilà's page, with the module's text where the template leaves SLOT (before any widget output)."""
        previews: Previews = self.settings[PREVIEWS]
        previews.refresh()
        slug = self.get_query_argument("kurs", "")
        shown = extent(slug, self.request.query_arguments, os.environ, self.get_cookie(PERSON_COOKIE), var_root())
        slot: str | None = previews.markup(slug, shown)
        async for html in super().get_generator(path):
            if slot is not None and SLOT in html:
                html, slot = html.replace(SLOT, slot, 1), None
            yield html


class FilmFileHandler(CachePolicy):
    """films/ over HTTP, media and subtitles only; StaticFileHandler answers Range requests."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        relative = Path(absolute_path).relative_to(Path(root).resolve()).as_posix()
        if not FILM_FILES.match(relative):
            raise tornado.web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def get_content_type(self) -> str:
        if self.absolute_path and self.absolute_path.endswith(".vtt"):
            return "text/vtt; charset=utf-8"
        return super().get_content_type()


class ChartLibraryHandler(CachePolicy):
    """plotly.js's basic build (server/vendor), asked for only by a page that draws a chart: no CDN, compressed
    (1.2 MB becomes 0.4 MB), and cached for good, since its name carries its version."""

    def versioned(self) -> bool:
        return True


class QuietAboutTrust(logging.Filter):
    """jupyter_server warns "Notebook app.ipynb is not trusted" on every load. Trust only decides whether a
    notebook's stored outputs are shown, and the app notebook stores none (Voilà runs it), so the line says
    nothing an operator could act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Notebook %s is not trusted"


class ResurskursVoila(Voila):
    name = "resurskurs"
    front_end_version = ""
    """Digest of Voilà's front-end files, naming the path the page loads them from."""
    bundle_name = ""
    """The file name of the front-end chunks' one script (its digest in it), served from `bundle_folder`."""
    bundle_folder = ""
    _temporary: tempfile.TemporaryDirectory[str] | None = None
    """Where the script is kept when the cache folder cannot be written: removed when the server ends."""

    def init_settings(self) -> dict[str, Any]:
        self.log.addFilter(QuietAboutTrust())
        share_compiled_templates()
        self.front_end_version = digest(self.static_paths)
        bundle = build_bundle(listed_chunks(), self.static_paths, self.labextensions_path)
        try:
            kept = keep(bundle, var_root() / CACHE_FOLDER / FRONT_END_FOLDER)
        except OSError as error:
            self.log.warning("the front-end script is kept for this run only: %s", error)
            self._temporary = tempfile.TemporaryDirectory(prefix="resurskurs-front-end-")
            kept = keep(bundle, Path(self._temporary.name))
        self.bundle_folder = str(kept.parent)
        packed = f"{kept}{GZIPPED}"
        status = os.stat(packed)
        _read(packed, status.st_mtime_ns, status.st_size)  # now, not while the first room waits
        self.bundle_name = bundle.name
        self.voila_configuration.page_config_hook = self._versioned_front_end
        previews = Previews(content_root(), var_root() / CACHE_FOLDER)
        try:
            previews.load()
        except Exception:
            self.log.exception("the modules' text is left out of the first response: the content could not be read")
        return {**super().init_settings(), "compress_response": True, PREVIEWS: previews}

    def _versioned_front_end(self, page_config: dict[str, Any], **_: Any) -> dict[str, Any]:
        """voila.js and every chunk it loads come from under `fullStaticUrl`, which names their version;
        the template loads the chunks' one script first, from `resurskursFrontEnd`, and on a chart page
        plotly.js from `resurskursCharts`."""
        static = url_path_join(page_config["fullStaticUrl"], f"v-{self.front_end_version}")
        resurskurs = url_path_join(page_config["baseUrl"], "resurskurs")
        return {
            **page_config,
            "fullStaticUrl": static,
            "resurskursFrontEnd": url_path_join(resurskurs, self.bundle_name),
            "resurskursCharts": url_path_join(resurskurs, PLOTLY.name),
        }

    def init_handlers(self) -> list[Any]:
        replacements: dict[type, type] = {
            TornadoVoilaHandler: PageHandler,
            RequestInfoSocketHandler: PreheatHandler,
            VoilaKernelWebsocketHandler: CompressedKernelSocket,
            TemplateStaticFileHandler: TemplateFiles,
            MultiStaticFileHandler: FrontEndFiles,
            FileFindHandler: LabExtensionFiles,
        }
        handlers: list[Any] = []
        for handler in super().init_handlers():
            if len(handler) > 1 and handler[1] in replacements:
                options = {
                    key: value
                    for key, value in (handler[2] if len(handler) > 2 else {}).items()
                    if key != "no_cache_paths"
                }
                handler = (handler[0], replacements[handler[1]], *([options] if len(handler) > 2 else []))
            handlers.append(handler)
        films = url_path_join(self.server_url, r"/resurskurs/films/(.*)")
        charts = url_path_join(self.server_url, rf"/resurskurs/({re.escape(PLOTLY.name)})")
        front_end = url_path_join(self.server_url, rf"/voila/static/v-{self.front_end_version}/(.*)")
        bundle = url_path_join(self.server_url, r"/resurskurs/(front-end-[0-9a-f]+\.js)")
        assert self.bundle_folder, "init_settings keeps the bundle before the handlers"
        return [
            (bundle, FrontEndBundleFiles, {"path": self.bundle_folder}),
            (films, FilmFileHandler, {"path": str(content_root() / "films")}),
            (charts, ChartLibraryHandler, {"path": str(PLOTLY.parent)}),
            (front_end, VersionedFrontEndFiles, {"paths": self.static_paths, "default_filename": "index.html"}),
            *handlers,
        ]
