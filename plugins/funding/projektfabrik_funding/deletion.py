"""What happens to a person's applications when they delete their account.

Submitted applications are records the town keeps; drafts the person started
go, with their attachments (``pf_account_deletion``).
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from projektfabrik.api import AccountDeletion, Consequence, User, _, db
from projektfabrik_funding.documents import discard_document_file, documents
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
        for application in drafts:
            for document in documents(application):
                discard_document_file(document)  # once the deletion is committed
                db.session.delete(document)
            db.session.delete(application)
        db.session.flush()

    return AccountDeletion(
        order=60, keeps=keeps, deletes=deletes, delete=delete if drafts else None
    )
