"""Files people upload: checked by content, limited in size per town, stored per town
outside the web root.

:func:`check_upload` is the one check for every upload of the core and the
plugins: it reads the bytes, recognises what they are (:func:`detect`, never
the file name), compares that with the kinds allowed for this use and the
size with the limit (:func:`max_upload_mb`: the town's, else the
deployment's), and raises :class:`UploadRefused` with a message for the
person. :func:`store_upload` then writes it into the town's storage
(:mod:`projektfabrik.storage`: a local folder or S3), :func:`stored_file`
finds it again, :func:`discard_upload` deletes it once that is committed and
:func:`delete_upload` after it.
Nothing here or in a plugin handles a path.
"""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import IO, TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _

from projektfabrik.refusal import Refusal
from projektfabrik.storage import (
    StorageUnavailable,
    StoredFile,
    check_key,
    is_plain_name,
    storage,
    town_prefix,
    transaction,
)
from projektfabrik.tenancy.context import current_tenant

if TYPE_CHECKING:
    from projektfabrik.tenancy.models import Tenant

log = logging.getLogger(__name__)


def town_key(area: str, name: str, tenant_id: int | None = None) -> str:
    """``<town id>/<area>/<name>``: the key of a file of the town in context (or
    ``tenant_id``'s). The town is always the key's first part: one town's files
    never share a prefix with another's. :class:`~projektfabrik.storage.BadKey`
    when ``name`` is not a plain name."""
    town = current_tenant().id if tenant_id is None else tenant_id
    return check_key(f"{town_prefix(town)}/{area}/{name}")


def new_filename(suffix: str) -> str:
    return secrets.token_urlsafe(12) + suffix


def storage_refusal(field: str = "file") -> UploadRefused:
    """What people read when the storage (disk, S3) fails: nothing was kept."""
    return UploadRefused(
        _(
            "The file could not be stored just now. Nothing was saved. "
            "Please try again in a few minutes."
        ),
        field,
    )


def store_bytes(area: str, data: bytes, suffix: str, *, field: str = "file") -> str:
    """Write ``data`` into the town's ``area`` under a new random name ending in
    ``suffix``; return the name. The file goes again if the transaction rolls
    back (:mod:`projektfabrik.storage.transaction`). A failing storage raises
    :class:`UploadRefused` (:func:`storage_refusal`) and leaves nothing."""
    stored_name = new_filename(suffix)
    backend = storage()
    key = town_key(area, stored_name)
    try:
        backend.put(key, data)
    except StorageUnavailable:
        log.exception("storage: could not store an upload in %s", area)
        raise storage_refusal(field) from None
    transaction.written(backend, key)
    return stored_name


def stored_file(area: str, name: str | None) -> StoredFile | None:
    """The town's file ``name`` in ``area``, or ``None`` (no such file, or ``name`` is
    not a plain name, e.g. from a URL). A failing storage raises
    :class:`~projektfabrik.storage.StorageUnavailable` (an error page, 503)."""
    if not is_plain_name(name):
        return None
    return storage().get(town_key(area, str(name)))


def discard_upload(area: str, name: str | None) -> None:
    """Delete the town's file ``name`` in ``area`` once the current transaction
    commits; a rollback keeps the file. Call it where the row that names it goes."""
    if is_plain_name(name):
        transaction.discard(storage(), town_key(area, str(name)))


def delete_upload(area: str, name: str | None) -> None:
    """Delete the town's file ``name`` in ``area`` at once: for a caller that has
    committed the deletion of its row already."""
    if is_plain_name(name):
        transaction.delete_now(storage(), town_key(area, str(name)))


# --- checking what people upload ---------------------------------------------------------

#: The deployment's default size limit in MB (``PROJEKTFABRIK_TEAM_FILE_MAX_MB``), when
#: neither the call nor the town sets one.
DEFAULT_MAX_MB = 10
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FileKind:
    """A kind of file, recognised by its content."""

    key: str
    label: str  # the name people know it by, in every language ("PDF", "Word")
    extension: str
    mimetype: str


