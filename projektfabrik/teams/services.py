"""Team operations, testable without a request. Callers commit.

Who may do what is checked here, not only in the views: owners decide on
requests, invite, change roles and manage what the team looks for; every
member may post, mail the team, share files and plan meetings. A project
never ends up without an owner: the last owner cannot leave, be removed or
step down; they hand over ownership or close the project.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from projektfabrik.accounts.models import User
from projektfabrik.accounts.services import normalise_email, normalise_skills
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.outbox import queue_mail
from projektfabrik.notifications.services import notify, path_for
from projektfabrik.plugins.events import emit
from projektfabrik.projects import access as project_access
from projektfabrik.projects import search
from projektfabrik.projects import services as projects
from projektfabrik.projects.models import Membership, Project, Status, TeamRole
from projektfabrik.refusal import Refusal
from projektfabrik.teams.events import (
    JoinDecided,
    JoinRequested,
    MemberLeft,
    OwnershipHandedOver,
    TeamJoined,
)
from projektfabrik.teams.models import (
    CODE_ALPHABET,
    JoinRequest,
    NeedKind,
    RequestStatus,
    TeamAccess,
    TeamNeed,
    new_join_code,
)
from projektfabrik.teams.tokens import (
    TeamTokenError,
    make_invitation_token,
    read_invitation_token,
)
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import public_url
from projektfabrik.throttle import Throttle

MOTIVATION_MAX = 2000
FINDABLE_LIMIT = 50


class TeamError(Refusal):
    """Team management refused input; see ``projektfabrik.refusal``."""


# --- paths ---------------------------------------------------------------------


def team_path(project: Project, anchor: str = "") -> str:
    return path_for("teams.team", number=project.number) + anchor


def board_path(project: Project, anchor: str = "") -> str:
    return path_for("teams.board", number=project.number) + anchor


# --- who is in the team ------------------------------------------------------------


def _member_by_ref(project: Project, ref: str) -> Membership:
    found = db.session.scalar(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.project_id == project.id, User.ref == ref)
    )
    if found is None:
        raise TeamError(_("This person is not a member of the team."))
    return found


def member_by_ref(project: Project, ref: str) -> Membership | None:
    try:
        return _member_by_ref(project, ref)
    except TeamError:
        return None


def _require_owner(project: Project, user: User) -> Membership:
    member = project_access.membership(project, user)
    if member is None or not member.is_owner:
        raise TeamError(_("Only the project's owners can do this."))
    return member


def _is_closed(project: Project) -> bool:
    return project.status == Status.ARCHIVED


def _add_member(project: Project, user: User, via: str) -> Membership:
    member = Membership(project_id=project.id, user_id=user.id, role=TeamRole.MEMBER)
    db.session.add(member)
    projects.follow(project, user)
    projects.touch(project)
    db.session.flush()
    emit(TeamJoined(project_number=project.number, user_ref=user.ref, via=via))
    return member


# --- join code and invitation links ------------------------------------------------


def access_or_none(project: Project) -> TeamAccess | None:
    return db.session.scalar(select(TeamAccess).where(TeamAccess.project_id == project.id))


def access(project: Project) -> TeamAccess:
    """The project's join code (made the first time an owner needs it)."""
    row = access_or_none(project)
    if row is None:
        row = TeamAccess(project_id=project.id, join_code=_unused_code())
        db.session.add(row)
        db.session.flush()
    return row


def _unused_code() -> str:
    for _attempt in range(10):
        code = new_join_code()
        if db.session.scalar(select(TeamAccess.id).where(TeamAccess.join_code == code)) is None:
            return code
    raise RuntimeError("no free join code found")  # 32^8 codes: does not happen


def regenerate_code(project: Project, by: User) -> TeamAccess:
    """A new join code; invitation links sent before stop working."""
    _require_owner(project, by)
    row = access(project)
    row.join_code = _unused_code()
    row.generation += 1
    return row


def normalise_code(raw: str) -> str:
    """What people type: any case, with spaces or dashes; O and I read as 0 and 1 are not used."""
    return "".join(c for c in raw.upper() if c.isalnum())


def project_for_code(raw: str) -> Project | None:
    code = normalise_code(raw)
    if not code or any(c not in CODE_ALPHABET for c in code):
        return None
    return db.session.scalar(
        select(Project)
        .join(TeamAccess, TeamAccess.project_id == Project.id)
        .where(TeamAccess.join_code == code)
    )


