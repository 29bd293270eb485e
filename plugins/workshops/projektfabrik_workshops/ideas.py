"""An idea from a workshop's board becomes a project: offered by mail to the person who
had it, published in the marketplace only when that person confirms. Callers commit."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from projektfabrik.api import (
    User,
    _,
    current_tenant,
    db,
    external_url_for,
    publish_project_idea,
    queue_mail,
)
from projektfabrik_workshops.models import (
    CaptureItem,
    ItemKind,
    ProjectDraft,
    Registration,
    RegState,
    Workshop,
)
from projektfabrik_workshops.services import WorkshopError, registrations, town_ref_from_token

DRAFT_SALT = "pf-workshops-project-draft"


def _draft_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DRAFT_SALT)


def draft_token(draft: ProjectDraft) -> str:
    return _draft_serializer().dumps({"t": current_tenant().id, "d": draft.ref})


def draft_by_token(token: str) -> ProjectDraft | None:
    """The draft a link names, in the current town only (as :func:`by_token`)."""
    ref = town_ref_from_token(_draft_serializer(), token, "d")
    if ref is None:
        return None
    return db.session.scalar(select(ProjectDraft).where(ProjectDraft.ref == ref))


def item_by_ref(workshop: Workshop, ref: str) -> CaptureItem | None:
    return db.session.scalar(
        select(CaptureItem).where(CaptureItem.workshop_id == workshop.id, CaptureItem.ref == ref)
    )


def seated(workshop: Workshop) -> list[Registration]:
    return [r for r in registrations(workshop) if r.state == RegState.CONFIRMED]


def offer_project(item: CaptureItem, registration: Registration) -> ProjectDraft:
    """Offer the board's idea to the person who had it: a mail with a link; the
    project appears in the marketplace, theirs, only when they confirm it."""
    if item.kind != ItemKind.IDEA:
        raise WorkshopError(_("Only an idea can become a project."))
    if registration.workshop_id != item.workshop_id or registration.state != RegState.CONFIRMED:
        raise WorkshopError(_("Please choose a person who has a seat."), field="person")
    text = " ".join(item.text.split())
    title = text if len(text) <= 120 else text[:119].rsplit(" ", 1)[0] + "…"
    draft = ProjectDraft(
        workshop_id=item.workshop_id,
        item_id=item.id,
        title=title,
        pitch=text[:280],
        email=registration.email,
        locale=registration.locale,
    )
    db.session.add(draft)
    db.session.flush()
    workshop = registration.workshop
    link = external_url_for("workshops.draft", token=draft_token(draft))
    with force_locale(registration.locale or "de"):
        subject = _("Your idea as a project: %(title)s", title=title)
        body = _(
            "In the workshop “%(workshop)s” your idea was noted. Make it a project in the "
            "marketplace, with you leading it: %(url)s\n\nNothing is published until you "
            "confirm it.",
            workshop=workshop.title,
            url=link,
        )
        queue_mail(registration.email, subject, body)
    return draft


def confirm_draft(draft: ProjectDraft, user: User) -> Any:
    """The person takes the idea on: a new project, theirs; the board's idea names it."""
    if draft.project_ref:
        raise WorkshopError(_("This idea is a project already."))
    if str(user.email).lower() != draft.email.lower():
        raise WorkshopError(_("This idea was offered to another e-mail address."))
    project = publish_project_idea(user, draft.title, draft.pitch)
    draft.project_ref = str(project.ref)
    if draft.item_id is not None:
        item = db.session.get(CaptureItem, draft.item_id)
        if item is not None and not item.project_ref:
            item.project_ref = str(project.ref)
    return project


def drafts(workshop: Workshop) -> list[ProjectDraft]:
    return list(
        db.session.scalars(
            select(ProjectDraft)
            .where(ProjectDraft.workshop_id == workshop.id)
            .order_by(ProjectDraft.id)
        )
    )
