"""Who is in a project's team and what that lets them do: the one place that decides.

Pages ask these questions many times (the header, each tab, each button), so a
person's membership is read once per request and kept in ``flask.g``; outside
a request (CLI, tests, mail) every call asks the database.

The rules, in one table:

=================  ==================================  ===========================
question           who                                 used for
=================  ==================================  ===========================
``is_member``      owners and members                  team space, plan editing
``is_owner``       owners                              team management
``is_editor``      members, owners, town admins        editing the plan
``can_manage``     owners, town admins                 the project's page, status,
                                                       publishing plan sections
=================  ==================================  ===========================
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, has_app_context, has_request_context
from sqlalchemy import event, exists, func, inspect, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from projektfabrik.accounts.models import User
from projektfabrik.accounts.permissions import second_factor_missing
from projektfabrik.extensions import db
from projektfabrik.projects.models import Membership, Project, TeamRole
from projektfabrik.workercache import ProjectVersion, keeping, town_objects, town_result

R = TypeVar("R")

_CACHE = "_project_memberships"
#: Set when this request changed a team: loaded member lists may be behind.
_TEAM_TOUCHED = "projektfabrik_team_touched"


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def membership(project: Project, user: User | None) -> Membership | None:
    """The person's membership in the project's team, or ``None``."""
    if not _signed_in(user):
        return None
    assert user is not None
    cache: dict[tuple[int, int], Membership | None] = (
        g.setdefault(_CACHE, {}) if has_request_context() else {}
    )
    key = (project.id, user.id)
    if key not in cache and _team_is_loaded(project):
        # The page loaded the team already (find_project_for_page, _with_team):
        # the answer is in it, no statement needed.
        cache[key] = next((m for m in project.memberships if m.user_id == user.id), None)
    if key not in cache:
        cache[key] = db.session.scalar(
            select(Membership).where(
                Membership.project_id == project.id, Membership.user_id == user.id
            )
        )
    return cache[key]


def _team_is_loaded(project: Project) -> bool:
    """Whether ``project.memberships`` is loaded and no team change of this request
    may have passed it by (a membership added by its ids is not in the loaded list)."""
    if not has_request_context() or g.get(_TEAM_TOUCHED):
        return False
    return "memberships" not in inspect(project).unloaded


def forget_memberships() -> None:
    """Drop what this request knows about memberships.

    Whenever there is a ``g``: it belongs to the app context, which several
    request contexts pushed inside one (the demo's seed, a command) share, so
    a team changed between two of them must not leave the first one's answers."""
    if has_app_context():
        g.pop(_CACHE, None)
        g.setdefault(_TEAM_TOUCHED, True)


@event.listens_for(Session, "after_flush")
def _team_changed(session: Session, _context: Any) -> None:
    # A join, a removal or a new owner in this request must be seen by the next
    # question in the same request: forget on any flush that touched a membership.
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, Membership) for row in touched):
        forget_memberships()


def is_town_admin(user: User | None) -> bool:
    if not (_signed_in(user) and bool(user.is_admin)):  # type: ignore[union-attr]
        return False
    # An admin whose town requires a second factor they have not set up acts
    # as an ordinary member until they do (docs/security.md).
    return not (has_request_context() and second_factor_missing(user))


def is_member(project: Project, user: User | None) -> bool:
    return membership(project, user) is not None


def is_owner(project: Project, user: User | None) -> bool:
    member = membership(project, user)
    return member is not None and member.is_owner


def is_editor(project: Project, user: User | None) -> bool:
    """Team members and the town's admins edit the plan."""
    return is_town_admin(user) or is_member(project, user)


def can_manage(project: Project, user: User | None) -> bool:
    """Team owners and the town's admins edit the project and publish its plan."""
    return is_town_admin(user) or is_owner(project, user)


def can_manage_as(user: User | None, member: Membership | None) -> bool:
    """``can_manage`` when the person's membership is already loaded (lists of cards)."""
    return is_town_admin(user) or (member is not None and member.is_owner)


