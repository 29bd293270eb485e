"""Pictures people upload: checked by content, not by name, and re-encoded.

Re-encoding drops metadata (camera location!) and anything hidden in the
file; the stored name is random, the folder is the town's own.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from projektfabrik.uploads import new_filename, resolve_in, town_folder

MAX_BYTES = 5 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
ALLOWED_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]

Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


class ImageError(ValueError):
    """The upload is not a picture we accept; the message is for the person."""


def save_image(stream: IO[bytes], area: str, size: tuple[int, int]) -> str:
    """Crop and scale to ``size``, store as WebP in the town's ``area``; return the filename."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageError(_("The picture is larger than 5 MB."))
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format not in ALLOWED_FORMATS:
                raise ImageError(_("Please choose a picture (JPEG, PNG, WebP or GIF)."))
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
