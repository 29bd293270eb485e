"""What can be done with a motion, testable without a request. Callers commit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import func, select

from projektfabrik.api import (
    AccountDeletion,
    Consequence,
    Step,
    StepRefused,
    Workflow,
    _,
    can,
    db,
    emit,
    external_url_for,
    finance_summary,
    format_money,
    is_project_editor,
    local_date,
    ngettext,
    notify,
    plan_snapshot,
    project_followers,
    project_team,
    queue_mail,
    utcnow,
)
from projektfabrik.api import lazy_gettext as _l
from projektfabrik_councilmotion import rules
from projektfabrik_councilmotion.common import NAME, MotionError, settings, town_today
from projektfabrik_councilmotion.models import (
    FINAL_STATES,
    PUBLIC_STATES,
    GroupRequest,
    Motion,
    MotionStep,
    MotionStepped,
    MotionVersion,
    Path,
    Signature,
    SignatureList,
    State,
)
from projektfabrik_councilmotion.signatures import (
    Counts,
    add_list,
    counts,
    duplicates,
    find_list,
    lists_of,
    online_open,
    own_support,
    parse_signers,
    purge_date,
    purge_due,
    required,
    signatures,
    support,
)

__all__ = [
    "NAME",
    "MotionError",
    "settings",
    "town_today",
    "Counts",
    "add_list",
    "counts",
    "duplicates",
    "find_list",
    "lists_of",
    "online_open",
    "own_support",
    "parse_signers",
    "purge_date",
    "purge_due",
    "required",
    "signatures",
    "support",
]

CLERK = "councilmotion.clerk"
TEAM_KIND, CLERK_KIND = "councilmotion.step", "councilmotion.filed"
TEXT_FIELDS = (
    "title",
    "resolution",
    "justification",
    "financial_effects",
    "budget_line",
    "submitters",
)
TEAM, CLERK_ROLE = "team", "clerk"


# --- finding and who is who -----------------------------------------------------------


def find_motion(ref: str) -> Motion | None:
    return db.session.scalar(select(Motion).where(Motion.ref == ref))


def motion_of(project: Any) -> Motion | None:
    return db.session.scalar(
        select(Motion).where(Motion.project_id == project.id).order_by(Motion.id.desc())
    )


def public_motions(state: State | None = None) -> list[Motion]:
    stmt = select(Motion).where(Motion.state.in_(list(PUBLIC_STATES)))
    if state is not None:
        stmt = select(Motion).where(Motion.state == state)
    return list(db.session.scalars(stmt.order_by(Motion.updated_at.desc(), Motion.id.desc())))


def is_clerk(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can(CLERK)


def is_team(motion: Motion, user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_project_editor(
        motion.project, user
    )


def may_view(motion: Motion, user: Any) -> bool:
    return motion.state in PUBLIC_STATES or is_team(motion, user) or is_clerk(user)


def roles_of(motion: Motion, user: Any) -> set[str]:
    roles = set()
    if is_team(motion, user):
        roles.add(TEAM)
    if is_clerk(user):
        roles.add(CLERK_ROLE)
    return roles


# --- the draft --------------------------------------------------------------------------


def _profile_text(profile: dict[str, Any]) -> str:
    labels = [
        ("problem", _("Challenge")),
        ("goal", _("Goal")),
        ("description", _("Description")),
        ("target_groups", _("Target groups")),
        ("effects", _("Effects")),
        ("local_reference", _("Local reference")),
    ]
    return "\n\n".join(
        f"{label}: {str(profile[key]).strip()}" for key, label in labels if profile.get(key)
    )


def financial_text(project: Any) -> str:
    summary = finance_summary(project)
    if not summary.total_costs and not summary.total_financing:
        return ""
    lines = [_("Costs: %(amount)s.", amount=format_money(summary.total_costs))]
    kinds = {
        "own_funds": _("own funds"),
        "third_party": _("third-party funds"),
        "donations": _("donations"),
        "proceeds": _("proceeds"),
        "requested_funding": _("requested from the town"),
    }
    financing = [
        f"{kinds.get(str(kind), str(kind))} {format_money(cents)}"
        for kind, cents in summary.financing_by_kind.items()
        if cents
    ]
    if financing:
        lines.append(_("Financing: %(lines)s.", lines=", ".join(financing)))
    if summary.requested_funding:
        lines.append(
            _(
                "The town's budget would bear %(amount)s.",
                amount=format_money(summary.requested_funding),
            )
        )
    return " ".join(lines)


def prefilled(project: Any) -> dict[str, str]:
    """A first draft from the project: its title and goal, the profile as justification,
    the finance plan's figures, the team as submitters."""
    plan = plan_snapshot(project)
    profile = plan.get("profile") or {}
    goal = str(profile.get("goal") or plan.get("pitch") or "").strip()
    resolution = _(
        "The administration is instructed to carry out the project “%(title)s” "
        "together with its team and to report to the council on its progress.",
        title=project.title,
    )
    if goal and not rules.story_words(goal):  # a story belongs in the justification
        resolution += " " + _("Aim: %(goal)s", goal=goal)
    team = project_team(project)
    return {
        "title": str(project.title)[:200],
        "resolution": resolution,
        "justification": _profile_text(profile) or str(plan.get("pitch") or ""),
        "financial_effects": financial_text(project),
        "budget_line": "",
        "submitters": "\n".join(sorted(u.display_name for u in team)),
    }


