"""A district on JupyterHub: log-in, one's own server only, no Jupyter API, the grader as an authenticated service.

One hub for the whole module (tests/hub/conftest.py): two staff of different units and a principal.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psutil
import pytest
import requests
import sqlalchemy as sa
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from resurskurs.backend.wire import PERSON, ROWS, releases_from_json
from resurskurs.catalog.load import load_catalog
from resurskurs.core.progress import Status
from resurskurs.district.releases import ReleaseRefused, release, start
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook.progress import progress_rows
from resurskurs.hub.names import SERVICE_SCOPE
from resurskurs.learners.identity import PERSON_COOKIE
from resurskurs.slides.qr import PUBLIC_URL_VARIABLE, course_url
from resurskurs.testing.browser import drawn, open_page, screenshot, serious_violations
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.testing.hub import LEARNERS, PEOPLE, Hub, open_room, server_memory, xsrf
from resurskurs.testing.server import printed_by
from resurskurs.tracking.roster_import import import_people
from resurskurs.ui import markup
from tests.test_hand_in_totals import kept_and_summed

pytestmark = pytest.mark.hub
A, B, PRINCIPAL = "anna.berg", "bo.ek", "rut.lind"
LEARNER = "cia.holm"
"""Goes through the hub in Chromium."""
STOP_PROMPT = "Vad vill du få ut av den här modulen?"
REFLECTION_PROMPT = "Beskriv en situation där du var en trygg bas för ett barn."
REFLECTION = (
    "Vid lämningen satte jag mig nära dörren och väntade lugnt. Barnet tittade på mig en stund, "
    "tog sedan min hand och gick bort till dockvrån för att leka med de andra."
)
REVIEWER = "eva.ros"
MEMORY_LIMIT_MIB = 768
"""c.Spawner.mem_limit in deploy/jupyterhub_config.py."""
SPAWN_SECONDS = 180
"""A server the hub starts for a browser, on a machine as loaded as CI's."""
SAME = "dan.falk"
"""Hands in twice at once."""
SERVICE = "services/resurskurs-grader/api"
ROOM = 10
"""People who log in and open the module together in the room spec."""
NOT_STARTED = LEARNERS[-2]
"""Whose server no spec starts: the load of fifty only mints their token."""
NEWCOMER = "ida.nord"
"""Staff of the principal's unit who has not handed in: her progress is posted as a draft's percent."""


@pytest.fixture(scope="module")
def sessions(hub: Hub) -> dict[str, requests.Session]:
    """The three people logged in, each with their own server running."""
    logged_in = {name: hub.log_in(name) for name in (A, B, PRINCIPAL)}
    for name, session in logged_in.items():
        hub.wait_for_server(session, name)
    return logged_in


def token(hub: Hub, name: str) -> str:
    """The user server's own hub token, as its kernels have it (read from the spawned process)."""
    return str(hub.user_servers()[name].environ()["JUPYTERHUB_API_TOKEN"])


