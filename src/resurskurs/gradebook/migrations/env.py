"""Alembic's entry point: always called by `resurskurs.gradebook.migrations.upgrade` with an open connection."""

from alembic import context

from resurskurs.gradebook.migrations import VERSION_TABLE
from resurskurs.gradebook.tables import METADATA

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=METADATA,
    version_table=VERSION_TABLE,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