def start_draft(project: Any, author: Any) -> Motion:
    existing = motion_of(project)
    if existing is not None and existing.state not in FINAL_STATES:
        return existing
    motion = Motion(project_id=project.id, project=project, **prefilled(project))
    db.session.add(motion)
    db.session.flush()
    _keep_version(motion, author)
    return motion


def text_of(motion: Motion) -> dict[str, str]:
    return {name: getattr(motion, name) or "" for name in TEXT_FIELDS}


def _keep_version(motion: Motion, author: Any, restored_from: int | None = None) -> None:
    db.session.add(
        MotionVersion(
            motion_id=motion.id,
            number=motion.version,
            data=text_of(motion),
            author_id=getattr(author, "id", None),
            restored_from=restored_from,
        )
    )


def save_text(motion: Motion, author: Any, data: dict[str, str], expected: int) -> bool:
    """Save the team's text as a new version; ``expected`` is the version the person
    started from (someone else's save in between is refused, nothing is lost: the
    form keeps what they typed). Returns whether anything changed."""
    if motion.state != State.DRAFT:
        raise MotionError(_("The motion has left the draft stage and can no longer be changed."))
    if expected != motion.version:
        raise MotionError(
            _(
                "Someone else saved the motion in the meantime (version %(number)s). "
                "Your text is still in the form: compare it with the current one and save again.",
                number=motion.version,
            )
        )
    new = {name: (data.get(name) or "").strip() for name in TEXT_FIELDS}
    if new == text_of(motion):
        return False
    for name, value in new.items():
        setattr(motion, name, value)
    motion.version += 1
    motion.updated_at = utcnow()
    _keep_version(motion, author)
    return True


def versions(motion: Motion) -> list[MotionVersion]:
    return list(
        db.session.scalars(
            select(MotionVersion)
            .where(MotionVersion.motion_id == motion.id)
            .order_by(MotionVersion.number.desc())
        )
    )


def restore(motion: Motion, author: Any, number: int, expected: int) -> None:
    old = db.session.scalar(
        select(MotionVersion).where(
            MotionVersion.motion_id == motion.id, MotionVersion.number == number
        )
    )
    if old is None:
        raise MotionError(_("This version does not exist."))
    if not save_text(motion, author, dict(old.data), expected):
        return
    latest = versions(motion)[0]
    latest.restored_from = number


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def problems(motion: Motion | dict[str, str]) -> list[Problem]:
    """What keeps the draft from going further: missing parts, lengths over the
    town's limits, a text to vote on that tells a story instead of deciding."""
    text = motion if isinstance(motion, dict) else text_of(motion)
    rules_ = settings()
    found = []
    required = {
        "title": _("The motion needs a title."),
        "resolution": _("The motion needs the text the council votes on."),
        "justification": _("The motion needs a justification."),
        "submitters": _("Name at least one submitter."),
    }
    for name, message in required.items():
        if not (text.get(name) or "").strip():
            found.append(Problem(name, message))
    limits = {
        "title": rules_["max_title"],
        "resolution": rules_["max_resolution"],
        "justification": rules_["max_justification"],
    }
    for name, limit in limits.items():
        length = len((text.get(name) or "").strip())
        if limit and length > int(limit):
            found.append(
                Problem(
                    name,
                    ngettext(
                        "At most %(num)d character (now %(length)s).",
                        "At most %(num)d characters (now %(length)s).",
                        int(limit),
                        length=length,
                    ),
                )
            )
    resolution = text.get("resolution") or ""
    words = rules.story_words(resolution)
    if words:
        found.append(
            Problem(
                "resolution",
                _(
                    "The text to vote on should say what the council decides, not tell "
                    "what the team did or wants (“%(words)s”). Put reasons and stories "
                    "into the justification.",
                    words=", ".join(words),
                ),
            )
        )
    if "?" in resolution:
        found.append(
            Problem("resolution", _("The text to vote on is a decision: it asks no questions."))
        )
    return found


