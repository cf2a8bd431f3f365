"""Who is signed in to a person's server under the hub, and whether they may use it.

jupyter_server's identity provider and authorizer over the hub's OAuth (hub/oauth_client.py), in place of
JupyterHub's `JupyterHubIdentityProvider`, whose imports cost a user server about 38 MiB. They keep its rules:

* a token comes from the `Authorization` header or from the cookie the log-in set (signed with the server's
  cookie secret, on the server's own path);
* a person the hub knows but whose token does not reach this server gets 403, never a loop back to log-in;
* a cookie is enough for page views, websockets (whose origin jupyter_server checks) and same-origin reads
  without CORS (films, images); any other cookie-authenticated request must carry tornado's XSRF token, which
  the page sets in `_xsrf` and Voilà's front-end sends back (JupyterHub's `_needs_check_xsrf`);
* the OAuth callback and log-out are served under the server's base URL (`/user/<name>/`), where the hub
  sends the browser; Voilà would register them at the server's root.
"""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass, field
from typing import Any

import tornado.web
from jupyter_server.auth import Authorizer, IdentityProvider, User
from jupyter_server.utils import url_path_join
from traitlets import Unicode

from resurskurs.hub.oauth_client import STATE_SECONDS, HubOAuthClient

READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})
HUB_SESSION = "jupyterhub-session-id"
"""The hub's session cookie (on the whole host): a log-out at the hub ends it, and with it what this server kept."""
TOKEN_HEADER = re.compile(r"^(?:token|bearer)\s+(\S+)\s*$", re.IGNORECASE)
FAILED_LOG_IN = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inloggningen blev inte klar – resurskurs</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;color:#1d2733;max-width:36rem;margin:4rem auto;padding:0 1rem}
a{color:#1f4e79}</style></head>
<body><main><h1>Inloggningen blev inte klar</h1>
<p>Det kan hända om inloggningen tog lång tid eller gjordes i en annan flik. Det du redan har skrivit är sparat.</p>
<p><a href="{start}">Logga in igen</a></p></main></body></html>
"""
"""What a person sees when the hub's answer to a log-in cannot be used: what happened, nothing lost, a way on."""


@dataclass
class HubUser(User):
    """The hub user a request came from, with the scopes their token holds."""

    scopes: frozenset[str] = field(default_factory=frozenset)


def needs_xsrf(method: str, fetch_mode: str, fetch_site: str) -> bool:
    """Whether a cookie-authenticated request must also carry the XSRF token (JupyterHub's rule, by Fetch Metadata).

    A browser sends a cross-site page its cookies on navigations, and a script may read what a CORS request
    returns: so only navigations, websockets and same-origin reads that no script can read pass on the cookie alone.
    """
    read_only = method.upper() in READ_ONLY
    if fetch_mode == "websocket" or (read_only and fetch_mode in ("navigate", "unspecified")):
        return False
    return not (read_only and fetch_mode == "no-cors" and fetch_site == "same-origin")


class HubIdentityProvider(IdentityProvider):
    """The person is the hub user whose token the request carries, if that token may use this server."""

    token = Unicode("", help="No Jupyter token: every request is signed in through the hub.")
    _hub: HubOAuthClient | None = None

    @property
    def hub(self) -> HubOAuthClient:
        """The OAuth client the spawner's environment describes, made on first use."""
        if self._hub is None:
            self._hub = HubOAuthClient.from_environ(os.environ)
        return self._hub

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    @property
    def logout_available(self) -> bool:
        return True

    def validate_security(self, app: Any, ssl_options: dict[str, Any] | None = None) -> None:
        """Nothing to warn about: there is no Jupyter token or password, the hub signs people in."""

    def get_handlers(self) -> list[tuple[Any, ...]]:
        base = self.hub.base_url
        return [
            (url_path_join(base, "oauth_callback"), OAuthCallbackHandler, {"provider": self}),
            (url_path_join(base, "logout"), LogOutHandler, {"provider": self}),
        ]

    def hub_cookie(self, handler: tornado.web.RequestHandler, **extra: Any) -> dict[str, Any]:
        """The hub's cookie options, on this server's own path, never readable by scripts, secure under HTTPS."""
        protocol = handler.request.headers.get("X-Forwarded-Proto", handler.request.protocol).split(",")[0].strip()
        options: dict[str, Any] = {**self.hub.cookie_options, **extra, "path": self.hub.base_url, "httponly": True}
        if protocol == "https":
            options["secure"] = True
        return options

    async def get_user(self, handler: tornado.web.RequestHandler) -> User | None:
        cached: User | None = getattr(handler, "_hub_user", None)
        if cached is not None:
            return cached
        self._send_to_hub_to_log_in(handler)
        token, by_cookie = self._token(handler)
        if token is None:
            return None
        if by_cookie and not self._xsrf_passes(handler):
            return None
        model = await self.hub.user_for_token(token, handler.get_cookie(HUB_SESSION, ""))
        if model is None:
            if by_cookie:
                handler.clear_cookie(self.hub.cookie_name, path=self.hub.base_url)
            return None
        scopes = frozenset(str(scope) for scope in model.get("scopes", []))
        name = str(model["name"])
        if not self.hub.allows(scopes):
            self.log.warning("%s may not use this server (scopes %s)", name, sorted(scopes))

            def refuse(*_: Any, **__: Any) -> None:
                raise tornado.web.HTTPError(403, f"{name} may not use this server")

            handler.redirect = refuse  # type: ignore[method-assign]  # tornado's @authenticated redirects to log in
            return None
        if not by_cookie:
            handler._token_authenticated = True  # type: ignore[attr-defined]  # read by jupyter_server's XSRF check
        user = HubUser(username=name, scopes=scopes)
        handler._hub_user = user  # type: ignore[attr-defined]
        return user

    def _token(self, handler: tornado.web.RequestHandler) -> tuple[str | None, bool]:
        """The request's token and whether it came from the cookie (the header wins, being explicit)."""
        header = TOKEN_HEADER.match(handler.request.headers.get("Authorization", ""))
        if header:
            return header.group(1), False
        cookie = handler.get_secure_cookie(self.hub.cookie_name)
        return (cookie.decode("ascii", "replace"), True) if cookie else (None, False)

    def _xsrf_passes(self, handler: tornado.web.RequestHandler) -> bool:
        headers = handler.request.headers
        method = handler.request.method or "GET"
        if not needs_xsrf(method, headers.get("Sec-Fetch-Mode", "unspecified"), headers.get("Sec-Fetch-Site", "")):
            return True
        try:
            tornado.web.RequestHandler.check_xsrf_cookie(handler)
        except tornado.web.HTTPError as refused:
            self.log.info("Cookie not accepted for %s %s: %s", method, handler.request.path, refused.log_message)
            return False
        return True

    def _send_to_hub_to_log_in(self, handler: tornado.web.RequestHandler) -> None:
        """Tornado's @authenticated sends a visitor nobody signed in to the hub, with a state to come back with."""
        original = handler.get_login_url

        def hub_log_in() -> str:
            original()  # jupyter_server's API handlers raise 403 here: a script is never sent to a log-in page
            state, url = self.hub.begin(next_url=handler.request.uri or self.hub.base_url)
            options = self.hub_cookie(handler, max_age=STATE_SECONDS)
            handler.set_secure_cookie(self.hub.state_cookie_name(state), state, **options)
            return url

        handler.get_login_url = hub_log_in  # type: ignore[method-assign]


class OAuthCallbackHandler(tornado.web.RequestHandler):
    """Where the hub sends the browser back with a code: checks the state, stores the token, goes on."""

    def initialize(self, provider: HubIdentityProvider) -> None:
        self.provider = provider

    async def get(self) -> None:
        hub = self.provider.hub
        code, state = self.get_argument("code", ""), self.get_argument("state", "")
        if self.get_argument("error", "") or not code or not state:
            raise tornado.web.HTTPError(400, "the hub sent no code or no state")
        cookie = self.get_secure_cookie(hub.state_cookie_name(state), max_age_days=1)
        if cookie is None or not hmac.compare_digest(cookie, state.encode("utf-8", "replace")):
            raise tornado.web.HTTPError(403, "the log-in's state is not this browser's")
        self.clear_cookie(hub.state_cookie_name(state), path=hub.base_url)
        log_in = hub.finish(state)
        if log_in is None:
            raise tornado.web.HTTPError(403, "the log-in's state is unknown or too old")
        token = await hub.token_for_code(code, log_in)
        if await hub.user_for_token(token, self.get_cookie(HUB_SESSION, "")) is None:
            raise tornado.web.HTTPError(403, "the hub does not know the token it gave")
        self.set_secure_cookie(hub.cookie_name, token, **self.provider.hub_cookie(self))
        self.redirect(log_in.next_url if log_in.next_url.startswith(hub.base_url) else hub.base_url)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(FAILED_LOG_IN.replace("{start}", self.provider.hub.base_url))


class LogOutHandler(tornado.web.RequestHandler):
    """Forgets the token here and logs out at the hub, which ends the person's session everywhere."""

    def initialize(self, provider: HubIdentityProvider) -> None:
        self.provider = provider

    def get(self) -> None:
        hub = self.provider.hub
        self.clear_cookie(hub.cookie_name, path=hub.base_url)
        self.redirect(url_path_join(hub.hub_prefix, "logout"))


class HubAuthorizer(Authorizer):
    """Only holders of this server's access scope (its owner, by default) act on it; checked again on every action."""

    def is_authorized(self, handler: Any, user: User, action: str, resource: str) -> bool:
        identity = self.identity_provider
        if not isinstance(user, HubUser) or not isinstance(identity, HubIdentityProvider):
            return False
        return identity.hub.allows(user.scopes)
