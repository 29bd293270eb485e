"""Files uploaded to an application: attachments and receipts, checked, stored, found. Callers commit."""

from __future__ import annotations

from typing import IO

from sqlalchemy import select

from projektfabrik.api import (
    CheckedUpload,
    StoredFile,
    UploadRefused,
    User,
    _,
    check_upload,
    db,
    discard_upload,
    store_upload,
    stored_upload,
)
from projektfabrik_funding.access import is_team
from projektfabrik_funding.errors import FundingError
from projektfabrik_funding.models import (
    Application,
    Document,
    DocumentKind,
    State,
)

UPLOAD_AREA = "funding"
#: What attachments and receipts may be (checked by content; the size limit is the town's).
DOCUMENT_KINDS = ("pdf", "jpeg", "png")


def documents(application: Application, kind: DocumentKind | None = None) -> list[Document]:
    stmt = select(Document).where(Document.application_id == application.id)
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    return list(db.session.scalars(stmt.order_by(Document.uploaded_at, Document.id)))


def find_document(application: Application, ref: str) -> Document | None:
    return db.session.scalar(
        select(Document).where(Document.application_id == application.id, Document.ref == ref)
    )


def add_document(
    application: Application,
    by: User,
    kind: DocumentKind,
    label: str,
    filename: str,
    data: IO[bytes] | bytes,
) -> Document:
    """Store an uploaded file (PDF, JPEG or PNG, within the town's limit) with the application."""
    if kind == DocumentKind.ATTACHMENT:
        if application.state not in (State.DRAFT, State.INFO_REQUESTED):
            raise FundingError(_("Attachments are added while the application is being written."))
        if label not in application.pot.required_attachments:
            raise FundingError(_("Please choose which attachment this is."))
    elif application.state != State.PAID:
        raise FundingError(_("Receipts are uploaded with the proof of use."))
    if not is_team(application, by):
        raise FundingError(_("Only the project's team may do this."))
    document = store_document(application, by, kind, label, check_document(filename, data))
    if kind == DocumentKind.ATTACHMENT and label not in (application.attachments or []):
        application.attachments = [*(application.attachments or []), label]
    db.session.flush()
    return document


def check_document(filename: str, data: IO[bytes] | bytes) -> CheckedUpload:
    """The file checked by its content (PDF, JPEG or PNG, within the town's limit)."""
    try:
        return check_upload(data, DOCUMENT_KINDS, original_name=filename)
    except UploadRefused as refused:
        raise FundingError(refused.message) from refused


def store_document(
    application: Application, by: User, kind: DocumentKind, label: str, checked: CheckedUpload
) -> Document:
    """Write a checked file to the town's storage and record it with the application.
    A failing storage raises :class:`FundingError` with the core's message."""
    try:
        stored = store_upload(UPLOAD_AREA, checked)
    except UploadRefused as refused:  # the storage failed: nothing was kept
        raise FundingError(refused.message) from refused
    document = Document(
        application_id=application.id,
        kind=kind,
        label=label if kind == DocumentKind.ATTACHMENT else "",
        original_name=checked.display_name[:200],
        stored_name=stored,
        size=checked.size,
        uploaded_by_id=by.id,
    )
    db.session.add(document)
    return document


def stored_document(document: Document) -> StoredFile | None:
    return stored_upload(UPLOAD_AREA, document.stored_name)


def discard_document_file(document: Document) -> None:
    """The file goes once the document's deletion is committed (a rollback keeps it)."""
    discard_upload(UPLOAD_AREA, document.stored_name)