# --- the way to the council ------------------------------------------------------------


def _checks_pass(motion: Motion) -> bool:
    return not problems(motion)


def _group_offered(motion: Motion) -> bool:
    return bool(settings()["offer_group"]) and _checks_pass(motion)


def _residents_offered(motion: Motion) -> bool:
    return bool(settings()["offer_residents"]) and _checks_pass(motion)


def _nothing_collected(motion: Motion) -> bool:
    """A motion goes back to the draft only while no one has signed or supported its text."""
    lists = db.session.scalar(
        select(func.count(SignatureList.id)).where(SignatureList.motion_id == motion.id)
    )
    signed = db.session.scalar(
        select(func.count(Signature.id)).where(Signature.motion_id == motion.id)
    )
    return not lists and not signed


#: The clerks' steps, from receipt to the council's decision: (step, from, to, label).
_DECIDABLE = (State.ADMISSIBLE, State.REFERRED, State.ON_AGENDA)
_CLERK_STEPS = (
    ("receive", (State.FILED,), State.RECEIVED, _l("Received")),
    ("admit", (State.RECEIVED,), State.ADMISSIBLE, _l("Admissible")),
    ("refuse", (State.RECEIVED,), State.INADMISSIBLE, _l("Not admissible")),
    ("refer", (State.ADMISSIBLE,), State.REFERRED, _l("Referred to a committee")),
    (
        "agenda",
        (State.ADMISSIBLE, State.REFERRED),
        State.ON_AGENDA,
        _l("On the agenda of a session"),
    ),
    ("accept", _DECIDABLE, State.ACCEPTED, _l("Decided: accepted")),
    ("change", _DECIDABLE, State.CHANGED, _l("Decided: accepted with changes")),
    ("reject", _DECIDABLE, State.REJECTED, _l("Decided: rejected")),
)

WORKFLOW = Workflow(
    states=[s.value for s in State],
    steps=[
        Step(
            "send",
            [State.DRAFT],
            State.SENT,
            roles={TEAM},
            label=_l("Send to council groups"),
            guard=_group_offered,
            refusal=_l("Fix the points listed under “Checks” first."),
        ),
        Step(
            "collect",
            [State.DRAFT],
            State.COLLECTING,
            roles={TEAM},
            label=_l("Start collecting signatures"),
            guard=_residents_offered,
            refusal=_l("Fix the points listed under “Checks” first."),
        ),
        Step(
            "withdraw",
            [State.SENT, State.COLLECTING],
            State.DRAFT,
            roles={TEAM},
            label=_l("Take the motion back to change it"),
            guard=_nothing_collected,
            refusal=_l("Signatures were collected for this text: it can no longer change."),
        ),
        Step("file", [State.CARRIED, State.COLLECTING], State.FILED, roles={TEAM}, label=_l("File the motion")),
        *(
            Step(name, sources, to, roles={CLERK_ROLE}, label=label)
            for name, sources, to, label in _CLERK_STEPS
        ),
    ],
)  # fmt: skip

#: Steps whose note is required, with the message when it is missing.
NOTE_REQUIRED = {
    State.INADMISSIBLE: _l("Please give the reason why the motion is not admissible."),
    State.REFERRED: _l("Please name the committee."),
    State.ON_AGENDA: _l("Please name the session."),
}


def state_label(state: State | str) -> str:
    labels = {
        State.DRAFT: _("Draft"),
        State.SENT: _("Sent to council groups"),
        State.CARRIED: _("Carried by a council group"),
        State.COLLECTING: _("Collecting signatures"),
        State.FILED: _("Filed"),
        State.RECEIVED: _("Received by the town"),
        State.ADMISSIBLE: _("Admissible"),
        State.INADMISSIBLE: _("Not admissible"),
        State.REFERRED: _("Referred to a committee"),
        State.ON_AGENDA: _("On the agenda"),
        State.ACCEPTED: _("Accepted"),
        State.REJECTED: _("Rejected"),
        State.CHANGED: _("Accepted with changes"),
    }
    return labels[State(state)]


