"""Telling people about applications: the team (as each member chose) and the town's admins."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from sqlalchemy import select

from projektfabrik.api import (
    Role,
    User,
    _,
    db,
    external_url_for,
    notify,
    project_team,
    queue_mail,
)
from projektfabrik_funding.access import find_application, project_of
from projektfabrik_funding.models import (
    Application,
    ApplicationSubmitted,
)

#: Notification kinds (declared in plugin.py): news of a team's own application, and
#: new submissions for the town's admins.
TEAM_KIND, ADMIN_KIND = "funding.application", "funding.submitted"


def tell_team(
    application: Application,
    subject: Callable[[], str],
    body: Callable[[], str],
    endpoint: str = "funding.application",
) -> None:
    """Notify the team as each member chose (bell, mail now, daily, none), in their
    language. The application's contact address, when it is no team member's,
    is the applicant's formal address without a person or settings behind it:
    it gets the mail directly, in the language of the moment."""
    project = project_of(application)
    if project is None:
        return  # a regional application: its own town tells its team (regional.py)
    people = project_team(project)
    link = url_for(endpoint, ref=application.ref)
    notify(people, TEAM_KIND, subject, link, details=body)
    contact = (application.email or "").strip()
    if contact and contact.lower() not in {(u.email or "").lower() for u in people}:
        url = external_url_for(endpoint, ref=application.ref)
        queue_mail(contact, subject(), f"{body()}\n\n{url}\n")


def notify_admins(event: ApplicationSubmitted) -> None:
    application = find_application(event.application_ref)
    if application is None:
        return
    admins = db.session.scalars(select(User).where(User.role == Role.ADMIN)).all()
    notify(
        admins,
        ADMIN_KIND,
        lambda: (
            _("Funding application resubmitted: %(title)s", title=application.title)
            if event.resubmission
            else _("New funding application: %(title)s", title=application.title)
        ),
        url_for("funding.application", ref=application.ref),
        details=lambda: _("Pot: %(pot)s", pot=application.pot.name),
    )
