"""Where this process runs, read once from its environment: the one place that tells one machine from the hub.

jupyter_server chooses local or gateway kernels from one configured object; here `Settings` is that object.
A page never reads it: `backend.backend_for` and `backend.person_lookup` do, once per page, and hand the page an
implementation.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

GRADER_URL = "RESURSKURS_GRADER_URL"
"""Where the hub's grader service listens, as the spawner tells a user server."""
HUB_TOKEN = "JUPYTERHUB_API_TOKEN"
"""The person's own hub token, with the service's scope, as the spawner tells a user server."""
DEMO = "RESURSKURS_DEMO"


@dataclass(frozen=True)
class Settings:
    """How to reach shared state: the hub's grader service (both set by the spawner), or this machine's files.

    A plain dataclass, not a pydantic model: every user server under the hub reads it, and pydantic's machinery
    would cost each of them about 7 MiB. The token is left out of `repr`, so a logged `Settings` never shows it.
    """

    grader_url: str | None = None
    hub_token: str | None = field(default=None, repr=False)
    demo: bool = False

    @property
    def under_hub(self) -> bool:
        return bool(self.grader_url and self.hub_token)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        token = environ.get(HUB_TOKEN)
        return cls(
            grader_url=environ.get(GRADER_URL) or None,
            hub_token=token or None,
            demo=environ.get(DEMO) == "1",
        )
