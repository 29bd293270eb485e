"""Profile pictures: checked by content, not by name, and re-encoded."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from projektfabrik.accounts.models import User
from projektfabrik.accounts.services import AccountError
from projektfabrik.uploads import new_filename, resolve_in, town_folder

MAX_BYTES = 5 * 1024 * 1024
SIZE = 256
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
AREA = "avatars"

Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


def save_avatar(user: User, stream: IO[bytes]) -> None:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise AccountError(_("The picture is larger than 5 MB."), "avatar")
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format not in ALLOWED_FORMATS:
                raise AccountError(_("Please choose a picture (JPEG, PNG, WebP or GIF)."), "avatar")
            image = ImageOps.exif_transpose(image).convert("RGB")
            image = ImageOps.fit(image, (SIZE, SIZE))
            filename = new_filename(".webp")
            # Re-encoding drops metadata (location!) and anything hidden in the file.
            image.save(town_folder(AREA) / filename, "WEBP", quality=85)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise AccountError(_("This file is not a picture we can read."), "avatar") from exc
    remove_avatar(user)
    user.avatar_file = filename


def remove_avatar(user: User) -> None:
    if user.avatar_file:
        path = resolve_in(town_folder(AREA), user.avatar_file)
        if path is not None:
            path.unlink(missing_ok=True)
    user.avatar_file = None


def avatar_path(user: User) -> Path | None:
    if not user.avatar_file:
        return None
    return resolve_in(town_folder(AREA), user.avatar_file)
