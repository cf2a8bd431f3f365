"""Gradebook databases for tests: SQLite by default, PostgreSQL when asked, as JupyterHub's tests do.

RESURSKURS_TEST_DB=postgresql starts Debian's PostgreSQL once per session in a temporary directory
(loopback only, trust auth) and gives each test a fresh database on it; RESURSKURS_TEST_DB_URL names
a server of your own to make those fresh databases on instead. Hubs run the gradebook on PostgreSQL,
so the same tests have to pass there, not only on the SQLite file a laptop uses.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from resurskurs.testing.postgres import DRIVER, DatabaseServer, LocalPostgres, NoServer, free_port, postgresql_bin

__all__ = ["DatabaseServer", "free_port", "unreachable_like"]


def unreachable_like(url: str) -> str:
    """A URL of the same backend that cannot be opened: a missing folder for SQLite, a closed port otherwise."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return "sqlite:////nonexistent/folder/gradebook.db"
    return parsed.set(host="127.0.0.1", port=free_port()).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[DatabaseServer]:
    """One PostgreSQL server for the whole session (starting one takes seconds; a database, milliseconds)."""
    try:
        server = LocalPostgres(postgresql_bin())
    except NoServer as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        try:
            started = server.start()
        except NoServer as missing:
            pytest.fail(str(missing), pytrace=False)
        yield started
    finally:
        server.stop()


@pytest.fixture
def gradebook_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The gradebook URL for one test, on the backend RESURSKURS_TEST_DB / RESURSKURS_TEST_DB_URL choose."""
    server_url = os.environ.get("RESURSKURS_TEST_DB_URL")
    backend = os.environ.get("RESURSKURS_TEST_DB", "sqlite")
    if server_url:
        parsed = sa.make_url(server_url)
        # A plain postgresql:// URL (as JUPYTERHUB_TEST_DB_URL takes) means the psycopg 3 driver installed here.
        server = DatabaseServer(
            (parsed.set(drivername=DRIVER) if parsed.drivername == "postgresql" else parsed).render_as_string(
                hide_password=False
            )
        )
    elif backend == "postgresql":
        server = request.getfixturevalue("postgres_server")
    elif backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'gradebook.db'}"
        return
    else:
        pytest.fail(f"RESURSKURS_TEST_DB={backend!r}: expected 'sqlite' or 'postgresql'", pytrace=False)
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)
