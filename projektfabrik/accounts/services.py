"""Account operations, testable without a request.

Functions here change the session but never commit: the caller decides the
transaction, so a mail queued here is committed together with the change.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from projektfabrik.accounts import sessions
from projektfabrik.accounts.guards import MAILS_PER_ADDRESS
from projektfabrik.accounts.models import Kind, RecoveryCode, Role, SsoIdentity, User
from projektfabrik.accounts.passwords import (
    hash_password,
    needs_rehash,
    verify_dummy,
    verify_password,
)
from projektfabrik.accounts.tokens import Purpose, make_token
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.outbox import queue_mail
from projektfabrik.refusal import Refusal
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import external_url_for


class AccountError(Refusal):
    """Account management refused input; see ``projektfabrik.refusal``."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_by_ref(ref: str) -> User | None:
    return db.session.scalar(select(User).where(User.ref == ref, User.deleted_at.is_(None)))


def _locale_for(user: User) -> str:
    return user.locale or current_tenant().default_locale or "de"


def send_templated_mail(
    user: User, template: str, recipient: str | None = None, **context: Any
) -> None:
    """Render ``mail/<template>.txt`` in the recipient's language and queue it."""
    with force_locale(_locale_for(user)):
        body = render_template(
            f"mail/{template}.txt", user=user, tenant=current_tenant(), **context
        )
        subject, _sep, text = body.partition("\n\n")
    queue_mail(recipient or user.email, subject.strip(), text.strip() + "\n")


