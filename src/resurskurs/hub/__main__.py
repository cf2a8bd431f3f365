"""`python -m resurskurs.hub user-server` (what the spawner runs) and `python -m resurskurs.hub service`.

Kept apart from the `resurskurs` command: both run only under a hub, which sets their environment.
"""

from __future__ import annotations

import argparse

from resurskurs.server.launch import DEFAULT_CULL_SECONDS

USER_SERVER_POOL_SIZE = 0
"""A user server serves one person, a page at a time: kernels kept warm for them alone cost about 160 MiB each
and served no one else, so under the hub each page starts its own kernel (with the request in its environment,
no request socket at all)."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m resurskurs.hub", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    user = commands.add_parser("user-server", help="a person's server: this app's Voilà, signed in through the hub")
    user.add_argument("--pool-size", type=int, default=USER_SERVER_POOL_SIZE, help="preheated kernels kept ready")
    user.add_argument("--cull-after", type=int, default=DEFAULT_CULL_SECONDS, help="idle kernel seconds")
    commands.add_parser("service", help="the grader as a hub-managed service")
    options = parser.parse_args(argv)
    if options.command == "user-server":
        from resurskurs.hub.user_server import run

        run(options.pool_size, options.cull_after)
    else:
        from resurskurs.hub.service import main as serve

        serve()


if __name__ == "__main__":
    main()
