"""JupyterHub's identity provider and authorizer for this app's Voilà.

Voilà registers the identity provider's handlers (`/oauth_callback`, `/logout`) at the server's
root, not under the user server's base URL (`/user/<name>/`), so the hub's redirect after log-in
lands nowhere and the browser loops back to log-in. These subclasses register them under the base URL.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.utils import url_path_join
from jupyterhub.singleuser.extension import JupyterHubAuthorizer, JupyterHubIdentityProvider


class HubIdentityProvider(JupyterHubIdentityProvider):  # type: ignore[misc]
    """The person is the hub user; the OAuth callback is served where the hub sends the browser."""

    def get_handlers(self) -> list[tuple[Any, ...]]:
        base = self.parent.server_url or self.parent.base_url
        return [(url_path_join(base, path), *rest) for path, *rest in super().get_handlers()]


class HubAuthorizer(JupyterHubAuthorizer):  # type: ignore[misc]
    """Only holders of this server's access scope (its owner, by default) act on it."""
