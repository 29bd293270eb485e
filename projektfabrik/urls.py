"""Helpers for URLs that come from the outside."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(target: str | None, fallback: str) -> str:
    """Only same-site paths: never let a ``next`` parameter send people elsewhere."""
    if not target:
        return fallback
    # CR/LF would split the Location header (Werkzeug refuses: a 500); no control
    # character belongs in an address anyway.
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return fallback
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. "//[" (an unclosed IPv6 bracket)
        return fallback
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:
        return fallback
    return target
