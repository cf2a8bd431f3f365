"""A person's server under JupyterHub: this app's Voilà, signed in through the hub, no gradebook credentials.

The spawner starts `resurskurs user-server`. It serves the same notebook, template, preheated pool and
film handler as `resurskurs serve` (server/launch.py), plus:

* the hub's OAuth identity provider and authorizer (hub/auth.py): only the server's owner gets a page;
  the kernel's person is the hub user (JUPYTERHUB_USER, a roster id, hub/names.py);
* `/api/…` answers 404: Voilà's single-notebook route would otherwise render the page for any path,
  and the only API a page needs (one kernel by id and its websocket) is routed before;
* the player's gradebook is a private SQLite copy of the person's own rows (hub/mirror.py: who they are,
  their hand-ins and feedback), fetched from the grader service with the user's token before the first page
  and again on each page (at most every REFRESH_SECONDS); everything else a page shows (a unit's progress,
  the district, Granska, releases) comes from the service through backend/hub.py;
* no grader runs beside it: hand-ins go to the hub's grader service (tracking/hand_in.py);
* kernel messages are deflated on the wire unless RESURSKURS_SOCKET_COMPRESSION=0, which
  deploy/jupyterhub_config.py sets behind the pure-Python configurable-http-proxy: that proxy passes the
  browser's websocket extensions and subprotocols on but never answers them, so there the kernel socket
  uses neither compression nor the v1 protocol (PlainProxyKernelSocket).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import tornado.ioloop
import tornado.web
import tornado.websocket
from jupyter_server.utils import url_path_join
from traitlets.config import Config
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from resurskurs.backend import hub as client
from resurskurs.backend.settings import Settings
from resurskurs.hub import mirror
from resurskurs.server.voila_app import CompressedKernelSocket, PageHandler, ResurskursVoila

REFRESH_SECONDS = 5.0
COMPRESSION_VARIABLE = "RESURSKURS_SOCKET_COMPRESSION"
HIDDEN = ("RESURSKURS_GRADEBOOK_URL", "RESURSKURS_DEMO", "RESURSKURS_USER")
"""Never in a user server: the gradebook is the service's, demo mode and a configured user are one-machine tools."""
log = logging.getLogger("resurskurs.hub.user_server")


def gradebook_file() -> Path:
    from resurskurs.paths import var_root

    return var_root() / "gradebook.db"


def refresh() -> None:
    """Fetch this person's slice from the service and replace the local copy."""
    answer = client.call("api/slice")
    mirror.write(gradebook_file(), answer["tables"])


class _Refresher:
    """At most one fetch at a time, and none when the copy is younger than REFRESH_SECONDS."""

    def __init__(self) -> None:
        self.done_at = 0.0
        self.lock = asyncio.Lock()

    async def __call__(self) -> None:
        async with self.lock:
            if time.monotonic() - self.done_at < REFRESH_SECONDS:
                return
            try:
                await asyncio.get_running_loop().run_in_executor(None, refresh)
            except client.ServiceError as error:
                log.warning("the gradebook slice could not be refreshed (the last copy is used): %s", error)
            self.done_at = time.monotonic()


class HubPageHandler(PageHandler):
    """The page, built on a fresh copy of the person's slice."""

    async def get(self, path: str | None = None) -> None:
        if self.current_user is not None:
            await self.settings["resurskurs_refresh"]()
        await super().get(path)


