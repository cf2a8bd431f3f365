"""Binder: the app's own Voilà (`resurskurs serve --demo`) behind Binder's Jupyter server, at <base>/resurskurs/.

The launch URL ends in `?urlpath=resurskurs/` (deploy/README.md). jupyter-server-proxy starts the app on a
free loopback port when the first request arrives and passes the whole path on (absolute_url), so the app
serves under that prefix (binder/voila.py, linked into ~/.jupyter by postBuild, reads it from
RESURSKURS_BASE_URL). Demo mode is a fictional district: nobody real ever uses a Binder.
"""

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (provided by Jupyter when it loads the file)

c.ServerProxy.servers = {
    "resurskurs": {
        "command": ["resurskurs", "serve", "--demo", "--port", "{port}"],
        "environment": {"RESURSKURS_BASE_URL": "{base_url}resurskurs/"},
        "absolute_url": True,
        "timeout": 180,
        "launcher_entry": {"title": "Resurskurs (demo)"},
    }
}
