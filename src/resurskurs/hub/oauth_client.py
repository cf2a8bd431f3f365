"""A user server's side of JupyterHub's OAuth: who holds a token, whether they may use this server, a code's token.

JupyterHub's own client (`jupyterhub.services.auth`) imports SQLAlchemy, Alembic and aiohttp through
`jupyterhub.utils` and `jupyterhub.scopes`: about 38 MiB in every user server, which only needs three HTTP calls
to the hub. This client speaks the protocol JupyterHub documents for any OAuth client ("JupyterHub as an OAuth
provider") with tornado's HTTP client, which the server has loaded anyway:

* the browser is sent to the hub's `api/oauth2/authorize` with a state and a PKCE challenge (RFC 7636);
* the hub sends it back to `oauth_callback` with a code, which `api/oauth2/token` turns into a token;
* `api/user` says whose a token is and which scopes it holds, answers kept five minutes per hub session as
  JupyterHub's own client keeps them.

Everything it needs is in the environment the hub gives every server it spawns (`JUPYTERHUB_*`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode, urlsplit

from jupyter_server.utils import url_path_join
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.web import HTTPError

CACHE_SECONDS = 300
"""How long an answer of the hub's `api/user` is trusted: JupyterHub's own client's default (`cache_max_age`)."""
STATE_SECONDS = 600
"""How long a log-in may take between leaving for the hub and coming back (JupyterHub's `oauth_state_max_age`)."""
HUB_SECONDS = 20
"""How long the hub may take to answer one call before the person gets an error page."""
KEPT_AT_MOST = 256
"""Log-ins under way, and answers kept, at most: the oldest go first. A server serves one person, and anyone who
can reach it could otherwise fill its memory with log-ins begun (no sign-in needed) or made-up tokens."""
PAGE_PARAMETER = "resurskurs_page"
"""The page's query, carried on the authorize URL for the hub's error page (hub/templates/error.html): when the
hub refuses someone a colleague's server (a link copied from another person's address bar), that page opens the
same page on their own server. The hub's OAuth provider ignores a parameter it does not know."""
UNFILTERED_ACCESS = "access:servers"
"""Held by whoever may use every server (the hub's admin role): covers this server's filtered access scopes."""
UNASKED: dict[str, Any] = {}
"""Stands for "not asked yet" among the kept answers, where None means the hub does not know the token."""


Kept = TypeVar("Kept")


class HubSetupError(RuntimeError):
    """The hub did not give the server what the OAuth log-in needs; the message names the variable."""


def pkce_challenge(verifier: str) -> str:
    """RFC 7636's S256 challenge: the hub checks the verifier against it when the code is turned into a token."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class LogIn:
    """One log-in under way: where the person was going, and the PKCE verifier the hub will ask for."""

    next_url: str
    verifier: str


class Expiring(Generic[Kept]):
    """Entries kept for `seconds`, at most KEPT_AT_MOST of them, the oldest going first."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._entries: dict[str, tuple[float, Kept]] = {}

    def put(self, key: str, value: Kept) -> None:
        now = time.monotonic()
        live = [(k, entry) for k, entry in self._entries.items() if entry[0] > now]
        self._entries = dict(live[max(0, len(live) - KEPT_AT_MOST + 1) :])
        self._entries[key] = (now + self.seconds, value)

    def get(self, key: str, default: Kept) -> Kept:
        entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] > time.monotonic() else default

    def take(self, key: str, default: Kept) -> Kept:
        """The entry, removed so it serves once."""
        value = self.get(key, default)
        self._entries.pop(key, None)
        return value


