"""Fewer bytes over a school's shared wifi: compressed responses, versioned files cached for good, a light repeat visit.

Playwright's request routing turns Chromium's HTTP cache off, so these pages are watched through a CDP
session instead of the usual guard; the same rule holds: every request stays on this machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page

from resurskurs.district.roster import Person
from resurskurs.testing.server import PlayerServer

COURSE = "?kurs=prova-pa"
REPEAT_BUDGET = 150_000
"""Bytes a second visit may fetch over HTTP: the page itself and a few 304 answers, none of the front-end code."""
FOREVER = "max-age=31536000"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Traffic:
    """Every HTTP response of one visit as Chromium saw it: headers, and bytes on the wire."""

    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    websocket_extensions: list[str] = field(default_factory=list)

    def watch(self, session: CDPSession) -> None:
        session.send("Network.enable")
        session.on("Network.responseReceived", self._response)
        session.on(
            "Network.loadingFinished",
            lambda event: self.sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        session.on("Network.webSocketHandshakeResponseReceived", self._handshake)

    def _response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        if urlparse(response["url"]).scheme not in ("http", "https"):
            return  # data: and blob: URLs are made in the page and cross no network
        headers = {name.lower(): value for name, value in response["headers"].items()}
        self.responses[event["requestId"]] = {"url": response["url"], "status": response["status"], **headers}

    def _handshake(self, event: dict[str, Any]) -> None:
        headers = {name.lower(): value for name, value in event["response"]["headers"].items()}
        self.websocket_extensions.append(headers.get("sec-websocket-extensions", ""))

    def matching(self, part: str) -> list[dict[str, Any]]:
        return [response for response in self.responses.values() if part in response["url"]]

    @property
    def total(self) -> int:
        return sum(self.sizes.values())


@pytest.fixture
def phone(browser: Browser, server: PlayerServer, learner: Person) -> Iterator[BrowserContext]:
    """One person's browser profile, unrouted (so its HTTP cache works), on this machine only."""
    context = browser.new_context()
    context.add_cookies([{"name": "resurskurs_person", "value": learner.id, "url": server.url}])
    yield context
    context.close()


def visit(context: BrowserContext, server: PlayerServer) -> Traffic:
    """A course page opened in a new tab until usable, then closed (as a person leaving does)."""
    page: Page = context.new_page()
    traffic = Traffic()
    traffic.watch(context.new_cdp_session(page))
    page.goto(server.url + COURSE)
    page.locator(".rk-page .rk-question button").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)
    page.close(run_before_unload=True)
    outside = [
        response["url"] for response in traffic.responses.values() if urlparse(response["url"]).hostname not in LOOPBACK
    ]
    assert outside == [], f"requests left the machine: {outside}"
    return traffic


class DescribeTheBytesACoursePageCosts:
    def it_sends_the_page_and_the_front_end_code_gzipped_and_deflates_the_kernel_socket(
        self, phone: BrowserContext, server: PlayerServer
    ) -> None:
        traffic = visit(phone, server)
        [page] = traffic.matching(COURSE)
        assert page.get("content-encoding") == "gzip"
        scripts = [response for response in traffic.matching(".js") if response["status"] == 200]
        assert scripts, "the page loaded no scripts"
        assert [response["url"] for response in scripts if response.get("content-encoding") != "gzip"] == []
        assert traffic.websocket_extensions, "the page opened no kernel socket"
        assert all("permessage-deflate" in extensions for extensions in traffic.websocket_extensions)

    def it_caches_versioned_files_for_a_year_and_asks_again_about_any_other(
        self, phone: BrowserContext, server: PlayerServer
    ) -> None:
        traffic = visit(phone, server)
        [voila] = traffic.matching("/voila.js")
        assert "/voila/static/v-" in voila["url"]
        assert FOREVER in voila["cache-control"] and "immutable" in voila["cache-control"]
        versioned = [response for response in traffic.responses.values() if "?v=" in response["url"]]
        assert versioned, "the page asked for no file by version"
        assert all(FOREVER in response["cache-control"] for response in versioned)
        static = [
            response
            for response in traffic.responses.values()
            if "/voila/" in response["url"]
            and "?v=" not in response["url"]
            and "/voila/static/v-" not in response["url"]
            and "/api/" not in response["url"]
        ]
        assert static, "every static file came by version"
        assert [response["url"] for response in static if response.get("cache-control") != "no-cache"] == []

    def it_fetches_almost_nothing_on_a_second_visit(self, phone: BrowserContext, server: PlayerServer) -> None:
        first = visit(phone, server)
        second = visit(phone, server)
        assert first.total > 4 * REPEAT_BUDGET, f"the first visit fetched only {first.total} bytes"
        assert second.total <= REPEAT_BUDGET, f"a second visit fetched {second.total} bytes"
