"""Voilà reads this from its working folder: under Binder the app's pages live below the proxy's prefix."""

import os

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (provided by Voilà when it loads the file)
c.Voila.base_url = os.environ.get("RESURSKURS_BASE_URL", "/")
