"""Files shared in a team space: checked by content, stored per town outside the web root.

Allowed (by what the bytes are, never by the name people give them; the
checks are the core's upload helper, :func:`projektfabrik.uploads.check_upload`):
PDF, PNG, JPEG, WebP, ODT, ODS, DOCX, XLSX and plain text.

The stored name is random; the name people see keeps their name's stem and
gets the extension of the detected type. Size limit: the town's
``[uploads] max_mb``, else ``TEAM_FILE_MAX_MB`` (default 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from projektfabrik import uploads
from projektfabrik.storage import StoredFile

AREA = "team-files"
DEFAULT_MAX_MB = uploads.DEFAULT_MAX_MB
KINDS = (
    uploads.PDF,
    uploads.PNG,
    uploads.JPEG,
    uploads.WEBP,
    uploads.ODT,
    uploads.ODS,
    uploads.DOCX,
    uploads.XLSX,
    uploads.TXT,
)

#: For the form's ``accept`` attribute and the hint.
ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp,.odt,.ods,.docx,.xlsx,.txt"


def max_bytes() -> int:
    return uploads.max_upload_mb() * 1024 * 1024


@dataclass(frozen=True)
class Stored:
    filename: str
    stored_name: str
    mimetype: str
    size: int


def store(stream: IO[bytes], original_name: str) -> Stored:
    """Check and store an upload in the town's storage; raise :class:`~projektfabrik.uploads.UploadRefused`."""
    checked = uploads.check_upload(stream, KINDS, original_name=original_name)
    stored_name = uploads.store_upload(AREA, checked)
    return Stored(
        filename=checked.display_name,
        stored_name=stored_name,
        mimetype=checked.kind.mimetype,
        size=checked.size,
    )


def stored(stored_name: str) -> StoredFile | None:
    return uploads.stored_file(AREA, stored_name)


def delete(stored_name: str) -> None:
    """At once: the caller has committed the deletion of the file's row."""
    uploads.delete_upload(AREA, stored_name)
