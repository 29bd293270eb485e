"""What the board does, without HTTP: list, post, pin, remove, export."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from projektfabrik.api import _, csv_for_people, db, emit, plugin_settings, unreadable_secrets
from projektfabrik_pinnwand import NAME
from projektfabrik_pinnwand.models import Note, NotePosted

PROJECT_REF = re.compile(r"^[0-9a-z][0-9a-z-]{0,31}$")


def settings() -> dict[str, Any]:
    return plugin_settings(NAME)


def posting_code_lost() -> bool:
    """The admin set a posting code that can no longer be decrypted.

    The code then reads as its default, "none": without this check the board
    would take everyone's notes until the admin enters the code again.
    """
    return "posting_code" in unreadable_secrets(NAME)


def notes(project_ref: str | None = None, limit: int | None = None) -> Sequence[Note]:
    """The notes of the current town's board (or a project's), pinned first, newest next."""
    stmt = (
        select(Note)
        .where(
            Note.project_ref.is_(None) if project_ref is None else Note.project_ref == project_ref
        )
        .order_by(Note.pinned.desc(), Note.created_at.desc(), Note.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return db.session.scalars(stmt).all()


def find(ref: str) -> Note | None:
    return db.session.scalar(select(Note).where(Note.ref == ref))


def post(text: str, author: Any, project_ref: str | None = None) -> Note:
    """Put a note on the board (the caller commits); announce it after the commit."""
    note = Note(text=text.strip(), author_id=author.id, project_ref=project_ref)
    db.session.add(note)
    db.session.flush()
    emit(NotePosted(note_ref=note.ref, text=note.text, author_name=author.display_name))
    return note


def remove(note: Note) -> None:
    db.session.delete(note)


def toggle_pin(note: Note) -> None:
    note.pinned = not note.pinned


def as_csv(rows: Sequence[Note]) -> str:
    """The board for a spreadsheet program in the reader's language (the core's export
    writer: German ``;``, dates as 15.05.2026 19:00, BOM; text never a formula)."""
    table: list[list[Any]] = [
        [_("Reference number"), _("Posted"), _("Author"), _("Pinned"), _("Text")]
    ]
    for note in rows:
        table.append(
            [
                note.ref,
                note.created_at,
                note.author.display_name if note.author else "",
                note.pinned,
                note.text,
            ]
        )
    return csv_for_people(table)
