"""Joining a project next door with one's account from the neighbouring town (issue #17).

Three round trips through the person's browser, each a signed handoff
(:mod:`projektfabrik.regions.handoff`): "join" (the home town B confirms what
the person shares; the project's town M makes a linked account), "signin"
(B vouches for the person again; M signs the linked account in) and "unlink"
(one side ended the link and tells the other). M binds each "join" and
"signin" to the browser that started it: it keeps a random ``state`` in its
own session, B seals it into the token, and M refuses a token with another
state (someone else's token pushed into this browser signs nobody in).

Services never commit; the views do, after the handoff's nonce and the change
are in the same transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext

from projektfabrik.accounts import services as accounts
from projektfabrik.accounts.models import User
from projektfabrik.audit import services as audit
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project, Status
from projektfabrik.regions import handoff, readmodel
from projektfabrik.regions.accountlinks import Side, TownLink, by_home_ref, find
from projektfabrik.regions.handoff import HandoffRefused, Sealed
from projektfabrik.regions.readmodel import Participant
from projektfabrik.regions.services import current_choice
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.models import Tenant

JOIN = "join"
SIGN_IN = "signin"
UNLINK = "unlink"

#: What a person may share, in the order the confirmation page asks.
SHAREABLE = ("name", "email", "skills")

EMAIL_NEEDED = lazy_gettext(
    "The other town needs your e-mail address to reach you. Without it you cannot join there."
)
NOT_CONFIRMED = lazy_gettext(
    "Please confirm your e-mail address here first. Only a confirmed address can be shared."
)
PROJECT_GONE = lazy_gettext("This project is not shown in the region.")
NO_LINK_THERE = lazy_gettext(
    "Your account here is not linked with this town. Join one of its projects first."
)
NO_LINK_HERE = lazy_gettext(
    "No account here is linked with your account in the other town. "
    "Join one of our projects with it first."
)


class AddressTaken(HandoffRefused):
    """M has an account with the address already. ``undo`` is an "unlink" token for the
    home town, which recorded its side of the link when it sealed (None: cannot tell it)."""

    def __init__(self, town: str, undo: str | None) -> None:
        super().__init__(
            lazy_gettext(
                "%(town)s already has an account with this e-mail address. Please sign in "
                "there with it (“Forgot password” sets a new one) and join the project directly.",
                town=town,
            )
        )
        self.undo = undo


@dataclass(frozen=True)
class Share:
    """What the person agreed to share; the e-mail address is required."""

    name: bool
    email: bool
    skills: bool

    def fields(self) -> list[str]:
        return [f for f in SHAREABLE if getattr(self, f)]


@dataclass(frozen=True)
class Arrival:
    user: User
    project_number: int | None
    created: bool


def new_state() -> str:
    """The browser-binding value M keeps in its session while the person is away."""
    return secrets.token_urlsafe(16)


def shown_in_region(project: Project) -> bool:
    """Whether the current town offers "join with my account from next door" for it."""
    if project.status == Status.ARCHIVED:
        return False
    if project.shown_in_region is not None:
        return project.shown_in_region
    return current_choice().projects_shown_by_default


def offered_towns(project: Project) -> list[Participant]:
    """The neighbouring towns a visitor may come from to join ``project``."""
    if not shown_in_region(project):
        return []
    return handoff.partners(current_tenant().id)


# --- in the person's home town B ---------------------------------------------------


def consent_to_join(user: User, to: Participant, number: int, share: Share, state: str) -> str:
    """B seals what the person agreed to share for joining project ``number`` of ``to``."""
    if not user.is_verified:
        raise HandoffRefused(NOT_CONFIRMED)
    if not share.email:
        raise HandoffRefused(EMAIL_NEEDED, "email")
    if readmodel.one_project(to, number) is None:
        raise HandoffRefused(PROJECT_GONE)
    payload: dict[str, Any] = {"ref": user.ref, "project": number, "state": state}
    payload["email"] = user.email
    if share.name:
        payload["name"] = user.display_name
    if share.skills:
        payload["skills"] = user.skills
    token = handoff.seal(JOIN, to.tenant_id, payload)
    link = find(user, to.tenant_id)
    if link is None or not link.active:
        if link is None:
            link = TownLink(user_id=user.id, other_town_id=to.tenant_id, side=Side.HOME)
            db.session.add(link)
        link.home_ref, link.ended_at, link.created_at = user.ref, None, utcnow()
        _audit("region.linked", user, to.town.slug, to.town.name, shared=share.fields())
    return token


def consent_to_sign_in(user: User, to: Participant, state: str) -> str:
    """B vouches for the person once more; only while its own side of the link lasts."""
    link = find(user, to.tenant_id)
    if link is None or not link.active or link.side != Side.HOME or not user.is_verified:
        raise HandoffRefused(NO_LINK_THERE)
    return handoff.seal(SIGN_IN, to.tenant_id, {"ref": user.ref, "state": state})


# --- in the project's town M ---------------------------------------------------------


def _checked(sealed: Sealed, state: str | None, *keys: str) -> dict[str, Any]:
    payload = sealed.payload
    if not state or payload.get("state") != state:
        # Another browser started this round trip (or this one's session ended).
        raise HandoffRefused(handoff.INVALID)
    for key in keys:
        value = payload.get(key)
        if not isinstance(value, str) or not value or len(value) > 254:
            raise HandoffRefused(handoff.INVALID)
    return payload


def arrive_to_join(sealed: Sealed, state: str | None) -> Arrival:
    """M makes (or finds) the linked account, holding only what the token carries."""
    payload = _checked(sealed, state, "ref", "email")
    number = payload.get("project")
    if not isinstance(number, int):
        raise HandoffRefused(handoff.INVALID)
    home = _town(sealed.from_town_id)
    link = by_home_ref(home.id, payload["ref"], Side.GUEST)
    if link is not None and link.user.is_active:
        if not link.active:
            link.ended_at = None
            _audit("region.linked", link.user, home.slug, home.name, shared=[])
        return Arrival(user=link.user, project_number=number, created=False)
    if accounts.find_by_email(payload["email"]) is not None:
        raise AddressTaken(current_tenant().name, _undo_for(home.id, payload["ref"]))
    name, skills = _text(payload, "name"), _text(payload, "skills")
    try:
        # No password: the person signs in through their home town (or sets one
        # with "Forgot password"). Confirmed: the home town seals confirmed addresses only.
        user = accounts.create_user(payload["email"], None, display_name=name[:100], verified=True)
    except accounts.AccountError as exc:
        raise HandoffRefused(handoff.INVALID) from exc
    user.skills = accounts.normalise_skills(skills)
    db.session.add(
        TownLink(user_id=user.id, other_town_id=home.id, side=Side.GUEST, home_ref=payload["ref"])
    )
    shared = [f for f in SHAREABLE if f in payload]
    _audit("region.linked", user, home.slug, home.name, shared=shared)
    return Arrival(user=user, project_number=number, created=True)


def _undo_for(home_town_id: int, ref: str) -> str | None:
    # Sent back with the person, the home town ends the side it recorded when it sealed.
    try:
        return handoff.seal(UNLINK, home_town_id, {"ref": ref, "home": False})
    except HandoffRefused:
        return None


def arrive_to_sign_in(sealed: Sealed, state: str | None) -> User:
    payload = _checked(sealed, state, "ref")
    link = by_home_ref(sealed.from_town_id, payload["ref"], Side.GUEST)
    if link is None or not link.active or not link.user.is_active:
        raise HandoffRefused(NO_LINK_HERE)
    return link.user


# --- ending a link, on either side ---------------------------------------------------


def end_link(user: User, link: TownLink) -> str | None:
    """End the link here at once; return a token telling the other town (None when the
    other town no longer takes part: this side's end suffices, see the module's doc)."""
    if link.user_id != user.id:
        raise HandoffRefused(handoff.INVALID)
    other = _town(link.other_town_id)
    if link.active:
        link.ended_at = utcnow()
        _audit("region.unlinked", user, other.slug, other.name, side=link.side.value)
    try:
        return handoff.seal(
            UNLINK, other.id, {"ref": link.home_ref, "home": link.side == Side.HOME}
        )
    except HandoffRefused:
        return None


def arrive_to_unlink(sealed: Sealed) -> TownLink | None:
    """The other town's side of the link ended: end ours. None when there is none."""
    ref, sender_is_home = sealed.payload.get("ref"), sealed.payload.get("home")
    if not isinstance(ref, str) or not isinstance(sender_is_home, bool):
        raise HandoffRefused(handoff.INVALID)
    side = Side.GUEST if sender_is_home else Side.HOME
    link = by_home_ref(sealed.from_town_id, ref, side)
    if link is None:
        return None
    if link.active:
        link.ended_at = utcnow()
        other = _town(sealed.from_town_id)
        _audit("region.unlinked", link.user, other.slug, other.name, side=side.value, by="other")
    return link


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    return value if isinstance(value, str) else ""


def _town(tenant_id: int) -> Tenant:
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        raise HandoffRefused(handoff.INVALID)
    return tenant


def _audit(action: str, user: User, slug: str, name: str, **detail: Any) -> None:
    audit.record(action, actor=user, subject=user, target=slug, detail={"town": name, **detail})
