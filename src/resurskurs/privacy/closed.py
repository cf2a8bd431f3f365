"""Closed files: everything holding personal data is readable by the service's own account only.

The server and the grader call `close` as they start: the umask makes every file and folder they create
from then on (the gradebook, submissions, nbgrader's autograded and feedback notebooks, drafts, the
cache) private, and what an older version left open (0644 files, 0755 folders) is closed once. nbgrader
sets its own modes on what it writes, so `tracking/course_dir.py` configures those too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import sqlalchemy as sa

from resurskurs.privacy.locate import Stores

PRIVATE_UMASK = 0o077
OPEN_TO_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def close(stores: Stores) -> list[Path]:
    """Set the private umask for this process and its children, and close what is open; returns what was closed."""
    os.umask(PRIVATE_UMASK)
    closed = []
    for path in _holding_personal_data(stores):
        try:
            mode = path.stat().st_mode
            if mode & OPEN_TO_OTHERS:
                path.chmod(stat.S_IMODE(mode) & ~OPEN_TO_OTHERS)
                closed.append(path)
        except FileNotFoundError:
            continue
    return closed


def open_to_others(stores: Stores) -> list[Path]:
    """Files and folders holding personal data that another account could read or enter."""
    return [path for path in _holding_personal_data(stores) if path.exists() and path.stat().st_mode & OPEN_TO_OTHERS]


def _holding_personal_data(stores: Stores) -> list[Path]:
    """var/ and exercises/ and everything in them (course notebooks too: one rule is simpler to hold than a
    list), and the SQLite gradebook with its journals wherever it is."""
    found = []
    for root in (stores.var, stores.exercises):
        found.append(root)
        for folder, folders, names in os.walk(root):
            found.extend(Path(folder) / name for name in [*folders, *names])
    database = sa.make_url(stores.db_url).database if stores.db_url.startswith("sqlite") else None
    if database:
        found += [Path(database + suffix) for suffix in ("", "-journal", "-wal", "-shm")]
    return found
