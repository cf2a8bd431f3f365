"""A register extract (registerutdrag, GDPR art. 15): everything held about one person, in one zip.

`data.json` holds every row and names every file, for a machine; `sammanfattning.html` says the same in
plain Swedish, for the person; `filer/` holds their files (drafts, hand-in notebooks, feedback) and their
part of shared ones. The zip is built in memory and written atomically, then the export is audited.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from resurskurs.files import write_atomically
from resurskurs.privacy.audit import Action, Entry, entries, record_now
from resurskurs.privacy.document import retention_text
from resurskurs.privacy.locate import Found, NothingHeld, Stores, found_or_refused
from resurskurs.privacy.register import KINDS, personal_tables
from resurskurs.privacy.shared_files import own_part

__all__ = ["NothingHeld", "archive", "export", "extract"]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _rows(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {name: [{k: _plain(v) for k, v in row.items()} for row in rows] for name, rows in tables.items()}


def extract(stores: Stores, found: Found, trail: list[Entry], now: dt.datetime) -> dict[str, bytes]:
    """The zip's members, by name."""
    files = {
        f"filer/{f.root.value}/{f.relative}": (
            own_part(f.path(stores), found.person_id) if f.shared else f.path(stores).read_bytes()
        )
        for f in found.files
    }
    data = {
        "person": found.person_id,
        "exported_at": now.isoformat(),
        "kinds": [
            {"key": k.key, "what": k.what, "why": k.why, "readers": k.readers, "retention": retention_text(k)}
            for k in found.kinds()
        ],
        "tables": _rows(found.rows),
        "reviews_made": _rows(found.mentions),
        "audit": [
            {"at": e.at.isoformat(), "actor": e.actor, "action": e.action.value, "subject": e.subject,
             "slug": e.slug, "detail": e.detail}
            for e in trail
        ],
        "files": sorted(files),
    }
    return {
        "data.json": json.dumps(data, ensure_ascii=False, indent=1).encode(),
        "sammanfattning.html": summary_html(found, trail, sorted(files), now).encode(),
        **files,
    }


def archive(stores: Stores, person_id: str, now: dt.datetime | None = None) -> tuple[bytes, str]:
    """The person's extract as zip bytes and a one-line summary. NothingHeld when nothing is held."""
    found = found_or_refused(stores, person_id)
    now = now or dt.datetime.now(dt.UTC)
    members = extract(stores, found, entries(stores.db_url, person_id), now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archived:
        for name, data in members.items():
            archived.writestr(name, data)
    rows = sum(len(rows) for rows in found.rows.values())
    return buffer.getvalue(), f"{rows} rader i {len(found.rows)} tabeller och {len(found.files)} filer om {person_id}"


def export(stores: Stores, person_id: str, out: Path, actor: str | None = None, now: dt.datetime | None = None) -> str:
    """Write the person's extract to `out`; returns a one-line summary. NothingHeld when nothing is held."""
    data, summary = archive(stores, person_id, now)
    write_atomically(out, data)
    out.chmod(0o600)
    record_now(stores.db_url, Action.EXPORTED, person_id, actor)
    return summary


def summary_html(found: Found, trail: list[Entry], files: list[str], now: dt.datetime) -> str:
    """The extract in plain Swedish; every value is escaped, so what anyone wrote is shown as text."""
    e = html.escape
    kinds_of_table = personal_tables()
    parts = [
        "<!doctype html>",
        '<html lang="sv"><head><meta charset="utf-8">',
        f"<title>Registerutdrag för {e(found.person_id)}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .4rem;text-align:left;"
        "vertical-align:top}</style></head><body>",
        f"<h1>Registerutdrag för {e(found.person_id)}</h1>",
        f"<p>Det här är allt som resurskurs sparar om dig, den {now:%Y-%m-%d}. Samma uppgifter finns "
        "maskinläsbart i <code>data.json</code> och dina filer i mappen <code>filer/</code>.</p>",
    ]
    for kind in found.kinds():
        parts += [
            f"<h2>{e(kind.what)}</h2>",
            f"<p><strong>Varför:</strong> {e(kind.why)}<br><strong>Vem läser:</strong> {e(kind.readers)}<br>"
            f"<strong>Sparas:</strong> {e(retention_text(kind))}</p>",
        ]
        for name, rows in found.rows.items():
            if kinds_of_table[name][0] is kind:
                parts.append(_table(rows))
        for name, rows in found.mentions.items():
            if kinds_of_table[name][0] is kind:
                parts += ["<p>Granskningar du har gjort:</p>", _table(rows)]
        own = [f for f in found.files if f.kind is kind]
        if own:
            items = "".join(f"<li><code>filer/{e(f.root.value)}/{e(f.relative)}</code></li>" for f in own)
            parts.append(f"<ul>{items}</ul>")
    parts.append("<h2>Vem har läst eller lämnat ut dina uppgifter</h2>")
    parts.append(
        "<ul>" + "".join(f"<li>{e(entry.describe())}</li>" for entry in trail) + "</ul>"
        if trail
        else "<p>Ingen har läst din reflektion eller lämnat ut dina uppgifter.</p>"
    )
    if not files:
        parts.append("<p>Inga filer.</p>")
    parts.append(f"<p>Slagen av uppgifter som resurskurs kan spara: {len(KINDS)}. Se förvaltningens "
                 "registerförteckning.</p></body></html>")
    return "\n".join(parts)


def _table(rows: list[dict[str, Any]]) -> str:
    columns = list(rows[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    cells = ("".join(f"<td>{html.escape(_cell(row[c]))}</td>" for c in columns) for row in rows)
    body = "".join(f"<tr>{cell}</tr>" for cell in cells)
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value: Any) -> str:
    return "" if value is None else str(_plain(value))
