"""A project's life, whichever area changes it: loading, status, followers. Callers commit."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import exists, select

from projektfabrik import workercache
from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.notifications.services import notify
from projektfabrik.plugins.events import emit
from projektfabrik.projects.events import ProjectFollowed, ProjectStatusChanged
from projektfabrik.projects.models import (
    Category,
    Follow,
    Project,
    Status,
    StatusChange,
)

# --- loading ---------------------------------------------------------------------


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def category_names() -> tuple[str, ...]:
    """The names of :func:`categories`, kept by the worker until the town changes."""
    return workercache.town_value(
        "projects.category_names", lambda: tuple(c.name for c in categories())
    )


def category_named(name: str) -> Category | None:
    """The current town's category of that name (another town's is never found)."""
    return db.session.scalar(select(Category).where(Category.name == name)) if name else None


# --- activity and status ------------------------------------------------------------


def touch(project: Project) -> None:
    """Something happened in the project: it moves up in "recently active"."""
    project.last_activity_at = utcnow()


def change_status(project: Project, status: Status, by: User) -> None:
    """Move the project to ``status``, keep the history and tell its followers."""
    if project.status == status:
        return
    db.session.add(
        StatusChange(
            project_id=project.id, from_status=project.status, to_status=status, changed_by_id=by.id
        )
    )
    emit(ProjectStatusChanged.of(project, status, by))
    project.status = status
    touch(project)
    db.session.flush()
    notify(
        followers(project),
        "status_change",
        lambda: _(
            "“%(title)s” is now: %(status)s", title=project.title, status=status_label(status)
        ),
        f"/projekte/{project.number}",
        exclude=by,
    )


def status_history(project: Project) -> list[StatusChange]:
    return list(
        db.session.scalars(
            select(StatusChange)
            .where(StatusChange.project_id == project.id)
            .order_by(StatusChange.changed_at, StatusChange.id)
        )
    )


_STATUS_LABELS = {
    Status.IDEA: lazy_gettext("Idea"),
    Status.TEAM_FORMING: lazy_gettext("Team forming"),
    Status.PLANNING: lazy_gettext("Planning"),
    Status.FUNDING_APPLIED: lazy_gettext("Funding applied for"),
    Status.RUNNING: lazy_gettext("Running"),
    Status.COMPLETED: lazy_gettext("Completed"),
    Status.ARCHIVED: lazy_gettext("Archived"),
}


def status_label(status: Status | str) -> str:
    # Lazy strings, translated one at a time: a card needs one label, not seven.
    return str(_STATUS_LABELS[Status(status)])


# --- followers -------------------------------------------------------------------------


def is_following(project: Project, user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(
        db.session.scalar(
            select(exists().where(Follow.project_id == project.id, Follow.user_id == user.id))
        )
    )


def follow(project: Project, user: User) -> None:
    if not is_following(project, user):
        db.session.add(Follow(project_id=project.id, user_id=user.id))


def toggle_follow(project: Project, user: User) -> bool:
    row = db.session.scalar(
        select(Follow).where(Follow.project_id == project.id, Follow.user_id == user.id)
    )
    if row is None:
        db.session.add(Follow(project_id=project.id, user_id=user.id))
        emit(ProjectFollowed.of(project, user, True))
        return True
    db.session.delete(row)
    emit(ProjectFollowed.of(project, user, False))
    return False


def followers(project: Project) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Follow, Follow.user_id == User.id)
            .where(Follow.project_id == project.id)
        )
    )
