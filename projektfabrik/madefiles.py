"""Files that take long to make (a full plan as PDF), made once per town version.

Laying out a full plan as PDF takes seconds of CPU (docs/benchmarks.md,
"Plan PDF"). What it shows changes only when the town's data does, so the
first download makes the file and stores it under
``<UPLOADS_DIR>/<town id>/made/``; the next downloads of the same thing,
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
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import get_locale

from projektfabrik import workercache
from projektfabrik.tenancy.context import current_tenant

AREA = "made"


def _digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def _folder() -> Path:
    return Path(current_app.config["UPLOADS_DIR"]) / str(current_tenant().id) / AREA


def _path(name: str, parts: tuple[Any, ...], suffix: str) -> tuple[Path, str]:
    """The file's path for the current town version, and the prefix of all its versions."""
    thing = f"{name}-{_digest(name, *parts)}"
    version = _digest(current_tenant().content_version, get_locale())
    return _folder() / f"{thing}-{version}{suffix}", thing


def made_once(name: str, parts: tuple[Any, ...], suffix: str, make: Callable[[], bytes]) -> bytes:
    """The stored file for the current town version, else ``make()`` (then stored)."""
    if not workercache.town_is_clean():
        return make()
    path, thing = _path(name, parts, suffix)
    if path.is_file():
        return path.read_bytes()
    content = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(content)
    temporary.replace(path)  # atomic: another worker never reads half a file
    for old in path.parent.glob(f"{thing}-*{suffix}"):
        if old != path:
            old.unlink(missing_ok=True)
    return content


def is_made(name: str, parts: tuple[Any, ...], suffix: str) -> bool:
    """Whether the file for the current town version is stored already."""
    return _path(name, parts, suffix)[0].is_file()