def join_with_code(raw: str, user: User) -> Project:
    """Join the team whose code this is (an owner showed it, so no request is needed)."""
    project = project_for_code(raw)
    if project is None:
        raise TeamError(
            _("This code does not belong to any project here. Please check it."), "code"
        )
    if project_access.membership(project, user) is not None:
        raise TeamError(_("You are already a member of this team."), "code")
    if _is_closed(project):
        raise TeamError(_("This project is closed and takes no new members."), "code")
    _add_member(project, user, via="code")
    pending = pending_request(project, user)
    if pending is not None:
        pending.status = RequestStatus.WITHDRAWN
    notify(
        project_access.owners(project),
        "team_change",
        lambda: _(
            "%(name)s joined the team of “%(title)s” with the join code.",
            name=user.display_name,
            title=project.title,
        ),
        team_path(project),
        exclude=user,
    )
    return project


def invitation_link(project: Project) -> str:
    token = make_invitation_token(project.number, access(project).generation)
    return public_url(
        current_tenant(), path_for("teams.invitation", number=project.number, token=token)
    )


def check_invitation(project: Project, token: str) -> None:
    """Raise :class:`TeamTokenError` unless ``token`` is a valid invitation to this project."""
    row = db.session.scalar(select(TeamAccess).where(TeamAccess.project_id == project.id))
    if row is None:
        raise TeamTokenError("invalid")
    read_invitation_token(token, project.number, row.generation)


#: Invitation mails to one address, from all teams of the town together: an
#: owner cannot flood someone's inbox (the view limits each client as well).
INVITATIONS_PER_ADDRESS = Throttle("team-invite-address", "3 per day")


