"""JupyterHub for a whole district: the city's log-in, each person's own Voilà, the grader as a hub service.

Start with `jupyterhub -f deploy/jupyterhub_config.py` from the hub's working folder (cookie secret and
proxy token are kept there). Everything district-specific comes from the hub's environment:

    RESURSKURS_HUB_DB_URL        the hub's own database (postgresql+psycopg://…); SQLite in the folder if unset
    RESURSKURS_GRADEBOOK_URL     the gradebook (postgresql+psycopg://…): given to the grader service only
    RESURSKURS_GRADER_URL        where the grader service listens (default http://127.0.0.1:10101)
    RESURSKURS_HUB_BIND_URL      the public address (default http://127.0.0.1:8000)
    RESURSKURS_PUBLIC_URL        where a workshop deck's QR code leads (default: the public address)
    RESURSKURS_HUB_DOMAINS       the district's Entra ID domains (hub/names.py: anna.berg@domain → anna.berg)
    AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, OAUTH_CALLBACK_URL   the Entra ID app registration
    RESURSKURS_ROOT, RESURSKURS_VAR, RESURSKURS_EXERCISES   content, and the service's data and course folder

The tests start this file unchanged, with the environment a district sets (the public address too), and override
only the authenticator, the spawner and the internal ports on the command line (tests/hub/). deploy/README.md is
the guide.
"""

import os
import sys
from pathlib import Path

from resurskurs.district.roster import Role
from resurskurs.hub.names import SERVICE_NAME, SERVICE_SCOPE, TEMPLATES, to_roster_id
from resurskurs.tracking.people import roster_roles

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (provided by JupyterHub when it loads the file)
environ = os.environ
python = sys.executable

c.JupyterHub.bind_url = environ.get("RESURSKURS_HUB_BIND_URL", "http://127.0.0.1:8000")
if "RESURSKURS_HUB_DB_URL" in environ or "db_url" not in c.JupyterHub:  # else the platform's (hub.db.url)
    c.JupyterHub.db_url = environ.get("RESURSKURS_HUB_DB_URL", "sqlite:///jupyterhub.sqlite")
# JupyterHub's own proxy, node's configurable-http-proxy: beside this interpreter where `make test` puts it,
# otherwise from PATH (`npm install -g configurable-http-proxy`, deploy/README.md).
proxy = Path(python).with_name("configurable-http-proxy")
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]

# Log-in: Entra ID. The hub user name is the roster id (hub/names.py maps the unique user principal
# name, never the display name, which two people can share).
c.JupyterHub.authenticator_class = "azuread"
c.AzureAdOAuthenticator.tenant_id = environ.get("AZURE_TENANT_ID", "")
c.AzureAdOAuthenticator.client_id = environ.get("AZURE_CLIENT_ID", "")
c.AzureAdOAuthenticator.client_secret = environ.get("AZURE_CLIENT_SECRET", "")
c.AzureAdOAuthenticator.oauth_callback_url = environ.get("OAUTH_CALLBACK_URL", "")
c.AzureAdOAuthenticator.username_claim = "upn"
c.Authenticator.post_auth_hook = to_roster_id
# Everyone the tenant signs in may log in; the roster decides what they see (someone not on it is told so).
c.Authenticator.allow_all = True
c.Authenticator.enable_auth_state = False
# The roster's resource team runs the district: the hub's admin page (people, their servers, stopping one), but
# not JupyterHub's admin role, which would let them into anyone's server and so to private drafts and logbooks.
gradebook_url = environ.get("RESURSKURS_GRADEBOOK_URL", "")
district_admins = [
    person for person, role in (roster_roles(gradebook_url) if gradebook_url else {}).items()
    if role is Role.RESOURCE_TEAM
]  # fmt: skip

# Each person's server: this app's Voilà behind the hub's OAuth, no Jupyter API, no gradebook credentials.
grader_url = environ.get("RESURSKURS_GRADER_URL", "http://127.0.0.1:10101")
c.Spawner.cmd = [python, "-m", "resurskurs.hub", "user-server"]
c.Spawner.args = []
c.Spawner.default_url = "/"
c.Spawner.environment = {
    "RESURSKURS_GRADER_URL": f"{grader_url}/services/{SERVICE_NAME}/",
    **{key: environ[key] for key in ("RESURSKURS_ROOT", "RESURSKURS_KERNELS") if key in environ},
    "RESURSKURS_PUBLIC_URL": environ.get("RESURSKURS_PUBLIC_URL", c.JupyterHub.bind_url),
}
c.Spawner.server_token_scopes = ["access:servers!server", "users:activity!user", SERVICE_SCOPE]
c.Spawner.start_timeout = 120
# A link to a module (/user/<name>/?kurs=…) starts the person's server by itself instead of asking them to.
c.JupyterHub.implicit_spawn_seconds = 1
# The hub's error pages in Swedish; one for a colleague's link (/user/<them>/?kurs=…) opens the same page on the
# person's own server instead of refusing them (hub/templates/error.html).
c.JupyterHub.template_paths = [str(TEMPLATES), *c.JupyterHub.get("template_paths", [])]
c.Spawner.http_timeout = 90
c.Spawner.mem_limit = "768M"  # enforced by systemd and Kubernetes spawners; measured in deploy/README.md (Capacity)
# Roles and services are added to what the platform may have set already (Zero to JupyterHub's idle culler).
c.JupyterHub.load_roles = [
    *c.JupyterHub.get("load_roles", []),
    {"name": "user", "scopes": ["self", SERVICE_SCOPE]},
    {
        "name": "resurskurs-district-admins",
        "scopes": ["admin-ui", "list:users", "read:users", "read:users:activity", "read:servers", "servers"],
        "users": district_admins,
    },
]

# The grader: the only process with the gradebook's URL and the course folder.
c.JupyterHub.services = [
    *c.JupyterHub.get("services", []),
    {
        "name": SERVICE_NAME,
        "url": grader_url,
        "command": [python, "-m", "resurskurs.hub", "service"],
        "display": False,
        "environment": {
            key: environ[key]
            for key in ("RESURSKURS_GRADEBOOK_URL", "RESURSKURS_ROOT", "RESURSKURS_VAR", "RESURSKURS_EXERCISES")
            if key in environ
        },
    },
]
