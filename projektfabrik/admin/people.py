"""The town's accounts as its admin sees them: search, roles, blocking.

No request needed, nothing committed; every change is audited and refused
with a :class:`PeopleError` when it would leave the town without an admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from projektfabrik.accounts import services as accounts
from projektfabrik.accounts import sessions
from projektfabrik.accounts.models import Role, User
from projektfabrik.audit import services as audit
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.notifications.services import notify
from projektfabrik.refusal import Refusal

PAGE_SIZE = 50


class PeopleError(Refusal):
    """The change to someone's account is refused; ``message`` says why."""


@dataclass(frozen=True)
class PeoplePage:
    people: list[User]
    total: int
    page: int
    pages: int


def search(query: str = "", page: int = 1, *, blocked_only: bool = False) -> PeoplePage:
    """Accounts of the town (not deleted), by name; ``query`` matches name or address."""
    where: list[ColumnElement[bool]] = [User.deleted_at.is_(None)]
    query = " ".join(query.split())[:100]
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        where.append(
            or_(
                func.lower(User.display_name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if blocked_only:
        where.append(User.blocked_at.is_not(None))
    total = db.session.scalar(select(func.count()).select_from(User).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    people = db.session.scalars(
        select(User)
        .where(*where)
        .order_by(func.lower(User.display_name), User.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return PeoplePage(people=list(people), total=total, page=page, pages=pages)


def find(ref: str) -> User | None:
    person = accounts.find_by_ref(ref)
    return person if person is not None and person.deleted_at is None else None


def role_label(role: Role) -> str:
    return {
        Role.MEMBER: _("Member"),
        Role.MODERATOR: _("Moderator"),
        Role.ADMIN: _("Admin"),
    }[role]


def set_role(actor: User, person: User, role: Role) -> bool:
    """Give ``person`` the ``role``; refuse to take the last admin's. Return whether it changed."""
    if person.role == role:
        return False
    if person.role == Role.ADMIN and accounts.count_admins() <= 1:
        raise PeopleError(
            _(
                "%(name)s is the only admin. Make someone else admin first.",
                name=person.display_name,
            ),
            "role",
        )
    if role == Role.ADMIN and person.blocked_at is not None:
        raise PeopleError(_("A blocked account cannot become admin. Unblock it first."), "role")
    before = person.role
    person.role = role
    audit.record(
        "role.changed",
        actor=actor,
        subject=person,
        detail={"from": before.value, "to": role.value},
    )
    notify(
        [person],
        "account_role",
        lambda: _("Your role on the site is now: %(role)s.", role=role_label(role)),
        url_for("accounts.settings"),
        exclude=actor,
    )
    return True


def block(actor: User, person: User) -> None:
    """``person`` can no longer log in or post; every session of theirs ends now."""
    if person.id == actor.id:
        raise PeopleError(_("You cannot block your own account."))
    if person.role == Role.ADMIN:
        raise PeopleError(
            _("Admins cannot be blocked. Make %(name)s a member first.", name=person.display_name)
        )
    if person.blocked_at is not None:
        return
    person.blocked_at = utcnow()
    sessions.end_all(person)
    audit.record("account.blocked", actor=actor, subject=person)


def unblock(actor: User, person: User) -> None:
    if person.blocked_at is None:
        return
    person.blocked_at = None
    audit.record("account.unblocked", actor=actor, subject=person)


def confirm_organisation(actor: User, person: User, organisation: str) -> None:
    try:
        accounts.confirm_organisation(person, organisation)
    except accounts.AccountError as refused:
        raise PeopleError(refused.message, "organisation") from refused
    audit.record(
        "organisation.confirmed",
        actor=actor,
        subject=person,
        detail={"organisation": person.confirmed_organisation},
    )
    name = person.confirmed_organisation
    notify(
        [person],
        "account_role",
        lambda: _("Your account is confirmed as speaking for %(organisation)s.", organisation=name),
        url_for("accounts.profile"),
        exclude=actor,
    )


def revoke_organisation(actor: User, person: User) -> None:
    if not person.is_confirmed_organisation:
        return
    accounts.revoke_organisation(person)
    audit.record("organisation.revoked", actor=actor, subject=person)
