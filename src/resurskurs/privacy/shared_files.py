"""Files holding several people's data (the roster copy, the releases, queued requests): one person's part of
each, for an export, and each without that person, for an erasure."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from resurskurs.district.releases import RELEASES_FILE
from resurskurs.district.roster import ROSTER_FILE


def own_part(path: Path, person_id: str) -> bytes:
    """The person's rows of the roster, the releases they made, or a whole request of theirs."""
    if path.name == ROSTER_FILE:
        return _roster(path, person_id, keep_theirs=True)
    if path.name == RELEASES_FILE:
        return _releases(path, person_id, keep_theirs=True)
    return path.read_bytes()


def without(path: Path, person_id: str) -> bytes | None:
    """The file with the person taken out (a release keeps its unit and date, not who made it), or None when
    the whole file is theirs (a queued request) and goes."""
    if path.name == ROSTER_FILE:
        return _roster(path, person_id, keep_theirs=False)
    if path.name == RELEASES_FILE:
        return _releases(path, person_id, keep_theirs=False)
    return None


def _roster(path: Path, person_id: str, keep_theirs: bool) -> bytes:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    kept = rows[:1] + [row for row in rows[1:] if bool(row and row[0] == person_id) is keep_theirs]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    return out.getvalue().encode()


def _releases(path: Path, person_id: str, keep_theirs: bool) -> bytes:
    data = json.loads(path.read_text(encoding="utf-8"))
    releases = data.get("releases", [])
    if keep_theirs:
        data["releases"] = [r for r in releases if r.get("released_by") == person_id]
    else:
        for entry in releases:
            if entry.get("released_by") == person_id:
                entry["released_by"] = None
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()
