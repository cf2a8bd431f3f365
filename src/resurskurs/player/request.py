"""Wait, in a preheated kernel, for the request that will use it; then its details are in os.environ.

This is the kernel side of Voilà's preheat protocol (`voila.utils.wait_for_request`): one
websocket to `voila/query/<kernel id>`, one JSON message with the request's environment
(QUERY_STRING, and the person a demo visitor picked as HTTP_X_RESURSKURS_PERSON, set by the server's page
handler). The kernel proves it is itself with the token the server gave it (server/kernels.py).
Importing `voila.utils` itself pulls jupyter_server, nbconvert and ~600 other modules into every learner's
kernel (about 50 MB and a second of start-up), so the few lines of the protocol live here, on the same
`websockets` client.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import MutableMapping

import websockets

QUERY_TOKEN = "RESURSKURS_QUERY_TOKEN"
"""Set by the server for this kernel alone (server/kernels.py); the kernel never imports the server's code."""

CONNECT_TIMEOUT_SECONDS = 5
"""One attempt to open the websocket; a server busy with a burst of visitors can take longer, so it is retried."""
CONNECT_LIMIT_SECONDS = 300
"""Attempts stop after this long. Giving up means a page built without its request (the wrong page, or nobody's),
so a busy server is waited for; only a refused connection (no server at all) gives up at once."""


def query_url(environ: MutableMapping[str, str]) -> str:
    protocol = environ.get("VOILA_WS_PROTOCOL", "ws")
    host = environ.get("VOILA_APP_IP", "127.0.0.1")
    port = environ.get("VOILA_APP_PORT", "8866")
    base = environ.get("VOILA_WS_BASE_URL", environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{environ.get('VOILA_KERNEL_ID', '')}"


async def _receive(url: str, token: str) -> str | None:
    deadline = time.monotonic() + CONNECT_LIMIT_SECONDS
    headers = {"Authorization": f"token {token}"}
    while True:
        try:
            async with websockets.connect(
                url, open_timeout=CONNECT_TIMEOUT_SECONDS, additional_headers=headers
            ) as websocket:
                message = await websocket.recv()
        except TimeoutError:
            if time.monotonic() < deadline:
                continue
            return None
        except OSError:
            return None
        return message if isinstance(message, str) else message.decode()


def wait_for_request(environ: MutableMapping[str, str] | None = None) -> bool:
    """Block until the request arrives (preheated kernels only); return whether it did.

    Runs the websocket in a thread of its own because the kernel's event loop is already running.
    """
    environ = os.environ if environ is None else environ
    if environ.get("VOILA_PREHEAT", "False") == "False":
        return False
    received: list[str | None] = []
    token = environ.get(QUERY_TOKEN, "")
    thread = threading.Thread(target=lambda: received.append(asyncio.run(_receive(query_url(environ), token))))
    thread.start()
    thread.join()
    if not received or received[0] is None:
        return False
    environ.update({str(key): str(value) for key, value in json.loads(received[0]).items()})
    return True
