"""A throwaway PostgreSQL server from Debian's binaries: the tests' gradebooks on PostgreSQL, and the benchmarks'.

The server lives in a temporary directory, listens on 127.0.0.1 only, trusts local connections and skips
fsync: it is thrown away, never trusted with data. `DatabaseServer` hands out fresh, empty databases on it.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

POSTGRESQL_ROOT = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"
ADMIN_USER = "postgres"
DRIVER = "postgresql+psycopg"


class NoServer(RuntimeError):
    """Debian's PostgreSQL is not installed: the message says how to install it."""


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class DatabaseServer:
    """A PostgreSQL server reached through an admin URL; hands out fresh, empty databases."""

    admin_url: str

    def create_database(self) -> str:
        """A new empty database, so no test sees another's gradebook; returns its URL."""
        name = f"resurskurs_test_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}"')
        return sa.make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database, even while a grader process still holds a connection."""
        name = sa.make_url(url).database or ""
        if not re.fullmatch(r"resurskurs_test_[0-9a-f]{12}", name):
            raise ValueError(f"{url}: not a database made by create_database")
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _execute(self, statement: str) -> None:
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sa.text(statement))
        finally:
            engine.dispose()


def postgresql_bin() -> Path:
    """The newest installed Debian PostgreSQL's bin/ directory (NoServer when there is none)."""
    versions = sorted(
        (int(folder.name), folder / "bin")
        for folder in (POSTGRESQL_ROOT.iterdir() if POSTGRESQL_ROOT.is_dir() else [])
        if folder.name.isdigit() and (folder / "bin" / "initdb").is_file()
    )
    if not versions:
        raise NoServer(
            f"no PostgreSQL server binaries under {POSTGRESQL_ROOT}/<version>/bin: install Debian's `postgresql` "
            "package (`apt-get install postgresql`; `make test` installs it), or point RESURSKURS_TEST_DB_URL "
            "at a server of your own"
        )
    return versions[-1][1]


class LocalPostgres:
    """A throwaway PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="resurskurs-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        # initdb refuses to run as root, so root (as on CI) runs the server as Debian's postgres user.
        self.user = SYSTEM_USER if os.geteuid() == 0 else None

    def _run(self, *command: str) -> None:
        completed = subprocess.run(
            [str(self.bin_dir / command[0]), *command[1:]],
            cwd=self.folder, user=self.user, group=self.user, extra_groups=[] if self.user else None,
            capture_output=True, text=True, check=False,
        )
        if completed.returncode != 0:
            log = self.log.read_text(encoding="utf-8", errors="replace") if self.log.is_file() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n"
                               f"{completed.stdout}{completed.stderr}{log}")

    def start(self, settings: dict[str, str] | None = None) -> DatabaseServer:
        """Start the server; `settings` are added to postgresql.conf (a benchmark's memory, say)."""
        if self.user is not None:
            try:
                account = pwd.getpwnam(self.user)
            except KeyError:
                raise NoServer(f"running as root, but there is no `{self.user}` system user to run PostgreSQL as: "
                               "install Debian's `postgresql` package (`make test` installs it)") from None
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._run("initdb", "--pgdata", str(self.data), "--username", ADMIN_USER, "--auth", "trust",
                  "--encoding", "UTF8", "--locale", "C", "--no-sync", "--no-instructions")
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.folder}'",
            # A cluster that is thrown away need not survive a crash.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            **(settings or {}),
        }
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as file:
            file.writelines(f"{key} = {value}\n" for key, value in conf.items())
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log), "--wait", "--timeout", "60", "start")
        return DatabaseServer(f"{DRIVER}://{ADMIN_USER}@127.0.0.1:{self.port}/postgres")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").is_file():
                self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "immediate", "--wait", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
