"""Pictures people upload: checked by content, not by name, and re-encoded.

The check is the one every upload passes (:func:`projektfabrik.uploads.check_upload`:
JPEG, PNG, WebP or GIF by their bytes, within 5 MB); the name people gave the
file decides nothing. Re-encoding drops metadata (camera location!) and
anything hidden in the file; the stored name is random, the folder is the
town's own. Only such re-encoded pictures are sent inline
(:mod:`projektfabrik.downloads`).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from projektfabrik.uploads import (
    GIF,
    JPEG,
    PNG,
    WEBP,
    UploadRefused,
    check_upload,
    new_filename,
    resolve_in,
    town_folder,
)

MAX_MB = 5
MAX_BYTES = MAX_MB * 1024 * 1024
KINDS = (JPEG, PNG, WEBP, GIF)
#: For the file field's ``accept`` hint only; what counts is the content.
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"

Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


class ImageError(ValueError):
    """The upload is not a picture we accept; the message is for the person."""


def save_image(stream: IO[bytes], area: str, size: tuple[int, int]) -> str:
    """Crop and scale to ``size``, store as WebP in the town's ``area``; return the filename."""
    try:
        checked = check_upload(stream, KINDS, max_mb=MAX_MB)
    except UploadRefused as refused:  # too large, empty, or not a picture by its bytes
        raise ImageError(refused.message) from refused
    try:
        with Image.open(BytesIO(checked.data)) as image:
            picture = ImageOps.fit(ImageOps.exif_transpose(image).convert("RGB"), size)
            filename = new_filename(".webp")
            picture.save(town_folder(area) / filename, "WEBP", quality=82)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise ImageError(_("This file is not a picture we can read.")) from exc
    return filename


def image_path(area: str, filename: str | None) -> Path | None:
    if not filename:
        return None
    return resolve_in(town_folder(area), filename)


def delete_image(area: str, filename: str | None) -> None:
    path = image_path(area, filename)
    if path is not None:
        path.unlink(missing_ok=True)