def may_change(member: Membership | None, author_id: int | None) -> bool:
    """Whether a member may change or delete what ``author_id`` shared: its author or an owner."""
    return member is not None and (member.user_id == author_id or member.is_owner)


# --- the team as lists ----------------------------------------------------------------


def memberships(project: Project) -> list[Membership]:
    """Owners first, then by the day they joined; with each person, in one query."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.project_id == project.id)
            .options(selectinload(Membership.user).selectinload(User.district))
            .order_by(Membership.role.desc(), Membership.joined_at, Membership.id)
        )
    )


def team(project: Project) -> list[User]:
    """The team's people (owners and members), by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.project_id == project.id)
            .order_by(User.display_name, User.id)
        )
    )


def owners(project: Project) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.project_id == project.id, Membership.role == TeamRole.OWNER)
            .order_by(User.display_name, User.id)
        )
    )


def owner_count(project: Project) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.project_id == project.id, Membership.role == TeamRole.OWNER)
        )
        or 0
    )


def has_owner(project: Project) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Membership.project_id == project.id, Membership.role == TeamRole.OWNER
                )
            )
        )
    )


# --- loading the project a URL names ----------------------------------------------------

#: How a view loads its project by per-town number (some pages need more loaded at once).
Loader = Callable[[int], "Project | None"]


def find_project(number: int) -> Project | None:
    """The current town's project with this per-town number (another town's is never found)."""
    return db.session.scalar(select(Project).where(Project.number == number))


def find_project_for_page(number: int) -> Project | None:
    """The project with everything its page shows."""
    return _kept_project(
        "project-page",
        number,
        lambda: (
            joinedload(Project.category),
            joinedload(Project.district),
            selectinload(Project.memberships).joinedload(Membership.user).joinedload(User.district),
        ),
    )


def find_project_with_team(number: int) -> Project | None:
    """The project with its memberships loaded (the plan's pages ask about the team often)."""
    return _kept_project("project-team", number, lambda: (selectinload(Project.memberships),))


def _kept_project(
    name: str, number: int, options: Callable[[], tuple[ORMOption, ...]]
) -> Project | None:
    """The project with what ``options`` load eagerly: kept by the worker until the
    project or the town's shared rows change (workercache.town_objects with the
    project as scope), else in a fixed number of queries. ``options`` is called
    only then: building them costs a few per cent of a kept view."""

    def load() -> Project | None:
        return db.session.scalar(
            select(Project).where(Project.number == number).options(*options())
        )

    if not keeping():
        return load()
    version = project_version(number)
    if version is None:
        return None
    return town_objects(name, load=load, scope=version)


def project_version(number: int) -> ProjectVersion | None:
    """The id and version of the town's project with this number: the key of what a
    worker keeps for its pages. Kept per town version (one small statement after
    each change of the town): every commit that raises a project's version raises
    the town's content version too (tenancy/versioning.py)."""

    def read() -> tuple[int, int] | None:
        found = db.session.execute(
            select(Project.id, Project.version).where(Project.number == number)
        ).first()
        return None if found is None else (found.id, found.version)

    found = town_result("project-version", number, build=read)
    return None if found is None else ProjectVersion(*found)


def project_or_404(number: int, load: Loader = find_project) -> Project:
    """The project a URL names; 404 when this town has none.

    Another town's number looks up as nothing, so both look the same.
    """
    project = load(number)
    if project is None:
        abort(404)
    return project


def with_project(view: Callable[..., R] | None = None, *, load: Loader = find_project) -> Any:
    """Decorator for views under ``/projekte/<int:number>/``: the view gets the project
    as its first argument instead of ``number`` (404 when the town has none).

    ``@with_project`` or ``@with_project(load=find_project_for_page)``.
    """

    def decorate(view: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(view)
        def wrapper(*args: Any, number: int, **kwargs: Any) -> R:
            return view(project_or_404(number, load), *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
