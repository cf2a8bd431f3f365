"""Where a module's page lives, and the QR code that takes a phone there from a slide."""

from __future__ import annotations

import io
import ipaddress
import os
from urllib.parse import urlencode, urlparse

import segno

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8866/"
PUBLIC_URL_VARIABLE = "RESURSKURS_PUBLIC_URL"


def public_url() -> str:
    """The player's address as staff reach it: RESURSKURS_PUBLIC_URL, or the one-machine default."""
    return os.environ.get(PUBLIC_URL_VARIABLE) or DEFAULT_PUBLIC_URL


def only_this_computer(address: str) -> bool:
    """Whether `address` reaches the computer it was made on alone (loopback): a phone in the room cannot open it."""
    host = urlparse(address).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def course_url(slug: str, base: str | None = None) -> str:
    """The module's page in the player, which opens a course from its `kurs` query parameter."""
    return f"{base or public_url()}?{urlencode({'kurs': slug})}"


def qr_png(url: str) -> bytes:
    """A PNG in memory: large modules and a quiet zone, so a phone reads it from the back of a room."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