PDF = FileKind("pdf", "PDF", "pdf", "application/pdf")
PNG = FileKind("png", "PNG", "png", "image/png")
GIF = FileKind("gif", "GIF", "gif", "image/gif")
JPEG = FileKind("jpeg", "JPEG", "jpg", "image/jpeg")
WEBP = FileKind("webp", "WebP", "webp", "image/webp")
ODT = FileKind("odt", "ODT", "odt", "application/vnd.oasis.opendocument.text")
ODS = FileKind("ods", "ODS", "ods", "application/vnd.oasis.opendocument.spreadsheet")
DOCX = FileKind(
    "docx",
    "Word",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "xlsx", "Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
TXT = FileKind("txt", "Text", "txt", "text/plain")

#: Every kind the core recognises, by key.
FILE_KINDS = {k.key: k for k in (PDF, PNG, JPEG, WEBP, GIF, ODT, ODS, DOCX, XLSX, TXT)}
_IMAGES = {"PNG": PNG, "JPEG": JPEG, "WEBP": WEBP, "GIF": GIF}
#: Text that browsers sniff as HTML or XML (WHATWG MIME Sniffing's "HTML" and "XML"
#: patterns, plus ``<svg`` and a few more tags): never accepted as plain text.
_MARKUP = re.compile(
    rb"^[\t\n\x0c\r ]*(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*(?:"
    rb"(?:<!doctype html|<html|<head|<script|<iframe|<h1|<div|<font|<table|<a|<style"
    rb"|<title|<b|<body|<br|<p|<svg|<object|<embed|<meta|<link|<form)(?:[\s>/]|$)"
    rb"|<!--|<\?xml)",
    re.IGNORECASE,
)


class UploadRefused(Refusal, ValueError):
    """The upload is refused; ``message`` is for the person, ``field`` names the form field."""

    default_field = "file"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed :func:`check_upload`: its bytes and what they really are."""

    data: bytes
    kind: FileKind
    original_name: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def display_name(self) -> str:
        return display_name(self.original_name, self.kind)


def _zip_kind(data: bytes) -> FileKind | None:
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


def _image_kind(data: bytes) -> FileKind | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as image:
            kind = _IMAGES.get(image.format or "")
            image.verify()
            return kind
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        return None


def detect(data: bytes) -> FileKind | None:
    """What the bytes are (never what the name says), if it is a kind the core knows.

    PDF: starts with ``%PDF-``. PNG, JPEG, WebP: Pillow opens and verifies it.
    ODT, ODS: a ZIP whose first entry ``mimetype`` names the type. DOCX, XLSX: a
    ZIP with ``[Content_Types].xml`` and ``word/document.xml`` / ``xl/workbook.xml``.
    GIF: Pillow opens and verifies it. Text: UTF-8 without control characters
    other than tab and line breaks, and not starting like HTML, SVG or XML.
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if (
        data[:8] == b"\x89PNG\r\n\x1a\n"
        or data[:3] == b"\xff\xd8\xff"
        or data[:6] in (b"GIF87a", b"GIF89a")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    ):
        return _image_kind(data)
    if _MARKUP.match(data):
        return None  # HTML, SVG or XML: a browser would run it, whatever it is called
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return TXT if data and not _TEXT_CONTROL.search(text) else None


def max_upload_mb(tenant: Tenant | None = None) -> int:
    """The largest upload in MB for ``tenant`` (default: the current town): the town's
    own ``upload_max_mb`` (``[uploads] max_mb`` in its tenant.toml), else the
    deployment's ``PROJEKTFABRIK_TEAM_FILE_MAX_MB``."""
    town = tenant if tenant is not None else current_tenant()
    if town.upload_max_mb:
        return int(town.upload_max_mb)
    return int(current_app.config.get("TEAM_FILE_MAX_MB") or DEFAULT_MAX_MB)


def kinds_text(kinds: Sequence[FileKind]) -> str:
    """ "PDF, JPEG or PNG" in the reader's language."""
    labels = [str(k.label) for k in kinds]
    if len(labels) < 2:
        return "".join(labels)
    return _("%(some)s or %(last)s", some=", ".join(labels[:-1]), last=labels[-1])


def check_upload(
    upload: IO[bytes] | bytes,
    allowed: Iterable[FileKind | str],
    *,
    original_name: str = "",
    max_mb: int | None = None,
    field: str = "file",
) -> CheckedUpload:
    """Read an upload and check it: not empty, not larger than the limit (``max_mb``,
    else the town's, else the deployment's), and its content one of ``allowed``
    (kinds or their keys). The name is cleaned first (:func:`clean_name`) and
    never decides anything. Raise :class:`UploadRefused` with a message in the
    reader's language; nothing is stored."""
    kinds = [FILE_KINDS[k] if isinstance(k, str) else k for k in allowed]
    original_name = clean_name(original_name)
    limit_mb = max_mb or max_upload_mb()
    limit = limit_mb * 1024 * 1024
    data = upload if isinstance(upload, bytes) else upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(_("The file is larger than %(mb)d MB.", mb=limit_mb), field)
    if not data:
        raise UploadRefused(_("The file is empty."), field)
    kind = detect(data)
    if kind is None or kind not in kinds:
        raise UploadRefused(
            _(
                "This kind of file is not accepted here. Please upload %(kinds)s.",
                kinds=kinds_text(kinds),
            ),
            field,
        )
    return CheckedUpload(data=data, kind=kind, original_name=original_name)


def store_upload(area: str, upload: CheckedUpload, *, field: str = "file") -> str:
    """Write a checked upload into the town's ``area`` under a new random name (with
    the extension of what it really is); return that name. See :func:`store_bytes`."""
    return store_bytes(area, upload.data, "." + upload.kind.extension, field=field)


#: Longest name people see, in characters (file systems allow 255 bytes).
MAX_NAME_LENGTH = 120
_UNSAFE_IN_NAMES = set('<>:"/\\|?*')


def clean_name(original: str | None, max_length: int = MAX_NAME_LENGTH) -> str:
    """A file name people can read and every system can take, or ``""``.

    Normalised (NFKC, so a full-width slash is a slash), only the last part of
    a path (``/`` or ``\\``), without control, format and bidi-override
    characters (U+202E shows ``rcod.exe`` as ``exe.docr``), without
    ``<>:"/\\|?*``, runs of white space as one space, no leading dots (hidden
    files) and at most ``max_length`` characters, keeping a short extension.
    """
    name = unicodedata.normalize("NFKC", original or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if char in "\t\n\r\x0b\x0c":
            category = "Zs"  # a line break people typed reads as a space
        elif category[0] == "C" or category in ("Zl", "Zp"):
            continue  # control, format (bidi, zero width), surrogate, private, unassigned
        if char in _UNSAFE_IN_NAMES:
            continue
        kept.append(" " if category == "Zs" else char)
    name = re.sub(r" {2,}", " ", "".join(kept)).strip(" .")
    if len(name) > max_length:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10 and extension.isalnum():
            name = stem[: max_length - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:max_length].rstrip(" .")
    return name


def display_name(original: str, kind: FileKind) -> str:
    """The person's file name, cleaned, with the extension of what the file really is."""
    name = clean_name(original, MAX_NAME_LENGTH - len(kind.extension) - 1)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem.strip(' .') or 'datei'}.{kind.extension}"