@dataclass
class HubOAuthClient:
    """This server as the hub's OAuth client, configured from the spawner's environment."""

    client_id: str
    client_secret: str
    api_url: str
    authorize_url: str
    redirect_uri: str
    base_url: str
    hub_prefix: str
    access_scopes: frozenset[str]
    cookie_options: dict[str, Any] = field(default_factory=dict)
    _answers: Expiring[dict[str, Any] | None] = field(default_factory=lambda: Expiring(CACHE_SECONDS), repr=False)
    _log_ins: Expiring[LogIn | None] = field(default_factory=lambda: Expiring(STATE_SECONDS), repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> HubOAuthClient:
        """The client the hub set up for this server; a missing variable is named, never guessed."""

        def required(name: str) -> str:
            value = environ.get(name, "")
            if not value:
                raise HubSetupError(f"{name} is not set: the hub sets it for every server it spawns")
            return value

        base = environ.get("JUPYTERHUB_BASE_URL", "/")
        hub_prefix = url_path_join(base, "hub/")
        access = json.loads(environ.get("JUPYTERHUB_OAUTH_ACCESS_SCOPES", "[]") or "[]")
        if not access:
            user = required("JUPYTERHUB_USER")
            server = f"{user}/{environ.get('JUPYTERHUB_SERVER_NAME', '')}"
            access = [f"access:servers!server={server}", f"access:servers!user={user}"]
        return cls(
            client_id=required("JUPYTERHUB_CLIENT_ID"),
            client_secret=required("JUPYTERHUB_API_TOKEN"),
            api_url=required("JUPYTERHUB_API_URL").rstrip("/"),
            authorize_url=environ.get("JUPYTERHUB_HOST", "") + url_path_join(hub_prefix, "api/oauth2/authorize"),
            redirect_uri=required("JUPYTERHUB_OAUTH_CALLBACK_URL"),
            base_url=environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"),
            hub_prefix=hub_prefix,
            access_scopes=frozenset(access),
            cookie_options=json.loads(environ.get("JUPYTERHUB_COOKIE_OPTIONS", "{}") or "{}"),
        )

    @property
    def cookie_name(self) -> str:
        """The token's cookie: named for this client, as JupyterHub's own client names it."""
        return self.client_id

    def state_cookie_name(self, state: str) -> str:
        """A cookie per log-in, so two tabs logging in at once do not undo each other."""
        return f"{self.client_id}-oauth-state-{hashlib.sha256(state.encode()).hexdigest()[:12]}"

    def allows(self, scopes: frozenset[str]) -> bool:
        """Whether a token's scopes reach this server: one of its access scopes, or access to every server."""
        return bool(scopes & self.access_scopes) or UNFILTERED_ACCESS in scopes

    def begin(self, next_url: str) -> tuple[str, str]:
        """A new log-in: its state (kept here, for ten minutes) and the hub's authorize URL to send the browser to."""
        state = secrets.token_urlsafe(16)
        verifier = secrets.token_urlsafe(32)
        self._log_ins.put(state, LogIn(next_url, verifier))
        query = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "state": state,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
            PAGE_PARAMETER: urlsplit(next_url).query,
        }
        return state, f"{self.authorize_url}?{urlencode(query)}"

    def finish(self, state: str) -> LogIn | None:
        """The log-in a state began, taken so it serves once; None when it is unknown or too old."""
        return self._log_ins.take(state, None)

    async def token_for_code(self, code: str, log_in: LogIn) -> str:
        """The token the hub gives for the code it sent the browser back with; 403 if it refuses."""
        body = urlencode(
            {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "code_verifier": log_in.verifier,
            }
        )
        status, answer = await self._call(
            url_path_join(self.api_url, "oauth2/token"),
            method="POST",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 200 or not isinstance(answer, dict) or not answer.get("access_token"):
            raise HTTPError(403, f"the hub refused the log-in code ({status})")
        return str(answer["access_token"])

    async def user_for_token(self, token: str, session_id: str = "") -> dict[str, Any] | None:
        """The hub's model of the token's user (with the token's `scopes`), or None for a token it does not know.

        Answers are kept per hub session (the hub's `jupyterhub-session-id` cookie), as JupyterHub's own client
        keeps them: logging out at the hub ends the session and revokes its tokens, so the next request asks again
        and a shared computer is not left signed in to the person's server.
        """
        key = f"{session_id}:{hashlib.sha256(token.encode('utf-8', 'replace')).hexdigest()}"
        cached = self._answers.get(key, UNASKED)
        if cached is not UNASKED:
            return cached
        status, answer = await self._call(
            url_path_join(self.api_url, "user"), headers={"Authorization": f"token {token}"}
        )
        if status in (401, 403, 404):
            model = None
        elif status == 200 and isinstance(answer, dict) and isinstance(answer.get("name"), str):
            model = answer
        else:
            raise HTTPError(502, f"the hub's api/user answered {status}")
        self._answers.put(key, model)
        return model

    async def _call(self, url: str, **request: Any) -> tuple[int, Any]:
        """One call to the hub's API: its status and its JSON (None when the body is not JSON)."""
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(url, request_timeout=HUB_SECONDS, **request), raise_error=False
        )
        if response.code == 599:
            raise HTTPError(502, f"the hub could not be reached at {url}: {response.error}")
        try:
            return response.code, json.loads(response.body or b"null")
        except ValueError:
            return response.code, None

