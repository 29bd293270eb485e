"""The one way to send a file to someone's browser, for the core and every plugin.

Team files, funding documents, pictures, logos, exports, PDFs and calendar
files all leave through :func:`send_download`, and nothing else in
``projektfabrik/`` or ``plugins/`` calls ``send_file``/``send_from_directory``
or writes a ``Content-Disposition`` header (``tests/test_downloads.py``
fails otherwise). What it guarantees:

- **A safe content type.** Only types on :data:`SAFE_TYPES` go out as they
  are; anything else (``text/html``, scripts, XML …) is sent as
  ``application/octet-stream``. Text types carry ``charset=utf-8``.
- **An attachment**, ``Content-Disposition: attachment`` with the cleaned
  name as ASCII ``filename`` and, for other characters, RFC 6266/5987
  ``filename*=UTF-8''…``. Only pictures the platform re-encoded itself
  (:data:`REENCODED_IMAGES`, ``inline_image=True``) are sent ``inline``.
- **A sandbox.** ``Content-Security-Policy: default-src 'none'; sandbox``:
  should a browser ever render a download, nothing in it runs or loads.
  ``X-Content-Type-Options: nosniff`` is on every response anyway
  (:mod:`projektfabrik.security`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import quote

from flask import Response, current_app, request, send_file

from projektfabrik.storage import StoredFile
from projektfabrik.uploads import clean_name

#: Content types sent as they are (without parameters). Anything else becomes
#: ``application/octet-stream``.
SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "application/json",
        "application/octet-stream",
        "application/zip",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/png",
        "image/jpeg",
        "image/webp",
        "image/gif",
        "image/svg+xml",  # the operator's logo; attachment and sandboxed, fine in <img>
        "text/plain",
        "text/csv",
        "text/calendar",
    }
)
#: Pictures the platform decoded and wrote again itself: the only files sent inline.
REENCODED_IMAGES = frozenset({"image/png", "image/jpeg", "image/webp"})
FALLBACK_TYPE = "application/octet-stream"
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def safe_mimetype(mimetype: str | None) -> str:
    """``mimetype`` without parameters if it is on :data:`SAFE_TYPES`, else octet-stream."""
    bare = (mimetype or "").split(";", 1)[0].strip().lower()
    return bare if bare in SAFE_TYPES else FALLBACK_TYPE


def _ascii_fallback(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = "".join(c if c.isprintable() and c not in '"\\%;' else "_" for c in plain).strip()
    return plain or "download"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment; filename="..."`` (RFC 6266), plus ``filename*=UTF-8''...`` when
    the cleaned name is not plain ASCII."""
    name = clean_name(filename) or "download"
    value = f'{"inline" if inline else "attachment"}; filename="{_ascii_fallback(name)}"'
    if _ascii_fallback(name) != name:
        value += "; filename*=UTF-8''" + quote(name, safe="!#$&+-.^_`|~")
    return value


def _stored_response(stored: StoredFile, kind: str) -> Response:
    """A file from the storage, streamed in chunks (never read whole into memory)."""
    if stored.path is not None:  # the local backend: the OS sends the file, with ranges
        return send_file(stored.path, mimetype=kind, conditional=True)
    response = send_file(stored.open(), mimetype=kind, conditional=False, etag=False)
    response.content_length = stored.size
    if stored.modified is not None:
        response.last_modified = stored.modified
    if stored.etag:
        response.set_etag(stored.etag)
    response.make_conditional(request, accept_ranges=True, complete_length=stored.size)
    return response


def send_download(
    content: bytes | str | Path | StoredFile,
    filename: str,
    mimetype: str,
    *,
    inline_image: bool = False,
    max_age: int = 0,
    private: bool = True,
) -> Response:
    """Send ``content`` (bytes, text, a file from the storage or a local file's path,
    e.g. the operator's logo) as ``filename``.

    Always an attachment with a safe type, except ``inline_image=True`` for a
    picture the platform re-encoded (PNG, JPEG, WebP), which a page shows.
    ``max_age`` and ``private`` set ``Cache-Control`` (default: not stored).
    """
    kind = safe_mimetype(mimetype)
    if kind.startswith("text/"):
        kind += "; charset=utf-8"
    if isinstance(content, Path):
        response = send_file(content, mimetype=kind, max_age=max_age, conditional=True)
    elif isinstance(content, StoredFile):
        response = _stored_response(content, kind)
    else:
        data = content.encode("utf-8") if isinstance(content, str) else content
        response = current_app.response_class(data, mimetype=kind)
    inline = inline_image and kind in REENCODED_IMAGES
    response.headers["Content-Type"] = kind
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["Content-Security-Policy"] = SANDBOX
    response.headers["X-Content-Type-Options"] = "nosniff"
    if max_age:
        response.headers["Cache-Control"] = (
            f"{'private' if private else 'public'}, max-age={max_age}"
        )
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response


__all__ = [
    "REENCODED_IMAGES",
    "SAFE_TYPES",
    "content_disposition",
    "safe_mimetype",
    "send_download",
]
