"""Files shared in a team space: checked by content, stored per town outside the web root.

Allowed (by what the bytes are, never by the name people give them):

| type | how it is recognised |
|---|---|
| PDF | starts with ``%PDF-`` |
| PNG, JPEG, WebP | Pillow opens and verifies it |
| ODT, ODS | a ZIP whose first entry ``mimetype`` names the OpenDocument type |
| DOCX, XLSX | a ZIP with ``[Content_Types].xml`` and ``word/document.xml`` / ``xl/workbook.xml`` |
| plain text | UTF-8 without control characters other than tab and line breaks |

The stored name is random; the name people see keeps their name's stem and
gets the extension of the detected type. Size limit: ``TEAM_FILE_MAX_MB``
(default 10).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from projektfabrik.uploads import new_filename, resolve_in, town_folder

AREA = "team-files"
DEFAULT_MAX_MB = 10


@dataclass(frozen=True)
class FileType:
    extension: str
    mimetype: str


PDF = FileType("pdf", "application/pdf")
PNG = FileType("png", "image/png")
JPEG = FileType("jpg", "image/jpeg")
WEBP = FileType("webp", "image/webp")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text")
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
TXT = FileType("txt", "text/plain")

#: For the form's ``accept`` attribute and the hint.
ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp,.odt,.ods,.docx,.xlsx,.txt"
_IMAGES = {"PNG": PNG, "JPEG": JPEG, "WEBP": WEBP}
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FileCheckError(ValueError):
    """The upload is refused; the message is for the person."""

    field = "file"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return int(current_app.config.get("TEAM_FILE_MAX_MB") or DEFAULT_MAX_MB) * 1024 * 1024


def _zip_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if infos and infos[0].filename == "mimetype" and infos[0].file_size < 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ODT.mimetype: ODT, ODS.mimetype: ODS}.get(declared)
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    return None


def _image_type(data: bytes) -> FileType | None:
    try:
        with Image.open(BytesIO(data)) as image:
            kind = _IMAGES.get(image.format or "")
            image.verify()
            return kind
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        return None


def detect(data: bytes) -> FileType | None:
    """What the bytes are, if it is one of the allowed types."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if (
        data[:8] == b"\x89PNG\r\n\x1a\n"
        or data[:3] == b"\xff\xd8\xff"
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    ):
        return _image_type(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return TXT if data and not _TEXT_CONTROL.search(text) else None


def display_name(original: str, kind: FileType) -> str:
    """The person's file name, cleaned, with the extension of what the file really is."""
    name = unicodedata.normalize("NFC", Path(original.replace("\\", "/")).name)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"[^\w\s.()-]", "", stem, flags=re.UNICODE).strip(" .")[:120]
    return f"{stem or 'datei'}.{kind.extension}"


@dataclass(frozen=True)
class Stored:
    filename: str
    stored_name: str
    mimetype: str
    size: int


def store(stream: IO[bytes], original_name: str) -> Stored:
    """Check and store an upload in the town's folder; raise :class:`FileCheckError`."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileCheckError(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    if not data:
        raise FileCheckError(_("The file is empty."))
    kind = detect(data)
    if kind is None:
        raise FileCheckError(
            _(
                "This kind of file cannot be shared here. Allowed: PDF, PNG, JPEG, WebP, "
                "OpenDocument text and spreadsheet, Word, Excel and plain text."
            )
        )
    stored_name = new_filename("." + kind.extension)
    (town_folder(AREA) / stored_name).write_bytes(data)
    return Stored(
        filename=display_name(original_name, kind),
        stored_name=stored_name,
        mimetype=kind.mimetype,
        size=len(data),
    )


def path_of(stored_name: str) -> Path | None:
    return resolve_in(town_folder(AREA), stored_name)


def delete(stored_name: str) -> None:
    path = path_of(stored_name)
    if path is not None:
        path.unlink(missing_ok=True)
