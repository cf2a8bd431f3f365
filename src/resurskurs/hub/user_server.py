"""A person's server under JupyterHub: this app's Voilà, signed in through the hub, no gradebook credentials.

The spawner starts `resurskurs user-server`. It serves the same notebook, template, preheated pool and
film handler as `resurskurs serve` (server/launch.py), plus:

* sign-in through the hub's OAuth (hub/auth.py, without JupyterHub's client and its database code): only the
  server's owner gets a page; the kernel's person is the hub user (JUPYTERHUB_USER, a roster id, hub/names.py);
* `/api/…` answers 404: Voilà's single-notebook route would otherwise render the page for any path,
  and the only API a page needs (one kernel by id and its websocket) is routed before;
* no copy of the gradebook: who the person is and everything a page shows (their hand-ins and feedback, a
  unit's progress, the district, Granska, releases) comes from the grader service with the person's own token,
  through backend/hub.py;
* no grader runs beside it: hand-ins go to the hub's grader service (tracking/hand_in.py).

Kernel sockets are deflated and in Jupyter's v1 protocol, as on one machine: JupyterHub's own proxy (node's
configurable-http-proxy, deploy/README.md) passes a websocket's handshake through as the two ends agree it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import tornado.web
from jupyter_server.utils import url_path_join
from traitlets.config import Config

from resurskurs.backend.settings import Settings
from resurskurs.hub.oauth_client import HubOAuthClient, HubSetupError
from resurskurs.server.voila_app import PageHandler, ResurskursVoila

HIDDEN = ("RESURSKURS_GRADEBOOK_URL", "RESURSKURS_DEMO", "RESURSKURS_USER")
"""Never in a user server: the gradebook is the service's, demo mode and a configured user are one-machine tools."""


class NoApiHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class HubVoila(ResurskursVoila):
    name = "resurskurs-user-server"

    def init_handlers(self) -> list[Any]:
        handlers: list[Any] = []
        for handler in super().init_handlers():
            if len(handler) > 1 and handler[1] is PageHandler:
                handlers.append((url_path_join(self.server_url, r"/api(?:/.*)?"), NoApiHandler))
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
        HubOAuthClient.from_environ(os.environ)
    except HubSetupError as missing:
        raise SystemExit(f"resurskurs user-server: {missing}") from None
    HubVoila.launch_instance(argv=[], config=hub_config(dict(os.environ), pool_size, cull_seconds))
