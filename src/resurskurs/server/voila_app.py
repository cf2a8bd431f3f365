"""Voilà, adjusted where the stock server falls short for a closed school network.

* The page handler drops `template` and `theme` from the query: they would bypass the preheated
  pool (a fresh kernel per request) or name a template path.
* A request that finds the preheated pool empty refills it and waits for a pool kernel, whose start is
  paced (server/kernels.py); Voilà would start a fresh kernel outside the pool, unpaced. With
  QUEUE_LIMIT kernels already waiting to start, the visitor gets a Swedish "try again" page instead.
* The page handler sets the `_xsrf` cookie. Voilà's front-end posts the kernel shutdown on
  page unload with the token from that cookie, but Voilà 0.5 never sets it, so the post is
  refused and every visit leaks a kernel (voila-dashboards/voila#1458).
* The `voila/query` websocket, where a preheated kernel waits for its request, also tells the kernel
  manager that the kernel has preheated (server/kernels.py starts kernels a few at a time).
* Films, posters and subtitles are served from films/ by a static handler that answers range
  requests (video seeking) and only serves media and subtitle files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.utils import url_path_join
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.handler import TornadoVoilaHandler

from resurskurs.paths import content_root
from resurskurs.server.kernels import PacedKernelManager, PreheatHandler

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
FILM_FILES = re.compile(r"^[A-Za-z0-9._/-]+\.(webm|mp4|m4v|ogv|vtt|jpg|jpeg|png)$")


class PageHandler(TornadoVoilaHandler):
    """The notebook page; touching `xsrf_token` makes tornado send the `_xsrf` cookie with it."""

    async def get(self, path: str | None = None) -> None:
        for name in OVERRIDES:
            self.request.arguments.pop(name, None)
            self.request.query_arguments.pop(name, None)
        _ = self.xsrf_token
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


class FilmFileHandler(tornado.web.StaticFileHandler):
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


class ChartLibraryHandler(tornado.web.StaticFileHandler):
    """plotly.js from the plotly package itself: charts draw without a CDN, and browsers cache it."""

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        return str(Path(root) / "plotly.min.js")


class ResurskursVoila(Voila):
    name = "resurskurs"

    def init_handlers(self) -> list[Any]:
        replacements = {TornadoVoilaHandler: PageHandler, RequestInfoSocketHandler: PreheatHandler}
        handlers: list[Any] = []
        for handler in super().init_handlers():
            if len(handler) > 1 and handler[1] in replacements:
                handler = (handler[0], replacements[handler[1]], *handler[2:])
            handlers.append(handler)
        import plotly

        films = url_path_join(self.server_url, r"/resurskurs/films/(.*)")
        charts = url_path_join(self.server_url, r"/resurskurs/(plotly\.min\.js)")
        plotly_data = str(Path(plotly.__file__).parent / "package_data")
        return [
            (films, FilmFileHandler, {"path": str(content_root() / "films")}),
            (charts, ChartLibraryHandler, {"path": plotly_data}),
            *handlers,
        ]