def invite_by_email(project: Project, by: User, email: str, message: str = "") -> None:
    """Mail an invitation link to an address (the recipient may have no account yet)."""
    _require_owner(project, by)
    if _is_closed(project):
        raise TeamError(_("This project is closed and takes no new members."))
    try:
        email = normalise_email(validate_email(email, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise TeamError(_("Please enter a valid e-mail address."), "email") from exc
    if not INVITATIONS_PER_ADDRESS.hit(email):
        raise TeamError(
            _("This address has had several invitations today. Please try again tomorrow."),
            "email",
        )
    tenant = current_tenant()
    with force_locale(tenant.default_locale or "de"):
        body = render_template(
            "mail/team_invitation.txt",
            tenant=tenant,
            project=project,
            inviter=by,
            message=message.strip()[:1000],
            url=invitation_link(project),
        )
    subject, _sep, text = body.partition("\n\n")
    queue_mail(email, subject.strip(), text.strip() + "\n")


def invite_person(project: Project, by: User, person: User) -> None:
    """Invite someone found by their skills: a notification with the invitation link."""
    _require_owner(project, by)
    if project_access.membership(project, person) is not None:
        raise TeamError(_("This person is already a member of the team."))
    link = path_for(
        "teams.invitation",
        number=project.number,
        token=make_invitation_token(project.number, access(project).generation),
    )
    notify(
        [person],
        "team_invitation",
        lambda: _(
            "%(name)s invites you to join the team of “%(title)s”.",
            name=by.display_name,
            title=project.title,
        ),
        link,
        exclude=by,
    )


# --- asking to join ---------------------------------------------------------------


def pending_request(project: Project, user: User | None) -> JoinRequest | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(JoinRequest).where(
            JoinRequest.project_id == project.id,
            JoinRequest.user_id == user.id,
            JoinRequest.status == RequestStatus.PENDING,
        )
    )


def pending_requests(project: Project) -> list[JoinRequest]:
    return list(
        db.session.scalars(
            select(JoinRequest)
            .where(
                JoinRequest.project_id == project.id, JoinRequest.status == RequestStatus.PENDING
            )
            .options(selectinload(JoinRequest.user))
            .order_by(JoinRequest.created_at, JoinRequest.id)
        )
    )


def request_by_ref(project: Project, ref: str) -> JoinRequest | None:
    return db.session.scalar(
        select(JoinRequest).where(JoinRequest.project_id == project.id, JoinRequest.ref == ref)
    )


def request_to_join(
    project: Project, user: User, motivation: str, skills: str, invited: bool = False
) -> JoinRequest:
    motivation = motivation.strip()
    if not motivation:
        raise TeamError(_("Please tell the team why you want to join."), "motivation")
    if len(motivation) > MOTIVATION_MAX:
        raise TeamError(_("At most %(max)d characters.", max=MOTIVATION_MAX), "motivation")
    if project_access.membership(project, user) is not None:
        raise TeamError(_("You are already a member of this team."))
    if _is_closed(project):
        raise TeamError(_("This project is closed and takes no new members."))
    if pending_request(project, user) is not None:
        raise TeamError(_("You have asked already. The owners will answer soon."))
    item = JoinRequest(
        project_id=project.id,
        user_id=user.id,
        motivation=motivation,
        skills=normalise_skills(skills),
        invited=invited,
    )
    db.session.add(item)
    db.session.flush()
    notify(
        project_access.owners(project),
        "join_request",
        lambda: _(
            "%(name)s asks to join the team of “%(title)s”.",
            name=user.display_name,
            title=project.title,
        ),
        team_path(project, f"#anfrage-{item.ref}"),
        exclude=user,
        details=lambda: motivation,
    )
    emit(
        JoinRequested(
            project_number=project.number, user_ref=user.ref, request_ref=item.ref, invited=invited
        )
    )
    return item


def withdraw_request(item: JoinRequest, user: User) -> None:
    if item.user_id != user.id or item.status != RequestStatus.PENDING:
        raise TeamError(_("This request cannot be withdrawn."))
    item.status = RequestStatus.WITHDRAWN
    item.decided_at = utcnow()


def decide(project: Project, item: JoinRequest, owner: User, accept: bool, message: str) -> None:
    """Accept or decline a request; the person is told, with the owner's message."""
    _require_owner(project, owner)
    if item.project_id != project.id or item.status != RequestStatus.PENDING:
        raise TeamError(_("This request has been answered already."))
    message = message.strip()[:1000]
    item.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    item.decided_at = utcnow()
    item.decided_by_id = owner.id
    item.decision_message = message
    person = item.user
    if accept and project_access.membership(project, person) is None:
        if _is_closed(project):
            raise TeamError(_("This project is closed and takes no new members."))
        _add_member(project, person, via="request")
    if accept:
        text = lambda: _(  # noqa: E731 - called per recipient's language
            "Welcome! %(name)s accepted your request to join “%(title)s”.",
            name=owner.display_name,
            title=project.title,
        )
        link = board_path(project)
    else:
        text = lambda: _(  # noqa: E731
            "%(name)s declined your request to join “%(title)s”.",
            name=owner.display_name,
            title=project.title,
        )
        link = team_path(project)
    notify([person], "join_decision", text, link, details=(lambda: message) if message else None)
    emit(
        JoinDecided(
            project_number=project.number,
            user_ref=person.ref,
            request_ref=item.ref,
            accepted=accept,
            decided_by_ref=owner.ref,
        )
    )


# --- leaving, removing, roles ----------------------------------------------------------


def _last_owner_message() -> str:
    return _(
        "You are the last owner of this project. Hand over ownership to another member "
        "first, or close the project."
    )


def leave(project: Project, user: User) -> None:
    member = project_access.membership(project, user)
    if member is None:
        raise TeamError(_("You are not a member of this team."))
    if member.is_owner and project_access.owner_count(project) <= 1:
        raise TeamError(_last_owner_message())
    db.session.delete(member)
    db.session.flush()
    emit(MemberLeft(project_number=project.number, user_ref=user.ref))
    notify(
        project_access.owners(project),
        "team_change",
        lambda: _(
            "%(name)s left the team of “%(title)s”.", name=user.display_name, title=project.title
        ),
        team_path(project),
        exclude=user,
    )


def remove(project: Project, owner: User, ref: str) -> User:
    """An owner removes a member. Owners are not removed: they leave or step down."""
    _require_owner(project, owner)
    member = _member_by_ref(project, ref)
    if member.user_id == owner.id:
        raise TeamError(_("To leave the team yourself, use “Leave the team”."))
    if member.is_owner:
        raise TeamError(_("Owners cannot be removed. They can step down or leave themselves."))
    person = member.user
    db.session.delete(member)
    db.session.flush()
    emit(MemberLeft(project_number=project.number, user_ref=person.ref, removed_by_ref=owner.ref))
    notify(
        [person],
        "team_change",
        lambda: _(
            "%(name)s removed you from the team of “%(title)s”.",
            name=owner.display_name,
            title=project.title,
        ),
        path_for("marketplace.project", number=project.number),
    )
    return person


def make_owner(project: Project, owner: User, ref: str) -> User:
    """Make a member a co-owner; the owner stays owner."""
    _require_owner(project, owner)
    member = _member_by_ref(project, ref)
    if member.is_owner:
        raise TeamError(_("This person is an owner already."))
    member.role = TeamRole.OWNER
    person = member.user
    notify(
        [person],
        "team_change",
        lambda: _(
            "%(name)s made you an owner of “%(title)s”.",
            name=owner.display_name,
            title=project.title,
        ),
        team_path(project),
    )
    return person


def hand_over(project: Project, owner: User, ref: str) -> User:
    """The owner hands the project to a member and becomes a member."""
    mine = _require_owner(project, owner)
    member = _member_by_ref(project, ref)
    if member.user_id == owner.id:
        raise TeamError(_("Please choose another member of the team."))
    member.role = TeamRole.OWNER
    mine.role = TeamRole.MEMBER
    person = member.user
    db.session.flush()
    emit(
        OwnershipHandedOver(
            project_number=project.number, from_user_ref=owner.ref, to_user_ref=person.ref
        )
    )
    notify(
        [person],
        "team_change",
        lambda: _(
            "%(name)s handed the project “%(title)s” over to you. You are its owner now.",
            name=owner.display_name,
            title=project.title,
        ),
        team_path(project),
    )
    return person


def step_down(project: Project, owner: User) -> None:
    """An owner becomes a member, when another owner remains."""
    mine = _require_owner(project, owner)
    if project_access.owner_count(project) <= 1:
        raise TeamError(_last_owner_message())
    mine.role = TeamRole.MEMBER


def set_task(project: Project, actor: User, ref: str, task: str) -> None:
    """What someone does in the team; set by owners, or by the person."""
    member = _member_by_ref(project, ref)
    if member.user_id != actor.id:
        _require_owner(project, actor)
    member.task = " ".join(task.split())[:120]


def close_project(project: Project, owner: User) -> None:
    """The last way out for an owner: the project is archived (it keeps its owner)."""
    _require_owner(project, owner)
    projects.change_status(project, Status.ARCHIVED, owner)


def projects_led_alone(user: User) -> list[Project]:
    """Open projects (not closed) whose only owner is ``user``: deleting the
    account would leave them without a lead, so the person hands over or closes first."""
    other = aliased(Membership)
    others = (
        select(func.count())
        .select_from(other)
        .where(
            other.project_id == Project.id,
            other.role == TeamRole.OWNER,
            other.user_id != user.id,
        )
        .correlate(Project)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Project)
            .join(Membership, Membership.project_id == Project.id)
            .where(
                Membership.user_id == user.id,
                Membership.role == TeamRole.OWNER,
                Project.status != Status.ARCHIVED,
                others == 0,
            )
            .order_by(Project.number)
        )
    )


