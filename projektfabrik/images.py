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
from typing import IO

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from projektfabrik.storage import StoredFile
from projektfabrik.uploads import (
    GIF,
    JPEG,
    PNG,
    WEBP,
    UploadRefused,
    check_upload,
    discard_upload,
    store_bytes,
    stored_file,
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
            out = BytesIO()
            picture.save(out, "WEBP", quality=82)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise ImageError(_("This file is not a picture we can read.")) from exc
    try:
        return store_bytes(area, out.getvalue(), ".webp")
    except UploadRefused as refused:  # the storage failed: nothing was kept
        raise ImageError(refused.message) from refused


def stored_image(area: str, filename: str | None) -> StoredFile | None:
    return stored_file(area, filename)


def delete_image(area: str, filename: str | None) -> None:
    """Once the change is committed (a rollback keeps the picture)."""
    discard_upload(area, filename)
