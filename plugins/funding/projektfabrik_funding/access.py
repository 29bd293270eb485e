"""Finding applications and saying who someone is for one: team, admin, juror; who may see it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from projektfabrik.api import (
    db,
    is_project_editor,
)
from projektfabrik_funding.models import (
    Application,
    Pot,
    Rating,
    State,
)

TEAM, ADMIN = "team", "admin"


def find_application(ref: str) -> Application | None:
    return db.session.scalar(select(Application).where(Application.ref == ref))


def applications(pot: Pot | None = None, project: Any = None) -> list[Application]:
    stmt = select(Application).order_by(Application.created_at, Application.id)
    if pot is not None:
        stmt = stmt.where(Application.pot_id == pot.id)
    if project is not None:
        stmt = stmt.where(Application.project_id == project.id)
    return list(db.session.scalars(stmt))


def project_of(application: Application) -> Any:
    return application.project


def is_team(application: Application, user: Any) -> bool:
    """Team members (and town admins, who may help) act for the applicant."""
    project = project_of(application)
    return project is not None and is_project_editor(project, user)


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def rating_of(application: Application, user: Any) -> Rating | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Rating).where(Rating.application_id == application.id, Rating.juror_id == user.id)
    )


def may_view(application: Application, user: Any) -> bool:
    return (
        is_admin(user)
        or is_team(application, user)
        or (application.state != State.DRAFT and rating_of(application, user) is not None)
    )


def roles_of(application: Application, user: Any) -> set[str]:
    """The workflow roles ``user`` holds for the application: ``team``, ``admin``."""
    roles = set()
    if is_admin(user):
        roles.add(ADMIN)
    if is_team(application, user):
        roles.add(TEAM)
    return roles


def may_see_ratings(application: Application, user: Any) -> bool:
    """Admins always; a juror only after submitting their own rating."""
    if is_admin(user):
        return True
    own = rating_of(application, user)
    return own is not None and own.submitted_at is not None
