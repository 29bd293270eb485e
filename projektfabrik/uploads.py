"""Files people upload, stored per town outside the web root."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from projektfabrik.tenancy.context import current_tenant


def town_folder(area: str) -> Path:
    """``<UPLOADS_DIR>/<town id>/<area>``: one town's files never share a folder with another's."""
    folder = Path(current_app.config["UPLOADS_DIR"]) / str(current_tenant().id) / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_filename(suffix: str) -> str:
    return secrets.token_urlsafe(12) + suffix


def resolve_in(folder: Path, filename: str) -> Path | None:
    """The file's path if ``filename`` names a plain file directly inside ``folder``."""
    if not filename or "/" in filename or "\\" in filename or filename.startswith("."):
        return None
    path = folder / filename
    return path if path.is_file() else None
