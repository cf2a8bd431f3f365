"""Signing in to a user server through the hub's OAuth: the rules, without a hub (tests/hub runs them under one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from resurskurs.hub import oauth_client
from resurskurs.hub.auth import needs_xsrf
from resurskurs.hub.oauth_client import PAGE_PARAMETER, HubOAuthClient, HubSetupError, pkce_challenge

SPAWNED = {
    "JUPYTERHUB_API_TOKEN": "server-secret",
    "JUPYTERHUB_CLIENT_ID": "jupyterhub-user-anna.berg",
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    "JUPYTERHUB_BASE_URL": "/",
    "JUPYTERHUB_HOST": "",
    "JUPYTERHUB_OAUTH_CALLBACK_URL": "/user/anna.berg/oauth_callback",
    "JUPYTERHUB_SERVICE_PREFIX": "/user/anna.berg/",
    "JUPYTERHUB_USER": "anna.berg",
    "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps(
        ["access:servers!server=anna.berg/", "access:servers!user=anna.berg"]
    ),
}
"""What JupyterHub 6 puts in the environment of a server it spawns, as far as log-in goes."""


@pytest.fixture
def client() -> HubOAuthClient:
    return HubOAuthClient.from_environ(SPAWNED)


class DescribeTheClientFromTheSpawnersEnvironment:
    def it_sends_the_browser_to_the_hubs_authorize_url_and_back_to_this_servers_callback(
        self, client: HubOAuthClient
    ) -> None:
        state, url = client.begin("/user/anna.berg/?kurs=trygga-relationer")
        where = urlsplit(url)
        query = {key: values[0] for key, values in parse_qs(where.query).items()}
        assert where.path == "/hub/api/oauth2/authorize"
        assert query["client_id"] == "jupyterhub-user-anna.berg"
        assert query["redirect_uri"] == "/user/anna.berg/oauth_callback"
        assert query["response_type"] == "code"
        assert query["state"] == state
        assert query["code_challenge_method"] == "S256"
        assert query[PAGE_PARAMETER] == "kurs=trygga-relationer", "for the hub's page when it refuses a colleague"

    def it_names_the_variable_the_hub_did_not_set(self) -> None:
        without = {key: value for key, value in SPAWNED.items() if key != "JUPYTERHUB_CLIENT_ID"}
        with pytest.raises(HubSetupError, match="JUPYTERHUB_CLIENT_ID"):
            HubOAuthClient.from_environ(without)

    def it_derives_the_servers_access_scopes_from_its_user_when_the_hub_gives_none(self) -> None:
        older = {key: value for key, value in SPAWNED.items() if key != "JUPYTERHUB_OAUTH_ACCESS_SCOPES"}
        assert HubOAuthClient.from_environ(older).access_scopes == HubOAuthClient.from_environ(SPAWNED).access_scopes

    def it_honours_the_hubs_cookie_options(self) -> None:
        options = {**SPAWNED, "JUPYTERHUB_COOKIE_OPTIONS": json.dumps({"samesite": "Strict"})}
        assert HubOAuthClient.from_environ(options).cookie_options == {"samesite": "Strict"}


class DescribeWhoMayUseTheServer:
    @pytest.mark.parametrize(
        ("scopes", "allowed"),
        [
            ({"access:servers!server=anna.berg/"}, True),
            ({"access:servers!user=anna.berg"}, True),
            ({"access:servers"}, True),
            ({"access:servers!user=ben.ek", "read:users:name"}, False),
            ({"access:servers!server=anna.berg/other"}, False),
            ({"access:servers!group=avdelning-solen"}, False),
            ({"access:services!service=resurskurs-grader"}, False),
            (set(), False),
        ],
    )
    def it_lets_in_only_a_token_that_reaches_this_server(
        self, client: HubOAuthClient, scopes: set[str], allowed: bool
    ) -> None:
        assert client.allows(frozenset(scopes)) is allowed


class DescribeALogInUnderWay:
    def it_serves_its_state_once(self, client: HubOAuthClient) -> None:
        state, _ = client.begin("/user/anna.berg/")
        log_in = client.finish(state)
        assert log_in is not None and log_in.next_url == "/user/anna.berg/"
        assert client.finish(state) is None

    def it_knows_no_state_it_did_not_begin(self, client: HubOAuthClient) -> None:
        client.begin("/user/anna.berg/")
        assert client.finish("made-up") is None

    def it_forgets_a_state_after_ten_minutes(self, client: HubOAuthClient, monkeypatch: pytest.MonkeyPatch) -> None:
        now = [1000.0]
        monkeypatch.setattr(oauth_client.time, "monotonic", lambda: now[0])
        state, _ = client.begin("/user/anna.berg/")
        now[0] += oauth_client.STATE_SECONDS + 1
        assert client.finish(state) is None

    def it_sends_a_challenge_the_hub_checks_against_the_verifier_it_keeps(self, client: HubOAuthClient) -> None:
        state, url = client.begin("/user/anna.berg/")
        challenge = parse_qs(urlsplit(url).query)["code_challenge"][0]
        log_in = client.finish(state)
        assert log_in is not None and pkce_challenge(log_in.verifier) == challenge

    def it_gives_each_log_in_a_cookie_of_its_own(self, client: HubOAuthClient) -> None:
        first, _ = client.begin("/user/anna.berg/")
        second, _ = client.begin("/user/anna.berg/?kurs=trygga-relationer")
        assert client.state_cookie_name(first) != client.state_cookie_name(second)
        assert client.finish(first) is not None and client.finish(second) is not None


    def it_keeps_only_the_newest_log_ins_when_someone_begins_very_many(self, client: HubOAuthClient) -> None:
        """Beginning a log-in needs no sign-in: a flood of them must not fill the server's memory."""
        first, _ = client.begin("/user/anna.berg/")
        for _ in range(oauth_client.KEPT_AT_MOST):
            client.begin("/user/anna.berg/")
        last, _ = client.begin("/user/anna.berg/")
        assert client.finish(first) is None
        assert client.finish(last) is not None


