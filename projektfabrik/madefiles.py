"""Files that take long to make (a full plan as PDF), made once per town version.

Laying out a full plan as PDF takes seconds of CPU (docs/benchmarks.md,
"Plan PDF"). What it shows changes only when the town's data does, so the
first download makes the file and stores it in the
town's ``made`` area of the storage (:mod:`projektfabrik.storage`, a local
folder or S3); the next downloads of the same thing,
in any worker, send the stored bytes until the town's ``content_version``
changes (:mod:`projektfabrik.tenancy.versioning`), exactly like the page cache.

The key holds the town (its own folder), its content version, the language,
the caller's ``name`` and ``parts``. ``parts`` must hold everything about
the person that changes the file: for the plan, which sections they may see
(a team member sees all, a visitor only the public ones), so two people get
the same file only when it is the same file. When a new version of a thing
is stored, the older ones of the same ``name`` and ``parts`` go.

A request with uncommitted changes of the town neither reads nor stores
(:func:`projektfabrik.workercache`), so nobody gets a file of data that was
rolled back. The page that links a download should link
:func:`making_url` for files that may take long: a page saying the file is
being made, which starts the download at once (templates/pdf/making.html).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from flask_babel import get_locale

from projektfabrik import workercache
from projektfabrik.storage import StorageUnavailable, storage
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.uploads import town_key

AREA = "made"

log = logging.getLogger(__name__)


def _digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def _key(name: str, parts: tuple[Any, ...], suffix: str) -> tuple[str, str]:
    """The file's key for the current town version, and the start of all its versions' keys."""
    thing = f"{name}-{_digest(name, *parts)}"
    version = _digest(current_tenant().content_version, get_locale())
    return town_key(AREA, f"{thing}-{version}{suffix}"), town_key(AREA, thing) + "-"


def made_once(name: str, parts: tuple[Any, ...], suffix: str, make: Callable[[], bytes]) -> bytes:
    """The stored file for the current town version, else ``make()`` (then stored).

    Storing is a saving, not a duty: when the storage fails, the file is made and
    sent all the same (and made again next time)."""
    if not workercache.town_is_clean():
        return make()
    key, thing = _key(name, parts, suffix)
    backend = storage()
    try:
        stored = backend.get(key)
        if stored is not None:
            with stored.open() as stream:
                return stream.read()
    except StorageUnavailable:
        log.warning("made files: storage unavailable, making %s without storing it", name)
        return make()
    content = make()
    try:
        backend.put(key, content)  # whole or not at all, in both backends
        area = key.rsplit("/", 1)[0]
        for old, _size in list(backend.list(area)):
            if old != key and old.startswith(thing):
                backend.delete(old)
    except StorageUnavailable:
        log.warning("made files: storage unavailable, %s not stored", name)
    return content


def is_made(name: str, parts: tuple[Any, ...], suffix: str) -> bool:
    """Whether the file for the current town version is stored already."""
    try:
        return storage().get(_key(name, parts, suffix)[0]) is not None
    except StorageUnavailable:
        return False
