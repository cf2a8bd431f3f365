"""The gradebook: one database holding nbgrader's tables and resurskurs' own beside them.

- `engine`: one SQLAlchemy engine per process and URL, and `reading` for read-only callers.
- `nbgrader_tables`: the columns of nbgrader's tables that resurskurs reads (nbgrader owns them).
- `tables`: resurskurs' own tables (people, leads, activity, evaluation, review).
- `cells`: the names of the answer cells a module's notebook has and the gradebook's grades refer to.
- `migrations`: Alembic revisions of the own tables, in a version table of their own.
- `reviews`: what the gradebook says about each hand-in (score, reviewed, comment).
- `locks`: one hand-in at a time per person and module, across worker processes.

SQLite by default, PostgreSQL on a hub; nothing here imports nbgrader, so a learner's kernel can read.
"""