class PlainProxyKernelSocket(VoilaKernelWebsocketHandler):  # type: ignore[misc]
    """Kernel messages behind the pure-Python proxy: uncompressed, in Jupyter's legacy message protocol.

    That proxy forwards the browser's Sec-WebSocket-Extensions and -Protocol headers to this server but never
    answers them to the browser, so whatever this server chose was unknown to the browser: with
    permessage-deflate every kernel socket failed (503), and with the v1 binary protocol the browser read
    the server's frames in the legacy format. With neither chosen, both ends speak the same.

    The proxy also connects here before it has finished the browser's handshake, and drops whatever this
    server sends until then: the kernel's first messages, and the buffered ones replayed on a reconnect. Widgets
    whose state was in them went missing ("model not found", a page left loading), more often the busier the
    machine. So messages are held until the browser's first message comes through, which the proxy can only
    pass on once both of its sides are open (the page sends one at once), or for at most HOLD_LIMIT_SECONDS."""

    HOLD_LIMIT_SECONDS = 15.0

    def select_subprotocol(self, subprotocols: list[str]) -> None:
        return None

    async def open(self, *args: Any, **kwargs: Any) -> None:
        self._held: list[tuple[Any, bool]] | None = []
        tornado.ioloop.IOLoop.current().call_later(self.HOLD_LIMIT_SECONDS, self._release)
        await super().open(*args, **kwargs)

    def on_message(self, message: Any) -> Any:
        self._release()
        return super().on_message(message)

    def write_message(self, message: Any, binary: bool = False) -> Any:
        held = getattr(self, "_held", None)
        if held is not None:
            held.append((message, binary))
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done
        return super().write_message(message, binary)

    def _release(self) -> None:
        held, self._held = getattr(self, "_held", None) or [], None
        for message, binary in held:
            try:
                super().write_message(message, binary)
            except tornado.websocket.WebSocketClosedError:
                return


class NoApiHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class HubVoila(ResurskursVoila):
    name = "resurskurs-user-server"

    def init_settings(self) -> dict[str, Any]:
        return {**super().init_settings(), "resurskurs_refresh": _Refresher()}

    def init_handlers(self) -> list[Any]:
        plain_socket = os.environ.get(COMPRESSION_VARIABLE) == "0"
        handlers: list[Any] = []
        for handler in super().init_handlers():
            if len(handler) > 1 and handler[1] is PageHandler:
                handlers.append((url_path_join(self.server_url, r"/api(?:/.*)?"), NoApiHandler))
                handler = (handler[0], HubPageHandler, *handler[2:])
            if len(handler) > 1 and handler[1] is CompressedKernelSocket and plain_socket:
                handler = (handler[0], PlainProxyKernelSocket, *handler[2:])
            handlers.append(handler)
        return handlers


def hub_config(environ: dict[str, str], pool_size: int, cull_seconds: int) -> Config:
    """`resurskurs serve`'s Voilà configuration, where the spawner says, signed in through the hub."""
    from resurskurs.server.launch import voila_config

    where = urlparse(environ["JUPYTERHUB_SERVICE_URL"])
    config = voila_config(where.port or 8888, pool_size, cull_seconds)
    config.Voila.ip = where.hostname or "127.0.0.1"
    config.Voila.base_url = environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    config.Voila.identity_provider_class = "resurskurs.hub.auth.HubIdentityProvider"
    config.Voila.authorizer_class = "resurskurs.hub.auth.HubAuthorizer"
    return config


def run(pool_size: int, cull_seconds: int) -> None:
    """Start the user server; the spawner's environment says who, where and under which prefix."""
    from resurskurs.catalog.cache import CACHE_FOLDER, cached_catalog
    from resurskurs.logs import configure as configure_logs
    from resurskurs.paths import content_root, var_root
    from resurskurs.server.launch import environment

    configure_logs()
    for variable in HIDDEN:
        os.environ.pop(variable, None)
    os.environ.setdefault("RESURSKURS_VAR", str(Path.home() / ".resurskurs"))
    os.environ.update(environment())
    if not Settings.from_environ().under_hub:
        raise SystemExit(
            "resurskurs user-server: RESURSKURS_GRADER_URL and JUPYTERHUB_API_TOKEN must be set by the hub"
        )
    try:
        refresh()
    except client.ServiceError as error:
        log.warning("the gradebook slice could not be fetched yet: %s", error)
    cached_catalog(content_root(), var_root() / CACHE_FOLDER)
    HubVoila.launch_instance(argv=[], config=hub_config(dict(os.environ), pool_size, cull_seconds))