# --- what the team is looking for --------------------------------------------------


def needs(project: Project) -> list[TeamNeed]:
    return list(
        db.session.scalars(
            select(TeamNeed)
            .where(TeamNeed.project_id == project.id)
            .order_by(TeamNeed.kind, TeamNeed.created_at, TeamNeed.id)
        )
    )


def set_wanted_skills(project: Project, owner: User, raw: str, looking: bool) -> None:
    _require_owner(project, owner)
    project.wanted_skills = normalise_skills(raw)
    project.looking_for_members = looking
    project.search_text, project.search_words = search.index_text(
        project.title, project.pitch, project.description_md, project.wanted_skills
    )
    projects.touch(project)


def add_need(project: Project, owner: User, kind: str, title: str, note: str = "") -> TeamNeed:
    _require_owner(project, owner)
    title = " ".join(title.split())
    if not title:
        raise TeamError(_("Please name the role or resource."), "title")
    if kind not in {k.value for k in NeedKind}:
        raise TeamError(_("Please choose role or resource."), "kind")
    need = TeamNeed(project_id=project.id, kind=NeedKind(kind), title=title[:120], note=note[:300])
    db.session.add(need)
    return need


def remove_need(project: Project, owner: User, ref: str) -> None:
    _require_owner(project, owner)
    need = db.session.scalar(
        select(TeamNeed).where(TeamNeed.project_id == project.id, TeamNeed.ref == ref)
    )
    if need is None:
        raise TeamError(_("This entry does not exist (any more)."))
    db.session.delete(need)


def _skill_matches(column, skills: list[str]):  # type: ignore[no-untyped-def]
    """SQL: the comma-separated ``column`` has one of ``skills`` as a whole entry, any case."""
    padded = func.lower(", " + column + ",")
    clauses = [padded.contains(f", {s.lower()},", autoescape=True) for s in skills if s]
    return or_(*clauses) if clauses else false()


def common_skills(offered: list[str], wanted: list[str]) -> list[str]:
    lowered = {w.lower() for w in wanted}
    return [s for s in offered if s.lower() in lowered]


@dataclass(frozen=True)
class Match:
    person: User
    skills: list[str]


def findable_people(project: Project, limit: int = FINDABLE_LIMIT) -> list[Match]:
    """People who opted in to be found and offer one of the wanted skills; not members."""
    wanted = project.wanted_skill_list
    if not wanted:
        return []
    members = select(Membership.user_id).where(Membership.project_id == project.id)
    people = db.session.scalars(
        select(User)
        .where(
            User.findable.is_(True),
            User.deleted_at.is_(None),
            User.id.not_in(members),
            _skill_matches(User.skills, wanted),
        )
        .order_by(User.display_name, User.id)
        .limit(limit)
    )
    return [Match(person=p, skills=common_skills(p.skill_list, wanted)) for p in people]
