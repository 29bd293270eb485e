"""What happens to a person's applications when they delete their account.

Submitted applications are records the town keeps; drafts the person started
go, with their attachments (``pf_account_deletion``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import url_for
from sqlalchemy import event as sa_event
from sqlalchemy import select

from projektfabrik.api import AccountDeletion, Consequence, User, _, db
from projektfabrik_funding.documents import document_path, documents
from projektfabrik_funding.models import Application, State


def started_by(user: User) -> list[Application]:
    """The applications this person started, oldest first."""
    return list(
        db.session.scalars(
            select(Application).where(Application.created_by_id == user.id).order_by(Application.id)
        )
    )


def account_deletion(user: User) -> AccountDeletion:
    """Submitted applications are records the town keeps; drafts the person started go."""
    started = started_by(user)
    drafts = [a for a in started if a.state == State.DRAFT]
    submitted = [a for a in started if a.state != State.DRAFT]
    keeps = (
        Consequence(
            _(
                "Funding applications that were submitted, with the names and contact "
                "details in them: the town must keep them as records."
            )
        ),
        *(
            Consequence(
                _("Submitted application “%(title)s”", title=a.title or a.pot.name),
                link=url_for("funding.application", ref=a.ref),
                link_label=_("Show the application"),
            )
            for a in submitted
        ),
    )
    deletes = tuple(
        Consequence(
            _(
                "Your draft application “%(title)s” for “%(project)s”, with its attachments.",
                title=a.title or a.pot.name,
                project=a.project.title,
            ),
            link=url_for("funding.application", ref=a.ref),
            link_label=_("Show the draft"),
        )
        for a in drafts
    )

    def delete() -> None:
        files = []
        for application in drafts:
            for document in documents(application):
                files.append(document_path(document))
                db.session.delete(document)
            db.session.delete(application)
        db.session.flush()
        _unlink_after_commit([f for f in files if f is not None])

    return AccountDeletion(
        order=60, keeps=keeps, deletes=deletes, delete=delete if drafts else None
    )


def _unlink_after_commit(paths: list[Path]) -> None:
    """Remove the files once the deletion is committed (a rollback keeps them)."""
    if not paths:
        return
    session = db.session()

    def unlink(_session: Any) -> None:
        forget(_session)
        for path in paths:
            path.unlink(missing_ok=True)

    def forget(_session: Any, *_rest: Any) -> None:
        for name, listener in (("after_commit", unlink), ("after_soft_rollback", forget)):
            if sa_event.contains(session, name, listener):
                sa_event.remove(session, name, listener)

    sa_event.listen(session, "after_commit", unlink)
    sa_event.listen(session, "after_soft_rollback", forget)
