"""The PostgreSQL the gradebook tests rerun on: fresh databases, loopback only, and nbgrader works there."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.databases import DatabaseServer, unreachable_like


def scalar(url: str, statement: str) -> object:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(statement)).scalar()
    finally:
        engine.dispose()


class DescribeThePostgresServer:
    def it_hands_out_a_fresh_empty_database_per_call(self, postgres_server: DatabaseServer) -> None:
        first, second = postgres_server.create_database(), postgres_server.create_database()
        try:
            assert sa.make_url(first).database != sa.make_url(second).database
            engine = sa.create_engine(first)
            with engine.begin() as connection:
                connection.execute(sa.text("create table marker (id integer)"))
            engine.dispose()
            assert scalar(first, "select count(*) from information_schema.tables where table_name = 'marker'") == 1
            assert scalar(second, "select count(*) from information_schema.tables where table_schema = 'public'") == 0
        finally:
            postgres_server.drop_database(first)
            postgres_server.drop_database(second)
        names = ", ".join(f"'{sa.make_url(url).database}'" for url in (first, second))
        assert scalar(postgres_server.admin_url, f"select count(*) from pg_database where datname in ({names})") == 0

    def it_listens_on_loopback_only(self, postgres_server: DatabaseServer) -> None:
        url = sa.make_url(postgres_server.admin_url)
        assert url.host == "127.0.0.1"
        assert scalar(postgres_server.admin_url, "show listen_addresses") == "127.0.0.1"
        assert scalar(postgres_server.admin_url, "select inet_server_addr()::text") == "127.0.0.1/32"
        with socket.create_connection(("127.0.0.1", url.port or 0), timeout=5):
            pass

    def it_lets_nbgrader_create_its_gradebook_and_add_a_student(
        self, postgres_server: DatabaseServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from nbgrader.api import Gradebook

        # nbgrader migrates a new gradebook by running the `alembic` command installed beside this interpreter.
        monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        url = postgres_server.create_database()
        try:
            with Gradebook(url, course_id="resurskurs") as gradebook:
                gradebook.add_student("eva.lund", first_name="Eva", last_name="Lund")
            with Gradebook(url, course_id="resurskurs") as gradebook:
                assert [(s.id, s.first_name) for s in gradebook.students] == [("eva.lund", "Eva")]
            assert scalar(url, "select version_num from alembic_version") is not None
        finally:
            postgres_server.drop_database(url)


class DescribeTheGradebookUrl:
    def it_follows_the_backend_chosen_for_the_run(self, gradebook_url: str) -> None:
        chosen = "postgresql" if os.environ.get("RESURSKURS_TEST_DB_URL") else os.environ.get("RESURSKURS_TEST_DB")
        assert sa.make_url(gradebook_url).get_backend_name() == (chosen or "sqlite")

    def it_can_name_an_unreachable_gradebook_of_the_same_backend(self, gradebook_url: str) -> None:
        broken = unreachable_like(gradebook_url)
        assert sa.make_url(broken).get_backend_name() == sa.make_url(gradebook_url).get_backend_name()
        engine = sa.create_engine(broken)
        try:
            with pytest.raises(sa.exc.OperationalError):
                engine.connect().close()
        finally:
            engine.dispose()


    def it_makes_no_folder_when_asked_to_migrate_a_sqlite_gradebook_that_is_not_there(self, tmp_path: Path) -> None:
        from resurskurs.gradebook.migrations import upgrade

        missing = tmp_path / "missing" / "gradebook.db"
        engine = sa.create_engine(f"sqlite:///{missing}")
        try:
            with pytest.raises(sa.exc.OperationalError):
                upgrade(engine)
        finally:
            engine.dispose()
        assert not missing.parent.exists()


class DescribeMigratingALiveGradebook:
    """`resurskurs db upgrade` / `db check` on the run's gradebook (SQLite, or PostgreSQL in make test-postgresql)."""

    def it_reports_an_empty_database_behind_upgrades_it_and_then_reports_it_current(
        self, gradebook_url: str, tmp_path: Path
    ) -> None:
        from typer.testing import CliRunner

        from resurskurs.cli import app
        from resurskurs.gradebook.migrations import head

        runner = CliRunner()
        environ = {"RESURSKURS_VAR": str(tmp_path / "var"), "RESURSKURS_EXERCISES": str(tmp_path / "exercises")}
        if gradebook_url.startswith("postgresql"):
            before = runner.invoke(app, ["db", "check", "--url", gradebook_url], env=environ)
            assert before.exit_code == 1 and "db upgrade" in before.output
        upgraded = runner.invoke(app, ["db", "upgrade", "--url", gradebook_url], env=environ)
        assert upgraded.exit_code == 0, upgraded.output
        checked = runner.invoke(app, ["db", "check", "--url", gradebook_url], env=environ)
        assert checked.exit_code == 0 and f"revision {head()}" in checked.output
        again = runner.invoke(app, ["db", "upgrade", "--url", gradebook_url], env=environ)
        assert again.exit_code == 0