def next_steps(motion: Motion, user: Any) -> list[Step]:
    return list(WORKFLOW.next_steps(motion.state.value, roles_of(motion, user), motion))


def clerk_steps(motion: Motion, user: Any) -> list[Step]:
    """The clerk's next steps (a town admin who is also on the team files as the team)."""
    return [s for s in next_steps(motion, user) if CLERK_ROLE in s.roles]


def take_step(
    motion: Motion,
    user: Any,
    target: State,
    *,
    on: date | None = None,
    note: str = "",
    link: str = "",
) -> MotionStep:
    """Move the motion one step (refused with a message when the person may not, or
    the motion is not there), record it and tell the team and the project's followers."""
    check(motion, user, target)
    note, link = note.strip(), link.strip()
    if target in NOTE_REQUIRED and not note:
        raise MotionError(str(NOTE_REQUIRED[target]), "note")
    if link and not link.startswith(("https://", "http://")):
        raise MotionError(_("A link starts with https:// or http://."), "link")
    return _record(motion, user, target, on=on, note=note, link=link)


def _record(
    motion: Motion, user: Any, target: State, *, on: date | None, note: str = "", link: str = ""
) -> MotionStep:
    motion.state = target
    motion.updated_at = utcnow()
    if target == State.FILED:
        motion.filed_at = utcnow()
    if target == State.DRAFT:
        motion.path = None
        motion.collect_until = None
    if target == State.COLLECTING:
        motion.collect_until = town_today() + timedelta(days=int(settings()["collection_days"]))
    step = MotionStep(
        motion_id=motion.id,
        state=target,
        on=on or town_today(),
        note=note[:5000],
        link=link[:500],
        by_id=getattr(user, "id", None),
    )
    db.session.add(step)
    motion.steps.append(step)
    emit(MotionStepped(motion_ref=motion.ref, state=target.value))
    tell_people(motion, target, exclude=user if getattr(user, "is_authenticated", False) else None)
    if target == State.FILED:
        tell_clerks(motion)
    return step


def tell_people(motion: Motion, target: State, exclude: Any = None) -> int:
    """The team and the project's followers (not for a draft: they cannot see it),
    as each chose for the kind."""
    project = motion.project
    followers = project_followers(project) if target in PUBLIC_STATES else []
    people = {u.id: u for u in [*project_team(project), *followers]}
    return notify(
        list(people.values()),
        TEAM_KIND,
        lambda: _(
            "Council motion “%(title)s”: %(state)s",
            title=motion.title,
            state=state_label(target),
        ),
        url_for("councilmotion.motion", ref=motion.ref),
        exclude=exclude,
    )


def clerks() -> list[Any]:
    from projektfabrik.api import Role, User

    return list(db.session.scalars(select(User).where(User.role == Role.ADMIN)))


def tell_clerks(motion: Motion) -> int:
    return notify(
        clerks(),
        CLERK_KIND,
        lambda: _("A council motion was filed: %(title)s", title=motion.title),
        url_for("councilmotion.clerk_motion", ref=motion.ref),
    )


def council_deadline(motion: Motion) -> date | None:
    """The day by which the council must deal with a filed residents' motion (the
    town's number of months after filing; 0: the town's rules set none)."""
    months = int(settings()["council_deadline_months"] or 0)
    if motion.path != Path.RESIDENTS or motion.filed_at is None or not months:
        return None
    filed = local_date(motion.filed_at)
    return rules.add_months(filed, months) if filed is not None else None


def set_paper(motion: Motion, reference: str, url: str) -> None:
    url = url.strip()
    if url and not url.startswith(("https://", "http://")):
        raise MotionError(_("A link starts with https:// or http://."), "paper_url")
    motion.paper_reference = reference.strip()[:100]
    motion.paper_url = url[:500]


# --- council groups ---------------------------------------------------------------------


def groups() -> list[rules.CouncilGroup]:
    return rules.council_groups(str(settings()["council_groups"]))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def send_to_groups(motion: Motion, user: Any, names: Iterable[str]) -> list[GroupRequest]:
    """Send the draft to the chosen groups: each gets a mail with its own link, which
    shows the motion without an account and lets a member take it on."""
    chosen = [g for g in groups() if g.name in set(names)]
    if not chosen:
        raise MotionError(_("Choose at least one council group."), "groups")
    sent = []
    for group in chosen:
        token = secrets.token_urlsafe(24)
        request = GroupRequest(
            motion_id=motion.id,
            group_name=group.name,
            group_email=group.email,
            token_hash=token_hash(token),
        )
        db.session.add(request)
        sent.append(request)
        link = external_url_for("councilmotion.group_view", token=token)
        queue_mail(
            group.email,
            _("Request to carry a council motion: %(title)s", title=motion.title),
            _(
                "Hello,\n\nthe team of the project “%(project)s” asks your council group "
                "%(group)s to carry this motion into the council. Read it and take it "
                "on here (no account needed):\n\n%(link)s\n",
                project=motion.project.title,
                group=group.name,
                link=link,
            ),
        )
    if motion.state == State.DRAFT:
        take_step(motion, user, State.SENT, note=", ".join(g.name for g in chosen))
    return sent


