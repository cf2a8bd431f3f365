"""Thirty people open a course at once as the server sees them: no browser shares the machine's two cores.

In `workshop_burst` thirty Chromium pages run on the same two cores as the server and take most of them; in a
workshop each person's phone runs its own front-end. Here each person is a light client doing what the
front-end asks of the server: fetch the page (Voilà runs it in a pooled kernel with the person's cookie), open
the kernel's socket and ask the widget manager for every widget's state, as the front-end's restore does. A
page counts as served when the states arrive. Baselines in the same run: one person alone, and the thirty
with launched kernels.
"""

from __future__ import annotations

import asyncio
import json
import re
import struct
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from benchmarks.serving import room_line, room_on_a_fresh_server, server_cpu
from resurskurs.district.roster import Person
from resurskurs.testing.content import build_player_root
from resurskurs.testing.server import PlayerServer

ROOMS = (("forked", 1), ("forked", 30), ("launched", 30))
GOAL_SECONDS = 20
DEADLINE_SECONDS = 180
COURSE = "?kurs=prova-pa"
CONTROL_PROTOCOL = "1.0.0"
"""ipywidgets' widget control protocol, which the front-end names when it opens the control comm."""
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]+)"')


def _message(msg_type: str, content: dict[str, Any], session: str, metadata: dict[str, str] | None = None) -> str:
    """A shell message in the JSON form jupyter_server's kernel socket takes from a client without subprotocol."""
    header = {
        "msg_id": uuid4().hex,
        "msg_type": msg_type,
        "username": "",
        "session": session,
        "date": datetime.now(UTC).isoformat(),
        "version": "5.3",
    }
    return json.dumps(
        {
            "channel": "shell",
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "buffers": [],
        }
    )


def _decoded(raw: str | bytes) -> dict[str, Any]:
    """A message as the socket sends it: JSON text, or (with buffers) the offsets, then the JSON, then buffers."""
    if isinstance(raw, str):
        return dict(json.loads(raw))
    count = struct.unpack("!I", raw[:4])[0]
    offsets = struct.unpack(f"!{count}I", raw[4 : 4 + 4 * count])
    end = offsets[1] if count > 1 else len(raw)
    return dict(json.loads(raw[offsets[0] : end].decode("utf-8")))


async def _served(server: PlayerServer, person: Person, started: float) -> float:
    """Seconds from the room's start until this person's page and every widget state have arrived."""
    cookie = {"Cookie": f"resurskurs_person={person.id}"}
    client = AsyncHTTPClient(force_instance=True)
    try:
        page = await client.fetch(server.url + COURSE, headers=cookie, request_timeout=DEADLINE_SECONDS)
    finally:
        client.close()
    found = KERNEL_ID.search(page.body.decode("utf-8"))
    assert found is not None, f"{person.id}'s page names no kernel"
    session = uuid4().hex
    url = f"ws://127.0.0.1:{server.port}/api/kernels/{found.group(1)}/channels?session_id={session}"
    socket = await websocket_connect(HTTPRequest(url, headers=cookie))
    comm = uuid4().hex
    await socket.write_message(
        _message(
            "comm_open",
            {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
            session,
            {"version": CONTROL_PROTOCOL},
        )
    )
    await socket.write_message(_message("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}, session))
    try:
        while (raw := await socket.read_message()) is not None:
            message = _decoded(raw)
            content = message.get("content", {})
            if content.get("comm_id") == comm and content.get("data", {}).get("method") == "update_states":
                assert content["data"]["states"], f"{person.id}'s kernel holds no widget"
                return time.monotonic() - started
        raise ConnectionError(f"{person.id}'s kernel socket closed before the widget states came")
    finally:
        socket.close()


async def _open_room(server: PlayerServer, people: list[Person]) -> list[float]:
    """Seconds to a served page per person; one not served by the deadline counts as stuck (infinite)."""
    started = time.monotonic()

    async def one(person: Person) -> float:
        try:
            return await asyncio.wait_for(_served(server, person, started), DEADLINE_SECONDS)
        except TimeoutError:
            return float("inf")

    return list(await asyncio.gather(*(one(person) for person in people)))


def run() -> str:
    lines = []
    slowest: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as temporary:
        tmp = Path(temporary)
        root = build_player_root(tmp / "root")
        for kernels, room in ROOMS:
            with room_on_a_fresh_server(root, tmp / f"var-{kernels}-{room}", kernels, room) as (server, staff):
                cpu_before = server_cpu(server)
                seconds = asyncio.run(_open_room(server, staff))
                room_cpu = server_cpu(server) - cpu_before
            goal = f" (goal ≤ {GOAL_SECONDS} s)" if (kernels, room) == ROOMS[1] else ""
            slowest[kernels], line = room_line(kernels, room, seconds, room_cpu, goal)
            lines.append(line)
    lines.append(f"30 at once, slowest forked / launched: {slowest['forked'] / slowest['launched']:.2f}x")
    return "a room without browsers (pool 2; page and widget states, the front-end's work left to phones):\n  " + (
        "\n  ".join(lines)
    )