def register(display_name: str, email: str, password: str, kind: str, locale: str | None) -> User:
    """Create an unverified account and queue the verification mail.

    An address that already has an account gets a mail saying so instead, so
    the form never reveals who is registered. Both ways do the same work (one
    password hash, one mail rendered and queued, after the response), so the
    time the answer takes reveals nothing either; mails to one address are
    limited (``guards.MAILS_PER_ADDRESS``).
    """
    if Kind(kind) == Kind.ADMINISTRATION:
        raise AccountError(_staff_only(), "kind")
    check_display_name(display_name)
    email = normalise_email(email)
    password_hash = hash_password(password)  # on both paths: the costly part
    may_mail = MAILS_PER_ADDRESS.hit(email)
    existing = find_by_email(email)
    if existing is not None:
        if may_mail:
            send_templated_mail(
                existing, "already_registered", login_url=external_url_for("accounts.login")
            )
        return existing
    user = User(
        display_name=display_name.strip(),
        email=email,
        password_hash=password_hash,
        kind=Kind(kind),
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    if may_mail:
        send_verification(user)
    return user


def resend_verification(email: str) -> None:
    """Send the confirmation link again, if the address has an unconfirmed account."""
    if not MAILS_PER_ADDRESS.hit(email):
        return
    user = find_by_email(email)
    if user is not None and user.is_active and not user.is_verified:
        send_verification(user)


def send_verification(user: User) -> None:
    token = make_token(user, Purpose.VERIFY_EMAIL)
    send_templated_mail(user, "verify_email", url=external_url_for("accounts.verify", token=token))


def mark_verified(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None or not user.is_active:
        verify_dummy(password)  # same work either way
        return None
    if not verify_password(user.password_hash, password):
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link if the address has an account; say nothing either way."""
    if not MAILS_PER_ADDRESS.hit(email):
        return
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    token = make_token(user, Purpose.RESET_PASSWORD)
    send_templated_mail(
        user, "reset_password", url=external_url_for("accounts.reset_password", token=token)
    )


def request_sign_in_link(email: str) -> None:
    """Mail a one-time sign-in link if the address has a confirmed account; say nothing either way."""
    if not MAILS_PER_ADDRESS.hit(email):
        return
    user = find_by_email(email)
    if user is None or not user.is_active or not user.is_verified:
        return
    token = make_token(user, Purpose.SIGN_IN)
    send_templated_mail(
        user, "sign_in_link", url=external_url_for("accounts.sign_in_with_link", token=token)
    )


def set_password(user: User, password: str) -> None:
    """Set a new password; every other session of the account ends."""
    user.password_hash = hash_password(password)
    sessions.end_all(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_("The current password is not correct."), "current_password")
    set_password(user, new_password)


def request_email_change(user: User, current_password: str, new_email: str) -> None:
    """Mail a confirmation link to the new address; the address changes when it is opened.

    Whether another account uses the new address is not said here (that would
    let anyone with an account test addresses): its owner gets a mail saying
    so instead, and opening a link to a taken address changes nothing.
    """
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_("The current password is not correct."), "current_password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError(_("This is already your e-mail address."), "email")
    if not MAILS_PER_ADDRESS.hit(new_email):
        return
    holder = find_by_email(new_email)
    if holder is not None:
        send_templated_mail(
            holder,
            "already_registered",
            login_url=external_url_for("accounts.login"),
        )
        return
    token = make_token(user, Purpose.CHANGE_EMAIL, email=new_email)
    send_templated_mail(
        user,
        "change_email",
        recipient=new_email,
        new_email=new_email,
        url=external_url_for("accounts.confirm_email_change", token=token),
    )


def confirm_email_change(user: User, new_email: str) -> None:
    if find_by_email(new_email) is not None:
        raise AccountError(_("Another account uses this e-mail address."))
    old_email = user.email
    user.email = new_email
    user.email_verified_at = utcnow()
    sessions.end_all(user)
    send_templated_mail(user, "email_changed", recipient=old_email, new_email=new_email)


# --- staff of the town's administration ------------------------------------


def _staff_only() -> str:
    return _("Only the town's administrators can mark someone as staff of the administration.")


def _name_key(name: str) -> str:
    """Names that look the same compare the same: compatibility forms, case, spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def check_display_name(name: str, user: User | None = None) -> None:
    """Refuse a name equal to a confirmed staff member's (someone posing as the town)."""
    key = _name_key(name)
    query = select(User.display_name).where(
        User.staff_confirmed_at.is_not(None), User.deleted_at.is_(None)
    )
    if user is not None and user.id is not None:
        query = query.where(User.id != user.id)
    if any(_name_key(taken) == key for taken in db.session.scalars(query)):
        raise AccountError(
            _(
                "A confirmed member of the town's administration has this name. "
                "Please choose another one, e.g. with your second name or initial."
            ),
            "display_name",
        )


def confirm_staff(user: User, organisation: str) -> None:
    """The town's admin confirms ``user`` as staff of ``organisation`` (an office)."""
    organisation = " ".join(organisation.split())
    if not organisation:
        raise AccountError(_("Please enter the office or organisation."), "organisation")
    if not user.is_active:
        raise AccountError(_("No account in this town uses this address."), "email")
    user.kind = Kind.ADMINISTRATION
    user.staff_confirmed_at = utcnow()
    user.confirmed_organisation = organisation[:200]


def confirm_organisation(user: User, organisation: str) -> None:
    """The town's admin confirms that a business account speaks for ``organisation``
    (a club, a company): its name is then shown with the "confirmed" badge."""
    organisation = " ".join(organisation.split())
    if not organisation:
        raise AccountError(_("Please enter the office or organisation."), "organisation")
    if not user.is_active or user.kind != Kind.BUSINESS:
        raise AccountError(
            _("Only accounts of businesses and organisations can be confirmed as one."),
            "organisation",
        )
    user.staff_confirmed_at = utcnow()
    user.confirmed_organisation = organisation[:200]


def revoke_organisation(user: User) -> None:
    user.staff_confirmed_at = None
    user.confirmed_organisation = ""


def revoke_staff(user: User) -> None:
    user.kind = Kind.CITIZEN
    user.staff_confirmed_at = None
    user.confirmed_organisation = ""


def confirmed_staff() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.staff_confirmed_at.is_not(None), User.deleted_at.is_(None))
            .order_by(User.display_name, User.id)
        )
    )


@dataclass(frozen=True)
class ProfileChanges:
    display_name: str
    kind: str
    organisation: str
    district_id: int | None
    skills: str
    bio: str
    findable: bool = False


def normalise_skills(raw: str) -> str:
    """Comma-separated, trimmed, without duplicates (case-insensitive), order kept."""
    seen: dict[str, str] = {}
    for part in raw.split(","):
        skill = " ".join(part.split())
        if skill and skill.lower() not in seen:
            seen[skill.lower()] = skill
    return ", ".join(seen.values())


