"""The one log format of every long-running process (server, grader, hub service, user servers).

Each line names its process's logger, so interleaved logs can be told apart (deploy/README.md lists them).
Alembic's start-up chatter (one INFO line per plugin, each time a gradebook is checked) is kept out:
what a migration does is still logged at WARNING and above.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


def configure() -> None:
    logging.basicConfig(level=logging.INFO, format=FORMAT)
    logging.getLogger("alembic").setLevel(logging.WARNING)
