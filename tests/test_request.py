"""A preheated kernel learns about its request over Voilà's query websocket."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator

import pytest
from websockets.asyncio.server import ServerConnection, serve

from resurskurs.learners.identity import PERSON_VARIABLE
from resurskurs.player import request
from resurskurs.player.request import QUERY_TOKEN, query_url, wait_for_request


@pytest.fixture
def query_server() -> Iterator[tuple[int, list[str], list[str]]]:
    """A stand-in for Voilà's RequestInfoSocketHandler: answers each connection with one request."""
    yield from serve_requests(slow_handshakes=0)


@pytest.fixture
def busy_query_server() -> Iterator[tuple[int, list[str], list[str]]]:
    """The same, busy: its first two handshakes take longer than the kernel's connect timeout (set to 0.2 s)."""
    yield from serve_requests(slow_handshakes=2)


def serve_requests(slow_handshakes: int) -> Iterator[tuple[int, list[str], list[str]]]:
    paths: list[str] = []
    tokens: list[str] = []
    handshakes: list[None] = []
    ready = threading.Event()
    port: list[int] = []
    stop: list[asyncio.Future[None]] = []

    async def handler(connection: ServerConnection) -> None:
        paths.append(connection.request.path if connection.request else "")
        tokens.append(connection.request.headers.get("Authorization", "") if connection.request else "")
        await connection.send(json.dumps({"QUERY_STRING": "kurs=takk", PERSON_VARIABLE: "eva.lund"}))

    async def process_request(connection: ServerConnection, request: object) -> None:
        handshakes.append(None)
        if len(handshakes) <= slow_handshakes:
            await asyncio.sleep(1)

    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0, process_request=process_request) as server:
            port.append(server.sockets[0].getsockname()[1])
            stop.append(asyncio.get_running_loop().create_future())
            ready.set()
            await stop[0]

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(main(),))
    thread.start()
    ready.wait(10)
    yield port[0], paths, tokens
    loop.call_soon_threadsafe(stop[0].set_result, None)
    thread.join(10)


class DescribeWaitForRequest:
    def it_puts_the_request_into_the_environment(self, query_server: tuple[int, list[str], list[str]]) -> None:
        port, paths, tokens = query_server
        environ = {"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "abc-123", "VOILA_APP_PORT": str(port),
                   "VOILA_SERVER_URL": "/", QUERY_TOKEN: "kernels-own"}
        assert wait_for_request(environ) is True
        assert environ["QUERY_STRING"] == "kurs=takk"
        assert environ[PERSON_VARIABLE] == "eva.lund"
        assert paths == ["/voila/query/abc-123"]
        assert tokens == ["token kernels-own"]

    def it_keeps_trying_while_a_busy_server_is_slow_to_accept(self, busy_query_server: tuple[int, list[str], list[str]],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(request, "CONNECT_TIMEOUT_SECONDS", 0.2)
        port, paths, _ = busy_query_server
        environ = {"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "abc-123", "VOILA_APP_PORT": str(port)}
        assert wait_for_request(environ) is True
        assert environ["QUERY_STRING"] == "kurs=takk"
        assert paths == ["/voila/query/abc-123"]

    def it_returns_at_once_outside_preheating(self) -> None:
        environ = {"VOILA_PREHEAT": "False"}
        assert wait_for_request(environ) is False
        assert environ == {"VOILA_PREHEAT": "False"}

    def it_gives_up_when_no_server_answers(self) -> None:
        environ = {"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "k", "VOILA_APP_PORT": "9"}
        assert wait_for_request(environ) is False
        assert "QUERY_STRING" not in environ

    def it_follows_the_websocket_base_url_of_a_hub(self) -> None:
        url = query_url({"VOILA_WS_PROTOCOL": "wss", "VOILA_APP_IP": "10.0.0.2", "VOILA_APP_PORT": "8888",
                         "VOILA_SERVER_URL": "/", "VOILA_WS_BASE_URL": "/user/eva/", "VOILA_KERNEL_ID": "k"})
        assert url == "wss://10.0.0.2:8888/user/eva/voila/query/k"