def update_profile(user: User, changes: ProfileChanges) -> None:
    check_display_name(changes.display_name, user)
    kind = Kind(changes.kind)
    if user.is_confirmed_staff:
        kind = Kind.ADMINISTRATION  # only the town's admin takes it back
    elif kind == Kind.ADMINISTRATION:
        raise AccountError(_staff_only(), "kind")
    if user.is_confirmed_organisation and kind != Kind.BUSINESS:
        revoke_organisation(user)  # the confirmation was for a business account
    user.display_name = changes.display_name.strip()
    user.kind = kind
    user.organisation = changes.organisation.strip()
    user.district_id = changes.district_id
    user.skills = normalise_skills(changes.skills)
    user.findable = changes.findable
    user.bio = changes.bio.strip()


def export_data(user: User) -> str:
    """Everything the platform keeps about a person, as JSON (GDPR Art. 15 and 20)."""
    from projektfabrik.accounts.personal_data import export_data as export

    return export(user)


def deletion_plan(user: User) -> Any:
    """What deleting the account means: what blocks it, what the town keeps, what goes.

    Gathered from every enabled plugin's ``pf_account_deletion`` (the teams area
    names projects the person leads alone; funding its applications).
    """
    from projektfabrik.plugins.runtime import account_deletion

    return account_deletion(user)


def delete_account(user: User, current_password: str, provider_confirmed: bool = False) -> None:
    """Anonymise the account: personal data goes, what the person wrote stays.

    Refused while the person is the town's only admin or leads a project alone;
    what plugins say goes with the account is deleted in the same transaction.
    An account without a password (made by the town's identity provider)
    confirms with a fresh sign-in there instead (``provider_confirmed``).
    """
    if user.password_hash is None:
        if not provider_confirmed:
            raise AccountError(
                _(
                    "Please log in again with the town's staff account first; then you "
                    "have ten minutes to delete your account."
                )
            )
    elif not verify_password(user.password_hash, current_password):
        raise AccountError(_("The current password is not correct."), "current_password")
    if user.role == Role.ADMIN and count_admins() <= 1:
        raise AccountError(
            _("You are the only administrator. Make someone else an administrator first.")
        )
    plan = deletion_plan(user)
    if plan.blockers:
        raise AccountError(
            _("Please settle the points listed above first; then you can delete your account.")
        )
    plan.run()
    anonymise(user)


def anonymise(user: User) -> None:
    user.email = f"deleted-{user.ref}@invalid"
    user.display_name = _("Deleted account")
    user.password_hash = None
    user.organisation = ""
    user.skills = ""
    user.findable = False
    user.bio = ""
    user.district_id = None
    user.avatar_file = None
    user.locale = None
    user.role = Role.MEMBER
    revoke_staff(user)
    user.deleted_at = utcnow()
    sessions.end_all(user)
    # The second factor and the link to the town's provider go too: the person
    # may sign in through the provider again and gets a new, empty account.
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SsoIdentity).where(SsoIdentity.user_id == user.id))


def count_admins() -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN, User.deleted_at.is_(None))
        )
        or 0
    )


def create_user(
    email: str,
    password: str | None,
    role: Role = Role.MEMBER,
    display_name: str | None = None,
    verified: bool = True,
    kind: Kind = Kind.CITIZEN,
) -> User:
    """Operator path: an account that needs no verification round-trip."""
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError(_("Please enter a valid e-mail address."), "email") from exc
    if find_by_email(email) is not None:
        raise AccountError(_("Another account uses this e-mail address."), "email")
    user = User(
        email=email,
        password_hash=hash_password(password) if password else None,
        # No name invented from the address: the person gives one when accepting.
        display_name=(display_name or "").strip(),
        role=role,
        kind=kind,
        email_verified_at=utcnow() if verified else None,
        # The operator creates the account: a staff kind given here is confirmed.
        staff_confirmed_at=utcnow() if kind == Kind.ADMINISTRATION else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def invite(user: User) -> str:
    """Queue an invitation mail whose link lets the person choose a password; return the link."""
    token = make_token(user, Purpose.INVITATION)
    url = external_url_for("accounts.accept_invitation", token=token)
    send_templated_mail(user, "invitation", url=url)
    return url
