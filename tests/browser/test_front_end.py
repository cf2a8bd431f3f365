"""Every page starts from one front-end script: no chunk of Voilà or of a widget front-end is fetched on its own."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, Response, expect

from resurskurs.district.roster import Person, Role
from resurskurs.testing.browser import Guard, open_context
from resurskurs.testing.server import PlayerServer

CHUNK = re.compile(r"/voila/(static/v-[0-9a-f]+/\d+\.voila\.js|labextensions/.+/static/(?!remoteEntry\.)[^/]+\.js)")
"""A chunk asked for on its own: one of Voilà's numbered chunks, or a widget front-end's file other than its entry."""
PAGES = [
    (Role.STAFF, "?kurs=prova-pa"),
    (Role.STAFF, "?"),
    (Role.STAFF, "?byt=1"),
    (Role.PRINCIPAL, "?vy=enhet"),
    (Role.RESOURCE_TEAM, "?vy=forvaltning"),
    (Role.RESOURCE_TEAM, "?vy=granska"),
]

HOLD_WIDGET_STATES = """
(() => {
  const Native = window.WebSocket;
  let held = null;
  const decoder = new TextDecoder();
  const carriesStates = data => (typeof data === "string" ? data : decoder.decode(data)).includes('"update_states"');
  window.rkReleaseStates = () => { const deliver = held; held = null; deliver(); };
  window.WebSocket = class extends Native {
    set onmessage(handler) {
      super.onmessage = event => {
        if (!window.rkStatesHeld && carriesStates(event.data)) {
          window.rkStatesHeld = true;
          held = () => handler.call(this, event);
        } else {
          handler.call(this, event);
        }
      };
    }
    get onmessage() { return super.onmessage; }
  };
})();
"""
"""Runs in the page before its scripts: the kernel's answer with every widget state waits for `rkReleaseStates()`."""
WAITS_FOR_A_MODEL_MS = 2000
"""How long Voilà's front-end looks, every 100 ms, for a widget model the page shows but has not received yet."""


def listed_name(url: str) -> str:
    """The line of front_end_chunks.txt that would have covered `url`."""
    path = url.split("/voila/", 1)[1].split("?", 1)[0]
    return re.sub(r"^static/v-[0-9a-f]+/", "static/", path)


def responses_of(browser: Browser, server: PlayerServer, person: Person, query: str, guard: Guard) -> list[Response]:
    """Every response of one page opened until its first widget shows, and a moment longer."""
    context = open_context(browser, server, person, guard)
    responses: list[Response] = []
    page = context.new_page()
    page.on("response", lambda response: responses.append(response))
    page.goto(server.url + query)
    page.locator(".rk-page").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    context.close()
    return responses


class DescribeTheFrontEndScript:
    def it_brings_every_chunk_each_kind_of_page_needs(
        self, browser: Browser, server: PlayerServer, people: list[Person], guard: Guard
    ) -> None:
        for role, query in PAGES:
            person = next(someone for someone in people if someone.role is role)
            responses = responses_of(browser, server, person, query, guard)
            bundles = [response for response in responses if "/resurskurs/front-end-" in response.url]
            assert [response.status for response in bundles] == [200], f"{query}: the front-end script was not loaded"
            alone = sorted({listed_name(response.url) for response in responses if CHUNK.search(response.url)})
            assert alone == [], f"{query} ({role}) fetched chunks on their own; add to front_end_chunks.txt: {alone}"

    def it_is_cached_for_good_and_sent_gzipped(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard
    ) -> None:
        context = open_context(browser, server, learner, guard)
        page = context.new_page()
        with page.expect_response(lambda response: "/resurskurs/front-end-" in response.url) as answer:
            page.goto(server.url + "?kurs=prova-pa")
        headers = answer.value.all_headers()
        body, name = answer.value.body(), answer.value.url.rsplit("/", 1)[-1]
        context.close()
        assert "max-age=31536000" in headers["cache-control"] and "immutable" in headers["cache-control"]
        assert headers.get("content-encoding") == "gzip"
        assert body == (server.var / "cache" / "front-end" / name).read_bytes(), "not the script kept in the cache"

    def it_compresses_the_script_itself_when_its_kept_copy_has_gone(self, server: PlayerServer) -> None:
        [script] = (server.var / "cache" / "front-end").glob("front-end-*.js")
        script.with_name(script.name + ".gz").unlink()
        asked = urllib.request.Request(f"{server.url}resurskurs/{script.name}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(asked, timeout=30) as answer:
            assert answer.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(answer.read()) == script.read_bytes()

    def it_answers_a_name_that_is_not_the_current_script_with_404(self, server: PlayerServer) -> None:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.url + "resurskurs/front-end-0123456789abcdef.js", timeout=30)
        assert refused.value.code == 404


class DescribeWidgetStatesArrivingLate:
    def it_shows_the_page_when_they_arrive_just_as_the_front_end_stops_waiting_for_them(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard
    ) -> None:
        """What a busy server does to a page: the widget states come while the front-end's last look is pending.

        The page's clock stands still, so the looks happen only when the test moves it on.
        """
        context = open_context(browser, server, learner, guard)
        page = context.new_page()
        page.add_init_script(HOLD_WIDGET_STATES)
        page.clock.install()
        page.clock.pause_at(datetime.now() + timedelta(seconds=1))
        page.goto(server.url + "?kurs=prova-pa")
        page.wait_for_function("window.rkStatesHeld === true", polling=100, timeout=60_000)
        page.wait_for_function("document.body.textContent.includes('Loading widget...')", polling=100)
        page.clock.run_for(WAITS_FOR_A_MODEL_MS - 50)
        page.evaluate("window.rkReleaseStates()")
        page.wait_for_function("window.jupyterapp.widgetManager.restoredStatus", polling=100, timeout=30_000)
        page.clock.run_for(500)
        page.clock.resume()
        shown = page.locator(".rk-page .rk-question").or_(page.get_by_text("Error displaying widget")).first
        expect(shown).to_be_visible(timeout=30_000)
        expect(page.locator(".jupyter-widgets").filter(has_text="Error displaying widget")).to_have_count(0)
        expect(page.locator(".rk-page .rk-question").first).to_be_visible()
        context.close()


class DescribeTheStaticFiles:
    def it_serves_them_with_an_etag_that_answers_a_revalidation_with_304_and_logs_no_error(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard
    ) -> None:
        responses = responses_of(browser, server, learner, "?kurs=prova-pa", guard)
        assert any("/resurskurs/films/" in response.url for response in responses), "the page loaded no film file"
        for path in ("resurskurs/films/media/demo.jpg", "voila/templates/resurskurs/static/resurskurs.css"):
            with urllib.request.urlopen(server.url + path, timeout=30) as first:
                etag = first.headers["ETag"]
            assert etag, f"{path} has no ETag"
            again = urllib.request.Request(server.url + path, headers={"If-None-Match": etag})
            with pytest.raises(urllib.error.HTTPError) as unchanged:
                urllib.request.urlopen(again, timeout=30)
            assert unchanged.value.code == 304
        assert server.log is not None
        assert "Could not open static file" not in server.log.read_text(errors="replace")


class DescribeTheServersLog:
    def it_says_nothing_an_operator_could_not_act_on_when_a_page_opens(
        self, browser: Browser, server: PlayerServer, learner: Person, guard: Guard
    ) -> None:
        responses_of(browser, server, learner, "?kurs=prova-pa", guard)
        assert server.log is not None
        log = server.log.read_text(errors="replace")
        assert "Kernel started" in log
        assert "is not trusted" not in log
        assert "setup plugin" not in log
