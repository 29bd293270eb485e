"""Where the platform keeps files: one interface, a local folder or an S3 bucket.

Every file the core and the plugins keep (team files, funding documents,
logos, project images, profile pictures, plugin files) goes through
:func:`storage`, the deployment's backend chosen by ``PROJEKTFABRIK_STORAGE``:

- ``local`` (the default): files under ``PROJEKTFABRIK_UPLOADS_DIR``, laid out
  as before this interface existed, so existing files stay readable;
- ``s3``: objects in an S3-compatible bucket (``PROJEKTFABRIK_S3_*``), shared
  by every app machine (docs/operations.md, "Files").

A key is ``<town id>/<area>/<name>``: the town is always its first part
(:func:`projektfabrik.uploads.town_key` builds it from the town in context;
nothing else builds keys). Only the tenancy's archive and removal address a
whole town's prefix. Backends write atomically: a reader sees the whole file
or none. They raise :class:`StorageUnavailable` when a write or read fails
for reasons of the storage itself (disk full, endpoint down), which the
upload layer turns into a refusal for the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from flask import Flask, current_app

if TYPE_CHECKING:
    from collections.abc import Callable

EXTENSION = "projektfabrik.storage"
#: One part of a key: no slash, no leading dot (so never "." or ".."), nothing a
#: file system or S3 treats specially.
_PART = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")


class StorageUnavailable(OSError):
    """The storage could not do what was asked (disk full, endpoint down, denied).
    Logged with its cause; people are told that the file could not be stored."""


class BadKey(ValueError):
    """Not a key this interface writes: a programming error, or input from a URL."""


def check_key(key: str) -> str:
    """``key`` if every part of it is a plain name (``town/area/name``), else :class:`BadKey`."""
    parts = key.split("/")
    if len(parts) < 2 or not all(_PART.fullmatch(p) for p in parts):
        raise BadKey(f"not a storage key: {key[:200]!r}")
    return key


def check_prefix(prefix: str) -> str:
    """``prefix`` (a town's, ``"7"``, or a town's area, ``"7/avatars"``) if it is plain."""
    if not prefix or not all(_PART.fullmatch(p) for p in prefix.split("/")):
        raise BadKey(f"not a storage prefix: {prefix[:200]!r}")
    return prefix


def is_plain_name(name: str | None) -> bool:
    """Whether ``name`` can be the last part of a key (a stored name from a URL or a row)."""
    return bool(name) and _PART.fullmatch(name or "") is not None


@dataclass(frozen=True)
class StoredFile:
    """A file in the storage: enough to answer a download without reading it yet."""

    key: str
    size: int
    modified: datetime | None
    etag: str | None
    #: The local backend's file itself (downloads then use the OS's sendfile and ranges).
    path: Path | None
    opener: Callable[[], IO[bytes]]

    def open(self) -> IO[bytes]:
        """The content as a stream; the caller closes it."""
        return self.opener()


class Storage(Protocol):
    """What every backend does. Keys are checked by :func:`check_key`."""

    name: str

    def put(self, key: str, source: bytes | IO[bytes]) -> None:
        """Write ``source`` (bytes or a stream read to its end) atomically under ``key``."""

    def get(self, key: str) -> StoredFile | None:
        """The file under ``key``, or ``None`` when there is none."""

    def delete(self, key: str) -> None:
        """Remove ``key``; nothing happens when it is missing."""

    def list(self, prefix: str) -> Iterator[tuple[str, int]]:
        """``(key, size)`` of every file whose key starts with ``prefix/``, sorted by key."""

    def delete_prefix(self, prefix: str) -> None:
        """Remove every file whose key starts with ``prefix/``."""


def from_config(config: dict[str, object]) -> Storage:
    """The backend the configuration names (``STORAGE`` and its settings)."""
    kind = str(config.get("STORAGE") or "local")
    if kind == "local":
        from projektfabrik.storage.local import LocalStorage

        return LocalStorage(Path(str(config["UPLOADS_DIR"])))
    if kind == "s3":
        from projektfabrik.storage.s3 import S3Storage

        return S3Storage.from_config(config)
    raise ValueError(f"PROJEKTFABRIK_STORAGE must be local or s3, not {kind!r}")


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = from_config(app.config)


def storage() -> Storage:
    """The deployment's storage (set up with the app)."""
    backend: Storage = current_app.extensions[EXTENSION]
    return backend


def town_prefix(tenant_id: int) -> str:
    """Where one town's files are: the first part of each of its keys."""
    return str(int(tenant_id))


__all__ = [
    "BadKey",
    "Storage",
    "StorageUnavailable",
    "StoredFile",
    "check_key",
    "check_prefix",
    "from_config",
    "init_app",
    "is_plain_name",
    "storage",
    "town_prefix",
]
