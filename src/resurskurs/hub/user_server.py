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
* no grader runs beside it: hand-ins go to the hub's grader service (tracking/hand_in.py).

Kernel sockets are deflated and in Jupyter's v1 protocol, as on one machine: JupyterHub's own proxy (node's
configurable-http-proxy, deploy/README.md) passes a websocket's handshake through as the two ends agree it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import tornado.web
from jupyter_server.utils import url_path_join
from traitlets.config import Config

from resurskurs.backend import service_call as client
from resurskurs.backend.settings import Settings
from resurskurs.hub import mirror
from resurskurs.server.voila_app import PageHandler, ResurskursVoila

REFRESH_SECONDS = 5.0
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


class NoApiHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class HubVoila(ResurskursVoila):
    name = "resurskurs-user-server"

    def init_settings(self) -> dict[str, Any]:
        return {**super().init_settings(), "resurskurs_refresh": _Refresher()}

    def init_handlers(self) -> list[Any]:
        handlers: list[Any] = []
        for handler in super().init_handlers():
            if len(handler) > 1 and handler[1] is PageHandler:
                handlers.append((url_path_join(self.server_url, r"/api(?:/.*)?"), NoApiHandler))
                handler = (handler[0], HubPageHandler, *handler[2:])
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
    from resurskurs.logs import configure as configure_logs
    from resurskurs.server.launch import KERNELS_SETTING, environment

    configure_logs()
    for variable in HIDDEN:
        os.environ.pop(variable, None)
    os.environ.setdefault("RESURSKURS_VAR", str(Path.home() / ".resurskurs"))
    os.environ.setdefault(KERNELS_SETTING, "launched")
    os.environ.update(environment())
    if not Settings.from_environ().under_hub:
        raise SystemExit(
            "resurskurs user-server: RESURSKURS_GRADER_URL and JUPYTERHUB_API_TOKEN must be set by the hub"
        )
    try:
        refresh()
    except client.ServiceError as error:
        log.warning("the gradebook slice could not be fetched yet: %s", error)
    HubVoila.launch_instance(argv=[], config=hub_config(dict(os.environ), pool_size, cull_seconds))