def group_requests(motion: Motion) -> list[GroupRequest]:
    return list(
        db.session.scalars(
            select(GroupRequest)
            .where(GroupRequest.motion_id == motion.id)
            .order_by(GroupRequest.id)
        )
    )


def find_group_request(token: str) -> GroupRequest | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(GroupRequest).where(GroupRequest.token_hash == token_hash(token))
    )


def take_on(request: GroupRequest, member_name: str) -> Motion:
    motion = db.session.get(Motion, request.motion_id)
    assert motion is not None
    name = member_name.strip()
    if not name:
        raise MotionError(_("Please give your name."), "name")
    if motion.state not in (State.SENT, State.CARRIED):
        raise MotionError(_("This motion is no longer waiting for a council group."))
    if request.accepted_at is None:
        request.accepted_at = utcnow()
        request.accepted_by = name[:200]
    if motion.state == State.SENT:
        _record(
            motion,
            None,
            State.CARRIED,
            on=None,
            note=_("%(group)s (%(name)s)", group=request.group_name, name=request.accepted_by),
        )
    return motion


def start_collecting(motion: Motion, user: Any) -> None:
    take_step(motion, user, State.COLLECTING)
    motion.path = Path.RESIDENTS


def check(motion: Motion, user: Any, target: State) -> None:
    """Refuse (``MotionError``, in the person's language) a step they may not take now."""
    try:
        WORKFLOW.check(motion.state.value, target.value, roles_of(motion, user), motion)
    except StepRefused as refused:
        raise MotionError(refused.message) from None


def send(motion: Motion, user: Any, names: Iterable[str]) -> None:
    check(motion, user, State.SENT)
    motion.path = Path.GROUP
    send_to_groups(motion, user, names)


def may_edit(motion: Motion, user: Any) -> bool:
    return motion.state == State.DRAFT and is_team(motion, user)


def marketplace_states() -> list[State]:
    return [s for s in State if s in PUBLIC_STATES]


#: The marketplace filter's choice "any motion beyond the draft".
ANY = "alle"


def any_label() -> str:
    return _("With a motion, any state")


def projects_with_motion(value: str) -> Any:
    """The ids of projects with a public motion in state ``value`` (``ANY``: any)."""
    stmt = select(Motion.project_id)
    if value == ANY:
        return stmt.where(Motion.state.in_(list(PUBLIC_STATES)))
    return stmt.where(Motion.state == State(value))


# --- deleting an account ------------------------------------------------------------------


def account_deletion(user: Any) -> AccountDeletion:
    """Online support of a motion still collecting goes with the account (it is no
    legal signature); support of a filed motion stays with the clerks who check it
    until the town's deadline deletes it."""
    rows = list(
        db.session.scalars(
            select(Signature)
            .where(
                Signature.user_id == user.id,
                Signature.list_id.is_(None),
                Signature.purged.is_(False),
            )
            .order_by(Signature.id)
        )
    )
    motions = {
        m.id: m
        for m in db.session.scalars(
            select(Motion).where(Motion.id.in_([r.motion_id for r in rows]))
        )
    }
    going = [r for r in rows if motions[r.motion_id].state == State.COLLECTING]
    staying = [r for r in rows if motions[r.motion_id].state != State.COLLECTING]

    def delete() -> None:
        for row in going:
            db.session.delete(row)
        for row in staying:
            row.user_id = None

    return AccountDeletion(
        order=65,
        deletes=tuple(
            Consequence(
                _(
                    "Your online support of the motion “%(title)s”",
                    title=motions[r.motion_id].title,
                )
            )
            for r in going
        ),
        keeps=tuple(
            Consequence(
                _(
                    "Your online support of the filed motion “%(title)s”: the town's "
                    "clerks check it and delete it after their deadline.",
                    title=motions[r.motion_id].title,
                )
            )
            for r in staying
        ),
        delete=delete,
    )