class DescribeThePkceChallenge:
    def it_is_rfc_7636s_s256(self) -> None:
        """The example of RFC 7636, appendix B."""
        verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        assert pkce_challenge(verifier) == challenge


class DescribeWhenACookieIsNotEnough:
    @pytest.mark.parametrize(
        ("method", "mode", "site", "needed"),
        [
            ("GET", "navigate", "cross-site", False),
            ("GET", "unspecified", "", False),
            ("GET", "websocket", "same-origin", False),
            ("GET", "no-cors", "same-origin", False),
            ("GET", "no-cors", "cross-site", True),
            ("GET", "cors", "same-origin", True),
            ("GET", "same-origin", "same-origin", True),
            ("POST", "navigate", "cross-site", True),
            ("POST", "unspecified", "", True),
            ("DELETE", "cors", "same-origin", True),
        ],
    )
    def it_asks_for_the_xsrf_token_unless_no_script_can_read_the_answer(
        self, method: str, mode: str, site: str, needed: bool
    ) -> None:
        assert needs_xsrf(method, mode, site) is needed


class DescribeAUserServerTheHubSetUpWrongly:
    def it_does_not_start_and_names_the_missing_variable(self, tmp_path: Path) -> None:
        """A server that cannot send people to log in must not start: it would answer every page with an error."""
        environ = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("JUPYTERHUB_", "RESURSKURS_"))},
            **{key: value for key, value in SPAWNED.items() if key != "JUPYTERHUB_CLIENT_ID"},
            "RESURSKURS_GRADER_URL": "http://127.0.0.1:9/services/resurskurs-grader/",
            "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:9/user/anna.berg/",
            "HOME": str(tmp_path),
        }
        started = subprocess.run(
            [sys.executable, "-m", "resurskurs.hub", "user-server"],
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert started.returncode != 0
        assert "JUPYTERHUB_CLIENT_ID is not set" in started.stderr