class DescribeLogIn:
    def it_sends_someone_not_logged_in_to_the_hubs_log_in(self, hub: Hub) -> None:
        response = requests.get(f"{hub.url}user/{A}/", allow_redirects=True)
        assert "/hub/login" in response.url

    def it_refuses_another_persons_server(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        response = sessions[A].get(f"{hub.url}user/{B}/", allow_redirects=True)
        assert response.status_code == 403

    def it_takes_a_token_in_the_header_only_when_it_reaches_the_server(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        own = hub.new_token(sessions[A], A, [f"access:servers!user={A}"])
        others = hub.new_token(sessions[B], B, [f"access:servers!user={B}"])
        narrow = hub.new_token(sessions[A], A, [f"read:users:name!user={A}"])
        answers = {
            kind: requests.get(f"{hub.url}user/{A}/", headers={"Authorization": f"token {value}"}, timeout=120)
            for kind, value in (("own", own), ("other's", others), ("narrow", narrow), ("made up", "x" * 32))
        }
        assert answers["own"].status_code == 200 and "voila" in answers["own"].text.lower()
        assert answers["other's"].status_code == 403
        assert answers["narrow"].status_code == 403
        assert answers["made up"].status_code == 200 and "/hub/login" in answers["made up"].url

    def it_ends_the_servers_sign_in_when_the_person_logs_out_at_the_hub(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        """On a shared computer "Logga ut" (the hub's log-out) must sign the person out of their server at once,
        not when the server's five minutes of trust in the token have run out."""
        visitor = hub.log_in(A, spawn=False)
        assert visitor.get(f"{hub.url}user/{A}/", timeout=120).status_code == 200
        assert f"jupyterhub-user-{A}" in visitor.cookies
        visitor.get(f"{hub.url}hub/logout", timeout=60)
        after = visitor.get(f"{hub.url}user/{A}/", allow_redirects=False, timeout=120)
        assert after.status_code == 302 and "/hub/api/oauth2/authorize" in after.headers["Location"]

    def it_does_not_take_a_cookie_it_did_not_sign(self, hub: Hub) -> None:
        visitor = requests.Session()
        visitor.cookies.set(f"jupyterhub-user-{A}", token(hub, A), path=f"/user/{A}/")
        response = visitor.get(f"{hub.url}user/{A}/", timeout=120)
        assert "/hub/login" in response.url

    def it_asks_a_cookie_signed_script_request_for_the_xsrf_token(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        """A script may read what it fetches: the cookie alone signs in page views, not fetches (JupyterHub's rule)."""
        url = f"{hub.url}user/{A}/?kurs={SLUG}"
        fetched = sessions[A].get(
            url, headers={"Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"}, allow_redirects=False
        )
        assert fetched.status_code == 302 and "/hub/api/oauth2/authorize" in fetched.headers["Location"]
        viewed = sessions[A].get(url, headers={"Sec-Fetch-Mode": "navigate"}, allow_redirects=False, timeout=120)
        assert viewed.status_code == 200

    def it_refuses_a_log_in_this_browser_did_not_begin(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        """A forged callback (login CSRF) sets no cookie and tells the person, in Swedish, to log in again."""
        visitor = hub.log_in(A, spawn=False)
        response = visitor.get(f"{hub.url}user/{A}/oauth_callback", params={"code": "x", "state": "y"})
        assert response.status_code == 403 and "Inloggningen blev inte klar" in response.text
        assert f"jupyterhub-user-{A}" not in visitor.cookies

    def it_refuses_a_code_the_hub_did_not_give(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        visitor = hub.log_in(A, spawn=False)
        to_hub = visitor.get(f"{hub.url}user/{A}/", allow_redirects=False)
        assert to_hub.status_code == 302, to_hub.status_code
        state = parse_qs(urlsplit(to_hub.headers["Location"]).query)["state"][0]
        response = visitor.get(f"{hub.url}user/{A}/oauth_callback", params={"code": "not-the-hubs", "state": state})
        assert response.status_code == 403 and "Inloggningen blev inte klar" in response.text
        assert f"jupyterhub-user-{A}" not in visitor.cookies


class DescribeAWorkshopDecksQrCode:
    """The deck's QR code is the hub's address with the module's query (slides/qr.py), as on one machine: the hub
    carries the query through its log-in and spawn pages to the person's own server."""

    def it_opens_the_module_on_the_persons_own_server_after_the_log_in(self, hub: Hub) -> None:
        name = LEARNERS[-1]
        visitor = requests.Session()
        form = visitor.get(course_url(SLUG, hub.url), timeout=60)
        assert "/hub/login" in form.url
        opened = visitor.post(form.url, data={"username": name, "password": "x", "_xsrf": xsrf(visitor)}, timeout=180)
        deadline = time.monotonic() + SPAWN_SECONDS
        while "/hub/spawn-pending/" in opened.url and time.monotonic() < deadline:  # as its page does, once started
            time.sleep(1)
            opened = visitor.get(opened.url, timeout=120)
        assert (opened.status_code, opened.url) == (200, f"{hub.url}user/{name}/?kurs={SLUG}")
        assert _first_response_title(hub) in opened.content.decode("utf-8")

    def it_opens_the_module_for_someone_already_logged_in(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        """With the address a deck made on a person's server puts in its QR code (RESURSKURS_PUBLIC_URL)."""
        public = hub.user_servers()[B].environ()[PUBLIC_URL_VARIABLE]
        opened = sessions[B].get(course_url(SLUG, public.rstrip("/") + "/"), timeout=120)
        assert (opened.status_code, opened.url) == (200, f"{hub.url}user/{B}/?kurs={SLUG}")

    def it_leaves_the_hubs_own_address_without_a_page_as_jupyterhub_has_it(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        assert sessions[B].get(hub.url, timeout=120).url == f"{hub.url}user/{B}/"


class DescribeAColleaguesLink:
    """A link copied from a colleague's address bar (/user/<them>/?kurs=…), shared by mail or on an intranet: the hub
    refuses the person the colleague's server, and its error page (hub/templates/error.html) opens the same page on
    their own."""

    @pytest.mark.parametrize("colleague", [A, NOT_STARTED])
    def it_opens_the_same_page_on_the_persons_own_server(
        self, hub: Hub, hub_browser: Browser, sessions: dict[str, requests.Session], colleague: str
    ) -> None:
        """The colleague's server running (the hub refuses its log-in) or not (the hub answers the link itself)."""
        assert (colleague in hub.user_servers()) is (colleague == A)
        context = hub_browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
        try:
            page = _log_in(context.new_page(), hub, B)
            page.goto(f"{hub.url}user/{colleague}/?kurs={SLUG}")
            page.wait_for_url(f"{hub.url}user/{B}/?kurs={SLUG}", timeout=SPAWN_SECONDS * 1000)
            drawn(page)
            expect(page.locator(".rk-who")).to_contain_text("Inloggad som Bo Ek")
            expect(page.locator("body")).not_to_contain_text("Anna Berg")
        finally:
            context.close()

    def it_refuses_in_swedish_and_carries_the_page_for_the_way_on(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        refused = sessions[B].get(f"{hub.url}user/{A}/?kurs={SLUG}", timeout=60)
        assert refused.status_code == 403
        assert "/hub/api/oauth2/authorize" in refused.url and f"resurskurs_page=kurs%3D{SLUG}" in refused.url
        html = refused.content.decode("utf-8")  # as the page's <meta charset> says; the hub's header names none
        assert "Du har inte tillgång till sidan" in html and "Till dina moduler" in html

    def it_says_a_missing_page_in_swedish_on_a_page_that_fits_a_phone_and_passes_axe(
        self, hub: Hub, hub_browser: Browser
    ) -> None:
        context = hub_browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            page.goto(f"{hub.url}hub/finns-inte")
            expect(page.get_by_role("heading", name="Sidan finns inte")).to_be_visible()
            assert page.evaluate("document.documentElement.lang") == "sv"
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            expect(page.get_by_role("link", name="Till dina moduler")).to_have_attribute("href", "/hub/user-redirect/")
            assert serious_violations(page) == []
            screenshot(page, "hub-missing-page-390")
        finally:
            context.close()


def _first_response_title(hub: Hub) -> str:
    """The module's title as the server's first response writes it (its preview)."""
    return markup.text(load_catalog(hub.course_dir.root.parent / "content").module(SLUG).course.title)


class DescribeTheJupyterApi:
    @pytest.mark.parametrize("path", ["api/kernels", "api/contents", "api/terminals", "api/sessions"])
    def it_never_answers_200_or_201(self, hub: Hub, sessions: dict[str, requests.Session], path: str) -> None:
        session = sessions[A]
        url = f"{hub.url}user/{A}/{path}"
        answers = [session.get(url).status_code, session.post(url, json={}, headers={"X-XSRFToken": "x"}).status_code]
        assert not {200, 201} & set(answers), answers


class DescribeTheUserServers:
    def it_holds_no_gradebook_url_or_password(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        password_like = sa.make_url(hub.gradebook_url)
        servers = hub.user_servers()
        assert {A, B, PRINCIPAL} <= set(servers)
        for process in [server for s in servers.values() for server in (s, *s.children(recursive=True))]:
            text = " ".join(process.cmdline()) + "\n" + "\n".join(f"{k}={v}" for k, v in process.environ().items())
            assert "postgresql" not in text and "RESURSKURS_GRADEBOOK_URL" not in text
            assert str(password_like.database) not in text

    def it_puts_the_modules_title_and_no_more_in_the_first_response(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        """The releases live with the service, so the server cannot tell cheaply who may read the module: its title
        only, rendered by the server's own preview process (server/preview_text.py) under the hub too."""
        course = load_catalog(hub.course_dir.root.parent / "content").module(SLUG).course
        opened = sessions[A].get(f"{hub.url}user/{A}/?kurs={SLUG}", timeout=120)
        assert opened.status_code == 200
        html = opened.content.decode("utf-8")  # as the page's <meta charset> says; Voilà's header names none
        assert '<meta charset="utf-8"' in html[:1024]
        preview = re.search(r'<main id="rk-preview".*?</main>', html, re.DOTALL)
        assert preview is not None, "the first response carries no module title"
        assert markup.text(course.title) in preview.group(0)
        assert markup.text(course.summary) not in preview.group(0)

    def it_reads_the_previews_it_kept_when_the_persons_server_starts_again(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        """A server started again on the same content and code starts no renderer (server/preview.py): the file
        the renderer kept in the person's cache is read, not written again, and the title is still there."""
        home = hub.log.parent / "home" / B
        kept = sorted(home.rglob("previews-*.json"))
        assert len(kept) == 1, kept
        written = kept[0].stat().st_ino
        session = sessions[B]
        server = f"{hub.url}hub/api/users/{B}/server"
        assert session.delete(server, headers={"X-XSRFToken": xsrf(session)}, timeout=60).status_code in (202, 204)
        deadline = time.monotonic() + SPAWN_SECONDS
        while B in hub.user_servers() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert session.post(server, headers={"X-XSRFToken": xsrf(session)}, timeout=60).status_code in (201, 202)
        hub.wait_for_server(session, B)
        opened = session.get(f"{hub.url}user/{B}/?kurs={SLUG}", timeout=120)
        assert '<h1 id="rk-preview-title">' in opened.content.decode("utf-8")
        assert [file.stat().st_ino for file in sorted(home.rglob("previews-*.json"))] == [written]


class DescribeTheGraderService:
    def it_refuses_a_request_without_a_token(self, hub: Hub) -> None:
        assert requests.get(f"{hub.url}{SERVICE}/me").status_code == 403
        assert requests.post(f"{hub.url}{SERVICE}/hand-in", json={"slug": SLUG, "answers": {}}).status_code == 403

    def it_takes_the_person_from_the_token(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        me = requests.get(
            f"{hub.url}{SERVICE}/me", headers={"Authorization": f"token {token(hub, A)}", "X-Forwarded-User": B}
        )
        assert me.status_code == 200 and me.json()["id"] == A

    def it_refuses_a_body_that_names_a_person(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        module = load_catalog(hub.course_dir.root.parent / "content").module(SLUG)
        body = {"slug": SLUG, "person": B, "answers": answers_for(module, 2).model_dump(mode="json")}
        response = requests.post(
            f"{hub.url}{SERVICE}/hand-in", json=body, headers={"Authorization": f"token {token(hub, A)}"}
        )
        assert response.status_code == 400
        assert _submissions(hub, B) == 0

    def it_refuses_a_token_of_the_person_without_the_service_scope(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        narrow = hub.new_token(sessions[A], A, ["read:users!user"])
        headers = {"Authorization": f"token {narrow}"}
        assert requests.get(f"{hub.url}hub/api/user", headers=headers).json()["name"] == A
        assert requests.get(f"{hub.url}{SERVICE}/me", headers=headers).status_code == 403
        body = {"slug": SLUG, "answers": _answers(hub, 3)}
        assert requests.post(f"{hub.url}{SERVICE}/hand-in", json=body, headers=headers).status_code == 403

    def it_stores_a_hand_in_under_the_tokens_person(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        module = load_catalog(hub.course_dir.root.parent / "content").module(SLUG)
        body = {"slug": SLUG, "answers": answers_for(module, 2).model_dump(mode="json")}
        response = requests.post(
            f"{hub.url}{SERVICE}/hand-in", json=body, headers={"Authorization": f"token {token(hub, A)}"}, timeout=120
        )
        assert response.status_code == 200 and response.json()["accepted"], response.text
        assert (_submissions(hub, A), _submissions(hub, B)) == (1, 0)

    def it_stores_a_hand_in_with_another_users_token_under_that_user_only(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        before = _submissions(hub, A)
        response = sessions[A].post(
            f"{hub.url}{SERVICE}/hand-in",
            json={"slug": SLUG, "answers": _answers(hub, 4)},
            headers={"Authorization": f"token {token(hub, B)}", "X-Forwarded-User": A},
            cookies={"resurskurs_person": A},
            timeout=120,
        )
        assert response.status_code == 200 and response.json()["accepted"], response.text
        assert (_submissions(hub, A), _submissions(hub, B)) == (before, 1)


class DescribeRetentionUnderTheHub:
    def it_runs_in_the_grader_service_from_its_start_and_logs_its_counts(self, hub: Hub) -> None:
        log = hub.course_dir.root.parent / "service-var" / "privacy" / "retention.log"
        _wait_for(lambda: log.is_file() and "drafts" in log.read_text(encoding="utf-8"))


class DescribeALearnerInTheBrowser:
    """Chromium through the hub's log-in form, with a forged person cookie and X-Forwarded-User on every request."""

    def it_logs_in_saves_a_stop_hands_in_and_shows_the_resource_teams_feedback(
        self, hub: Hub, hub_browser: Browser
    ) -> None:
        context = hub_browser.new_context(locale="sv-SE", extra_http_headers={"X-Forwarded-User": B})
        context.add_cookies([{"name": PERSON_COOKIE, "value": B, "url": hub.url}])
        others = _submissions(hub, B)
        page = _log_in(context.new_page(), hub, LEARNER)
        _only_name(page, "Cia Holm")
        expect(page.locator("a.rk-course-card")).to_contain_text("Prova på resurskurs")

        open_page(page, f"{hub.url}user/{LEARNER}/?kurs={SLUG}")
        _only_name(page, "Cia Holm")
        before = page.get_by_role("group", name="Jag gör något annorlunda i mitt arbete efter modulen.")
        before.get_by_label("Stämmer ganska dåligt").check()
        baseline = hub.course_dir.root.parent / "service-var" / "follow-up-baseline" / SLUG / f"{LEARNER}.json"
        _wait_for(lambda: baseline.is_file() and '"prova-f1": 2' in baseline.read_text(encoding="utf-8"))
        logbook = page.get_by_text("Din loggbok – bara du ser den")
        if logbook.is_visible():
            logbook.click()
        stop = page.get_by_label(STOP_PROMPT).and_(page.locator("textarea:visible")).first
        stop.fill("Jag vill bli lugnare vid lämningar.")
        drafts = hub.course_dir.root.parent / "home" / LEARNER / ".resurskurs" / "answers" / LEARNER / f"{SLUG}.json"
        _wait_for(lambda: drafts.is_file() and "Jag vill bli lugnare" in drafts.read_text(encoding="utf-8"))

        question = page.locator(".rk-question").first
        question.get_by_label("En trygg bas").check()
        question.get_by_role("button", name="Kontrollera svaret").click()
        expect(question.locator(".rk-verdict")).to_contain_text("Rätt svar!", timeout=30_000)
        page.get_by_label(REFLECTION_PROMPT).fill(REFLECTION)
        page.get_by_role("button", name="Lämna in", exact=True).click()
        page.get_by_role("button", name="Lämna in ändå").click()
        expect(page.locator(".rk-ok")).to_contain_text("Tack! Din inlämning är mottagen", timeout=120_000)
        expect(page.locator(".rk-status").filter(has_text="Kunskapsfrågor:")).to_contain_text("Inlämnad")
        assert (_submissions(hub, LEARNER), _submissions(hub, B)) == (1, others)

        open_page(page, f"{hub.url}user/{LEARNER}/?vy=granska")
        expect(page.locator("body")).to_contain_text("Sidan är inte till för dig")

        reviewer = hub_browser.new_context(locale="sv-SE")
        granska = _log_in(reviewer.new_page(), hub, REVIEWER, "?vy=granska")
        expect(granska.locator(".rk-who")).to_contain_text("Inloggad som Eva Ros")
        granska.get_by_label("Enhet").select_option("Lärkan")
        expect(granska.locator("#rk-granskas")).to_have_text("Reflektion från Cia Holm")
        expect(granska.locator(".rk-learner-text")).to_have_text(REFLECTION)
        granska.get_by_label("Koppling till filmen").check()
        granska.get_by_label("Kommentar till Cia").fill("Fint, Cia!")
        granska.get_by_role("button", name="Spara och öppna nästa").click()
        expect(granska.locator(".rk-ok")).to_contain_text("Sparat: Cia Holm", timeout=60_000)
        reviewer.close()

        feedback = page.get_by_role("region", name="Återkoppling från resursteamet")
        for _ in range(10):
            open_page(page, f"{hub.url}user/{LEARNER}/?kurs={SLUG}")
            if feedback.count():
                break
            time.sleep(2)
        expect(feedback).to_contain_text("Fint, Cia!")
        _only_name(page, "Cia Holm")
        context.close()

    def it_holds_a_learner_server_with_its_kernels_within_the_memory_limit(self, hub: Hub) -> None:
        pss, uss, processes = server_memory(hub.user_servers()[LEARNER])
        print(f"\n{LEARNER}'s server and {processes - 1} processes it started: PSS {pss:.0f} MiB, USS {uss:.0f} MiB")
        assert pss < MEMORY_LIMIT_MIB


class DescribeThePrincipalInTheBrowser:
    def it_reads_the_unit_and_downloads_the_excel_and_csv_reports(
        self, hub: Hub, hub_browser: Browser, tmp_path: Path
    ) -> None:
        context = hub_browser.new_context(locale="sv-SE", accept_downloads=True)
        page = _log_in(context.new_page(), hub, PRINCIPAL, "?vy=enhet")
        expect(page.locator("h1").first).to_contain_text("Solrosen")
        expect(page.locator("body")).to_contain_text("Ida Nord")
        expect(page.locator("body")).not_to_contain_text("Cia Holm")
        saved: dict[str, Path] = {}
        for label, suffix in (("Ladda ner Excel-fil", ".xlsx"), ("Ladda ner CSV-fil", ".csv")):
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name=label).click()
            assert download.value.suggested_filename.endswith(suffix)
            saved[suffix] = tmp_path / download.value.suggested_filename
            download.value.save_as(saved[suffix])
        workbook = load_workbook(saved[".xlsx"])
        assert any("Ida Nord" in str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row)
        assert saved[".csv"].read_bytes().strip()
        server = hub.user_servers()[PRINCIPAL]
        assert server.cpu_percent(interval=1.0) < 50, "the principal's server is busy after the downloads"
        context.close()


class DescribeTheResourceTeamInTheBrowser:
    def it_reads_the_whole_district_as_the_gradebook_holds_it(self, hub: Hub, hub_browser: Browser) -> None:
        slugs = [module.course.slug for module in load_catalog(hub.course_dir.root.parent / "content").modules]
        rows = progress_rows(hub.gradebook_url, slugs)
        people, units = len({row.person_id for row in rows}), len({row.unit for row in rows})
        context = hub_browser.new_context(locale="sv-SE")
        page = _log_in(context.new_page(), hub, REVIEWER, "?vy=forvaltning")
        expect(page.locator("body")).to_contain_text(f"{people} i personalen på {units} enheter")
        for unit in sorted({row.unit for row in rows}):
            expect(page.locator("ul.rk-units").first).to_contain_text(unit)
        expect(page.get_by_role("heading", name="Loggen över personuppgifter")).to_be_visible()
        context.close()


class DescribeLeavingAPageUnderTheHub:
    def it_shuts_the_pages_kernel_down_as_the_page_is_left(self, hub: Hub, hub_browser: Browser) -> None:
        """Voilà's front-end posts the shutdown as the page unloads, signed by the hub's cookie and the XSRF token
        the page set: refused, every visit would keep a kernel (about 44 MiB) until the culler ends it."""
        context = hub_browser.new_context(locale="sv-SE")
        try:
            page = context.new_page()
            _log_in(page, hub, B, f"?kurs={SLUG}")
            server = hub.user_servers()[B]
            opened = _kernels(server)
            assert opened >= 1
            page.close(run_before_unload=True)
            _wait_for(lambda: _kernels(server) == opened - 1, seconds=30)
        finally:
            context.close()


class DescribeEachRolesFirstPage:
    """Through the hub's log-in form at a phone's and a laptop's width: the person the service says they are, no
    serious axe violation, and a screenshot in test-artifacts/ to look at."""

    @pytest.mark.parametrize(
        ("name", "query", "role"),
        [(A, "", "staff"), (PRINCIPAL, "?vy=enhet", "principal"), (REVIEWER, "?vy=forvaltning", "resource-team")],
    )
    def it_names_the_person_and_passes_axe_at_390_and_1024_px(
        self, hub: Hub, hub_browser: Browser, name: str, query: str, role: str
    ) -> None:
        person = _person(name)
        for width, height in ((390, 844), (1024, 768)):
            context = hub_browser.new_context(locale="sv-SE", viewport={"width": width, "height": height})
            page = _log_in(context.new_page(), hub, name, query)
            expect(page.locator(".rk-who")).to_contain_text(f"Inloggad som {person.name}")
            screenshot(page, f"hub-{role}-{width}")
            assert serious_violations(page) == []
            context.close()


class DescribeThePrincipal:
    def it_gets_their_own_unit_and_is_refused_another(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        headers = {"Authorization": f"token {token(hub, PRINCIPAL)}"}
        own = requests.get(f"{hub.url}{SERVICE}/units/Solrosen", headers=headers)
        other = requests.get(f"{hub.url}{SERVICE}/units/Vitsippan", headers=headers)
        assert own.status_code == 200 and set(own.json()["people"]) == {A, PRINCIPAL, NEWCOMER}
        assert other.status_code == 403

    def it_is_refused_any_unit_as_staff(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        headers = {"Authorization": f"token {token(hub, A)}"}
        assert requests.get(f"{hub.url}{SERVICE}/units/Solrosen", headers=headers).status_code == 403


class DescribeGranskaThroughTheService:
    @pytest.mark.parametrize("name", [A, PRINCIPAL])
    def it_refuses_anyone_but_the_resource_team(
        self, hub: Hub, sessions: dict[str, requests.Session], name: str
    ) -> None:
        headers = {"Authorization": f"token {token(hub, name)}"}
        review = {"points": [1], "comment": "Bra."}
        assert requests.get(f"{hub.url}{SERVICE}/reviews", headers=headers).status_code == 403
        assert requests.get(f"{hub.url}{SERVICE}/reviews/{B}/{SLUG}", headers=headers).status_code == 403
        assert requests.post(f"{hub.url}{SERVICE}/reviews/{B}/{SLUG}", json=review, headers=headers).status_code == 403
        assert requests.get(f"{hub.url}{SERVICE}/reviews").status_code == 403

    def it_lets_the_resource_team_read_and_review_taking_the_reviewer_from_the_token(self, hub: Hub) -> None:
        session = hub.log_in(REVIEWER, spawn=False)
        headers = {"Authorization": f"token {hub.new_token(session, REVIEWER, [SERVICE_SCOPE])}"}
        waiting = requests.get(f"{hub.url}{SERVICE}/reviews?unit=Vitsippan", headers=headers).json()["waiting"]
        assert [(item["person_id"], item["slug"]) for item in waiting] == [(B, SLUG)]
        text = requests.get(f"{hub.url}{SERVICE}/reviews/{B}/{SLUG}", headers=headers).json()["text"]
        assert text == _answers(hub, 4)["reflection"]
        forged = {"points": [1], "comment": "Bra.", "reviewer": A}
        assert requests.post(f"{hub.url}{SERVICE}/reviews/{B}/{SLUG}", json=forged, headers=headers).status_code == 400
        review = {"points": [1], "comment": "Bra gjort, Bo."}
        saved = requests.post(f"{hub.url}{SERVICE}/reviews/{B}/{SLUG}", json=review, headers=headers)
        assert saved.status_code == 200 and saved.json() == {"score": 1.0}
        assert requests.get(f"{hub.url}{SERVICE}/reviews?unit=Vitsippan", headers=headers).json()["waiting"] == []
        assert _reviewer(hub, B) == REVIEWER


LEAVER = Person("leo.vik", "Leo", "Vik", "leo.vik@forskola.example", "Lärkan", "Gul", Role.STAFF)
"""Added to the hub's roster by the privacy spec alone, and erased there: no other spec knows him."""


class DescribePersonalDataThroughTheService:
    """`resurskurs privacy export` and `erase` behind the hub: the resource team's token only."""

    @pytest.mark.parametrize("name", [A, PRINCIPAL])
    def it_refuses_anyone_but_the_resource_team(self, hub: Hub, name: str) -> None:
        headers = {"Authorization": f"token {_service_token(hub)(name)}"}
        for method, path in (("GET", B), ("GET", f"{B}/export"), ("DELETE", B)):
            refused = requests.request(method, f"{hub.url}{SERVICE}/privacy/{path}", headers=headers)
            assert refused.status_code == 403, (method, path)
        assert requests.delete(f"{hub.url}{SERVICE}/privacy/{B}").status_code == 403
        assert _gradebook(hub, "SELECT id FROM student WHERE id = :id", id=B) == [(B,)]

    def it_lets_the_resource_team_export_and_erase_a_leaver(self, hub: Hub) -> None:
        import_people([LEAVER], hub.course_dir)
        headers = {"Authorization": f"token {_service_token(hub)(REVIEWER)}"}
        extract = requests.get(f"{hub.url}{SERVICE}/privacy/{LEAVER.id}/export", headers=headers)
        assert extract.status_code == 200 and extract.headers["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(extract.content)) as archive:
            assert json.loads(archive.read("data.json"))["person"] == LEAVER.id
        planned = requests.get(f"{hub.url}{SERVICE}/privacy/{LEAVER.id}", headers=headers).json()["plan"]
        assert f"Det här raderas om {LEAVER.id}:" in planned
        assert requests.delete(f"{hub.url}{SERVICE}/privacy/{LEAVER.id}", headers=headers).status_code == 200
        assert _gradebook(hub, "SELECT id FROM student WHERE id = :id", id=LEAVER.id) == []
        assert _gradebook(hub, "SELECT id FROM resurskurs_person WHERE id = :id", id=LEAVER.id) == []
        gone = requests.get(f"{hub.url}{SERVICE}/privacy/{LEAVER.id}/export", headers=headers)
        assert gone.status_code == 404 and "Det finns inga uppgifter" in gone.json()["message"]


@pytest.fixture(scope="module")
def ledningen_forst(hub: Hub) -> None:
    """The district uses ledningen först: the release file in the service's own var folder."""
    start(hub.course_dir.root.parent / "service-var")


@pytest.mark.usefixtures("ledningen_forst")
class DescribeReleasesThroughTheService:
    """Ledningen först under the hub: the releases are the service's, so a principal's reaches their unit's staff."""

    def it_lets_a_principal_release_a_module_on_the_unit_page_in_the_browser(
        self, hub: Hub, hub_browser: Browser, sessions: dict[str, requests.Session]
    ) -> None:
        context = hub_browser.new_context(locale="sv-SE")
        page = _log_in(context.new_page(), hub, PRINCIPAL, "?vy=enhet")
        releases = page.locator(".rk-releases")
        expect(releases).to_contain_text("Inte öppnad")
        page.get_by_label("Modul att öppna").select_option(label="Prova på resurskurs")
        page.get_by_label("Gruppträffens datum").fill("2027-02-01")
        page.get_by_role("button", name="Öppna modulen").click()
        expect(page.locator("p.rk-ok[role=status]")).to_contain_text(
            "Prova på resurskurs är öppnad för", timeout=60_000
        )
        expect(releases).to_contain_text("Öppnad · gruppträff 2027-02-01")
        context.close()
        seen_by_a = releases_from_json(_service(hub, A, path="releases").json())
        assert [(r.slug, r.unit, r.released_by) for r in seen_by_a.releases] == [(SLUG, "Solrosen", PRINCIPAL)]
        assert releases_from_json(_service(hub, B, path="releases").json()).releases == ()

    def it_shows_a_principals_release_to_that_units_staff_and_not_to_another_units(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        body = {"slug": SLUG, "units": ["Solrosen"], "workshop": "2027-02-01"}
        made = _service(hub, PRINCIPAL, body, path="releases")
        assert made.status_code == 200, made.text
        seen_by_a = releases_from_json(_service(hub, A, path="releases").json())
        seen_by_b = releases_from_json(_service(hub, B, path="releases").json())
        assert [(r.slug, r.unit, r.released_by) for r in seen_by_a.releases] == [(SLUG, "Solrosen", PRINCIPAL)]
        assert seen_by_b.started and seen_by_b.releases == ()

    def it_refuses_a_principal_a_unit_they_do_not_lead(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        refused = _service(hub, PRINCIPAL, {"slug": SLUG, "units": ["Vitsippan"], "workshop": "2027-02-01"}, "releases")
        assert refused.status_code == 403 and "rektor för" in refused.json()["message"]
        assert releases_from_json(_service(hub, B, path="releases").json()).releases == ()

    def it_refuses_staff_even_for_their_own_unit(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        refused = _service(hub, A, {"slug": SLUG, "units": ["Solrosen"], "workshop": "2027-03-01"}, "releases")
        assert refused.status_code == 403
        forged = {"slug": SLUG, "units": ["Solrosen"], "workshop": "2027-03-01", "released_by": PRINCIPAL}
        assert _service(hub, A, forged, "releases").status_code == 400
        seen = releases_from_json(_service(hub, A, path="releases").json())
        assert [r.workshop.isoformat() for r in seen.releases] == ["2027-02-01"]


class DescribeFollowUpThroughTheService:
    def it_refuses_an_answer_before_the_follow_up_is_due(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        refused = _service(hub, A, {"kind": "likert", "item": "prova-f1", "value": 4}, f"follow-up/{SLUG}")
        assert refused.status_code == 400 and "inte öppen" in refused.json()["message"]

    def it_stores_the_answers_under_the_tokens_person(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        _hand_in_long_ago(hub, A)
        saved = _service(hub, A, {"kind": "likert", "item": "prova-f1", "value": 4}, f"follow-up/{SLUG}", forged=B)
        assert saved.status_code == 200 and saved.json()["answers"]["likert"] == {"prova-f1": 4}, saved.text
        folder = hub.course_dir.root.parent / "service-var" / "follow-up" / SLUG
        assert sorted(file.name for file in folder.glob("*.json")) == [f"{A}.json"]
        assert _service(hub, A, path=f"follow-up/{SLUG}").json()["answers"]["likert"] == {"prova-f1": 4}
        assert _service(hub, B, path=f"follow-up/{SLUG}").json()["answers"]["likert"] == {}

    def it_refuses_an_item_the_module_does_not_ask(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        body = {"kind": "likert", "item": "finns-inte", "value": 4}
        assert _service(hub, A, body, f"follow-up/{SLUG}").status_code == 400
        assert (
            _service(hub, B, {"kind": "likert", "item": "prova-f1", "value": 4}, f"follow-up/{SLUG}").status_code == 400
        )

    def it_shows_the_principal_only_disclosed_figures_of_their_own_units(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        own = _service(hub, PRINCIPAL, path="follow-up?unit=Solrosen")
        assert own.status_code == 200 and own.json()["figures"] == [], "one answer is fewer than five"
        assert _service(hub, PRINCIPAL, path="follow-up?unit=Vitsippan").status_code == 403
        assert _service(hub, A, path="follow-up?unit=Solrosen").status_code == 403


class DescribeActivityThroughTheService:
    def it_shows_a_posted_percent_in_the_principals_unit_as_in_progress(
        self, hub: Hub, sessions: dict[str, requests.Session], tmp_path: Path
    ) -> None:
        session = hub.log_in(NEWCOMER, spawn=False)
        headers = {"Authorization": f"token {hub.new_token(session, NEWCOMER, [SERVICE_SCOPE])}"}
        post = f"{hub.url}{SERVICE}/activity"
        assert requests.post(post, json={"slug": SLUG, "percent": 140}, headers=headers).status_code == 400
        assert requests.post(post, json={"slug": SLUG, "percent": 40, "person": A}, headers=headers).status_code == 400
        assert requests.post(post, json={"slug": SLUG, "percent": 40}, headers=headers).status_code == 200

        assert requests.post(post, json={"slug": SLUG, "percent": 60}, headers=headers).status_code == 429

        answer = _service(hub, PRINCIPAL, path="progress?unit=Solrosen")
        rows = {row.person_id: row for row in ROWS.validate_python(answer.json()["rows"]) if row.slug == SLUG}
        assert (rows[NEWCOMER].status, rows[NEWCOMER].percent) == (Status.IN_PROGRESS, 40)

    def it_refuses_progress_in_a_module_not_released_to_the_unit(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        refused = _service(hub, B, {"slug": SLUG, "percent": 100}, "activity")
        assert refused.status_code == 403


@pytest.mark.usefixtures("ledningen_forst")
class DescribeWhatTheServiceRefuses:
    """A person's own token does what their pages do and nothing more (the rules live in backend/local.py)."""

    def it_refuses_a_hand_in_of_a_module_not_released_to_the_unit(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        before = _submissions(hub, B)
        answer = _service(hub, B, {"slug": SLUG, "answers": _answers(hub, 7)}, "hand-in")
        assert answer.status_code == 200 and not answer.json()["accepted"]
        assert "inte öppnad" in " ".join(answer.json()["messages"])
        assert _submissions(hub, B) == before

    def it_gives_a_principal_their_units_progress_and_refuses_another_unit_and_staff(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        own = ROWS.validate_python(_service(hub, PRINCIPAL, path="progress").json()["rows"])
        assert own and {row.unit for row in own} == {"Solrosen"}
        assert _service(hub, PRINCIPAL, path="progress?unit=Vitsippan").status_code == 403
        assert _service(hub, A, path="progress").status_code == 403
        assert _service(hub, A, path="evaluations").status_code == 403


class DescribeWhatAUserServerHolds:
    def it_keeps_no_copy_of_the_gradebook_and_its_kernels_no_database_code(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        """Who the person is comes from the service (api/me), as the roster has them now: nothing of the gradebook is
        copied into a person's home, and the kernel that built their page never loaded SQLAlchemy, nbgrader or
        Alembic (asked in the kernel itself, by a client of its own)."""
        me = _service(hub, PRINCIPAL).json()
        assert set(me) == {field.name for field in dataclasses.fields(Person)}
        assert PERSON.validate_python(me) == _person(PRINCIPAL)
        opened = sessions[A].get(f"{hub.url}user/{A}/?kurs={SLUG}", timeout=120)
        assert opened.status_code == 200 and "kernelId" in opened.text
        assert not list((hub.log.parent / "home").rglob("gradebook.db*"))
        code = "import sys; print(*sorted(sys.modules))"
        answers = [printed_by(kernel, code, seconds=10) for kernel in hub.user_servers()[A].children(recursive=True)]
        built = [modules for modules in answers if modules is not None and "resurskurs.player.course_page" in modules]
        assert len(built) >= 1, "a kernel of the person's server built their course page"
        assert {name.split(".")[0] for name in built[0]} & {"sqlalchemy", "nbgrader", "alembic"} == set()

    def it_signs_people_in_without_jupyterhubs_database_code_in_the_server(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        """The server signs people in through the hub's OAuth (hub/auth.py) without JupyterHub's client, whose
        imports (SQLAlchemy, aiohttp) cost every user server about 38 MiB: their compiled modules are not mapped."""
        assert sessions[A].get(f"{hub.url}user/{A}/", timeout=120).status_code == 200
        maps = Path(f"/proc/{hub.user_servers()[A].pid}/maps").read_text()
        mapped = {line.rsplit("/site-packages/", 1)[-1].split("/")[0] for line in maps.splitlines() if ".so" in line}
        assert mapped & {"sqlalchemy", "aiohttp", "multidict", "yarl", "greenlet"} == set()


class DescribeTheDistrictThroughTheService:
    def it_gives_the_resource_team_the_same_district_as_the_gradebook_itself(self, hub: Hub) -> None:
        session = hub.log_in(REVIEWER, spawn=False)
        headers = {"Authorization": f"token {hub.new_token(session, REVIEWER, [SERVICE_SCOPE])}"}
        answer = requests.get(f"{hub.url}{SERVICE}/progress", headers=headers)
        assert answer.status_code == 200, answer.text
        through_service = ROWS.validate_python(answer.json()["rows"])
        slugs = [module.course.slug for module in load_catalog(hub.course_dir.root.parent / "content").modules]
        assert through_service == progress_rows(hub.gradebook_url, slugs)
        assert len({row.unit for row in through_service}) >= 4
        figures = requests.get(f"{hub.url}{SERVICE}/evaluations", headers=headers)
        assert figures.status_code == 200 and isinstance(figures.json()["figures"], list)


class DescribeTheRequestSocketThroughTheHub:
    def it_refuses_an_outsider_who_knows_a_kernel_id_and_the_persons_page_opens(
        self, hub: Hub, sessions: dict[str, requests.Session]
    ) -> None:
        opened = sessions[A].get(f"{hub.url}user/{A}/?kurs={SLUG}", timeout=120)
        assert opened.status_code == 200
        kernels = re.findall(r'"kernelId": "([0-9a-f-]{36})"', opened.text)
        assert kernels, "the person's page names its kernel"
        command_lines = " ".join(
            part for child in hub.user_servers()[A].children(recursive=True) for part in child.cmdline()
        )
        assert "kernel-" in command_lines and not any(kernel in command_lines for kernel in kernels), (
            "a kernel's command line (ps) names no kernel id"
        )
        base = hub.url.replace("http://", "ws://")
        for kernel in kernels:
            for headers in ({}, {"Authorization": "token guessed"}):
                url = f"{base}user/{A}/voila/query/{kernel}"
                with pytest.raises(InvalidStatus), connect(url, additional_headers=headers, open_timeout=10):
                    pass
        page = sessions[A].get(f"{hub.url}user/{A}/?kurs={SLUG}", timeout=120)
        assert page.status_code == 200 and "voila" in page.text.lower()


@pytest.fixture(scope="module")
def released_to_everyone(hub: Hub) -> None:
    """The module open to the units whose people hand in below (the release tests opened it to Solrosen only)."""
    folder = hub.course_dir.root.parent / "service-var"
    start(folder)
    for unit in ("Lärkan", "Tallen"):
        try:
            release(folder, SLUG, [unit], date(2027, 2, 1), None, datetime.now(UTC))
        except ReleaseRefused:
            continue


@pytest.mark.usefixtures("released_to_everyone")
class DescribeTwoGraderWorkers:
    def it_records_two_hand_ins_of_one_person_at_once_each_once(self, hub: Hub) -> None:
        session = hub.log_in(SAME, spawn=False)
        headers = {"Authorization": f"token {hub.new_token(session, SAME, [SERVICE_SCOPE])}"}

        def hand_in(index: int) -> requests.Response:
            body = {"slug": SLUG, "answers": _answers(hub, index)}
            return requests.post(f"{hub.url}{SERVICE}/hand-in", json=body, headers=headers, timeout=240)

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(hand_in, [5, 6]))
        assert [(r.status_code, r.json()["accepted"]) for r in answers] == [(200, True), (200, True)]
        assert _submissions(hub, SAME) == 1
        archived = list((hub.course_dir.root / "archive" / SAME / SLUG).iterdir())
        assert len(archived) == 1, "the first hand-in is kept once, under the second"
        assert "IntegrityError" not in hub.log.read_text(errors="replace")


@pytest.mark.usefixtures("released_to_everyone")
class DescribeARoomLoggingInAtOnce:
    """A workshop group logs in through the hub and opens the module together: each gets their own server."""

    def it_gives_every_one_of_ten_a_usable_page_with_no_reload(self, hub: Hub, hub_browser: Browser) -> None:
        room = open_room(hub, hub_browser, LEARNERS[:ROOM], SLUG, SPAWN_SECONDS * 2)
        stuck, broken = room.stuck(), room.broken()
        slowest = max(room.usable.values(), default=0.0)
        print(f"\n{ROOM} people through the hub at once: slowest usable page after {slowest:.1f} s")
        room.close()
        assert stuck == [] and broken == [], (stuck, broken)


@pytest.mark.usefixtures("released_to_everyone")
class DescribeALoadOfFiftyLearners:
    """Fifty people log in and mint a token through the hub, then hand in at once to the service's own address,
    with their tokens, as their kernels do (RESURSKURS_GRADER_URL): not through the proxy."""

    def it_records_every_hand_in_once(self, hub: Hub) -> None:
        started = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            tokens = dict(zip(LEARNERS, pool.map(_service_token(hub), LEARNERS), strict=True))
        logged_in = time.monotonic()

        def hand_in(name: str) -> requests.Response:
            body = {"slug": SLUG, "answers": _answers(hub, LEARNERS.index(name))}
            headers = {"Authorization": f"token {tokens[name]}"}
            return requests.post(f"{hub.grader_url}/{SERVICE}/hand-in", json=body, headers=headers, timeout=600)

        with ThreadPoolExecutor(len(LEARNERS)) as pool:
            answers = list(pool.map(hand_in, LEARNERS))
        handed_in = time.monotonic()
        print(
            f"\n{len(LEARNERS)} learners: logged in with tokens in {logged_in - started:.1f} s, "
            f"every hand-in answered in {handed_in - logged_in:.1f} s"
        )
        assert [r.status_code for r in answers] == [200] * len(LEARNERS)
        assert all(r.json()["accepted"] for r in answers), [r.text for r in answers if not r.json()["accepted"]]
        assert _submissions_by_person(hub, LEARNERS) == dict.fromkeys(LEARNERS, 1)
        assert not (hub.course_dir.root / "archive" / LEARNERS[0]).exists(), "nobody's hand-in was doubled"
        kept, summed = kept_and_summed(hub.gradebook_url)
        assert kept == summed, "each hand-in's totals, kept by triggers while fifty graded at once, equal its grades"
        assert len(kept) >= len(LEARNERS)


def _person(name: str) -> Person:
    """The hub's fictional person with this id, as the roster the hub imported has them."""
    return next(person for person in PEOPLE if person.id == name)


def _only_name(page: Page, name: str) -> None:
    """The page says who is logged in, and it is `name`: no one else's name anywhere on it."""
    expect(page.locator(".rk-who")).to_contain_text(f"Inloggad som {name}")
    for other in ("Bo Ek", "Anna Berg", "Rut Lind"):
        expect(page.locator("body")).not_to_contain_text(other)


def _wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not become true in time"
        time.sleep(0.2)


def _log_in(page: Page, hub: Hub, name: str, query: str = "") -> Page:
    """Through the hub's log-in form to the person's own server (started by the hub if need be)."""
    problems: list[str] = []
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.goto(f"{hub.url}user/{name}/{query}")
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill("x")
    page.locator("#login_submit").click()
    deadline = time.monotonic() + SPAWN_SECONDS
    while time.monotonic() < deadline:
        try:
            drawn(page, timeout_ms=30_000)
            break
        except PlaywrightTimeout:
            if "/hub/" in page.url:  # still on the spawn page: ask for the person's own page again
                page.goto(f"{hub.url}user/{name}/{query}")
    else:
        raise AssertionError(f"no page at {page.url}: {problems}")
    return page


def _service(
    hub: Hub, name: str, body: dict[str, Any] | None = None, path: str = "me", forged: str = ""
) -> requests.Response:
    """GET (no body) or POST to the service with `name`'s own server token; `forged` names someone else in a header."""
    headers = {"Authorization": f"token {token(hub, name)}", **({"X-Forwarded-User": forged} if forged else {})}
    url = f"{hub.url}{SERVICE}/{path}"
    return requests.get(url, headers=headers) if body is None else requests.post(url, json=body, headers=headers)


def _hand_in_long_ago(hub: Hub, name: str) -> None:
    """The person's hand-in moved 200 days back, so the 3-month follow-up is due."""
    engine = sa.create_engine(hub.gradebook_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("update submitted_assignment set timestamp = :then where student_id = :name"),
                {"then": datetime.now(UTC).replace(tzinfo=None) - timedelta(days=200), "name": name},
            )
    finally:
        engine.dispose()


def _answers(hub: Hub, index: int) -> dict[str, Any]:
    module = load_catalog(hub.course_dir.root.parent / "content").module(SLUG)
    return answers_for(module, index).model_dump(mode="json")


def _service_token(hub: Hub) -> Callable[[str], str]:
    def mint(name: str) -> str:
        return hub.new_token(hub.log_in(name, spawn=False), name, [SERVICE_SCOPE])

    return mint


def _gradebook(hub: Hub, sql: str, **parameters: Any) -> list[Any]:
    """The rows of one query on the hub's PostgreSQL gradebook, read the way an administrator would."""
    engine = sa.create_engine(hub.gradebook_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(sql), parameters))
    finally:
        engine.dispose()


def _submissions_by_person(hub: Hub, people: list[str]) -> dict[str, int]:
    sql = "SELECT student_id, count(*) FROM submitted_assignment WHERE student_id = ANY(:people) GROUP BY student_id"
    return {str(person): int(count) for person, count in _gradebook(hub, sql, people=people)}


def _reviewer(hub: Hub, person: str) -> str:
    sql = "SELECT reviewer_id FROM resurskurs_review WHERE person_id = :p AND slug = :s"
    return str(_gradebook(hub, sql, p=person, s=SLUG)[0][0])


def _submissions(hub: Hub, person: str) -> int:
    return int(_gradebook(hub, "SELECT count(*) FROM submitted_assignment WHERE student_id = :p", p=person)[0][0])


def _kernels(server: psutil.Process) -> int:
    """The kernels a user server runs now (a kernel's command line names its connection file; a child that has
    just ended, such as the previews' renderer, has none)."""
    running = 0
    for child in server.children(recursive=True):
        try:
            running += "kernel-" in " ".join(child.cmdline())
        except psutil.Error:
            continue
    return running
