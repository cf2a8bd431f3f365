"""Where this process runs, read once from its environment: the one place that tells one machine from the hub.

jupyter_server chooses local or gateway kernels from one configured object; here `Settings` is that object.
A page never reads it: `backend.backend_for` does, once per page, and hands the page an implementation.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, SecretStr

GRADER_URL = "RESURSKURS_GRADER_URL"
"""Where the hub's grader service listens, as the spawner tells a user server."""
HUB_TOKEN = "JUPYTERHUB_API_TOKEN"
"""The person's own hub token, with the service's scope, as the spawner tells a user server."""
DEMO = "RESURSKURS_DEMO"


class Settings(BaseModel):
    """How to reach shared state: the hub's grader service (both set by the spawner), or this machine's files."""

    model_config = ConfigDict(frozen=True)
    grader_url: str | None = None
    hub_token: SecretStr | None = None
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
            hub_token=SecretStr(token) if token else None,
            demo=environ.get(DEMO) == "1",
        )
