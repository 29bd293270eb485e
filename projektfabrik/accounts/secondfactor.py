"""A second factor for signing in: TOTP codes from an authenticator app, and
recovery codes for the day the phone is lost.

- The TOTP secret is stored encrypted (``plugins/secrets.py``'s scheme: a
  Fernet key derived from ``SECRET_KEY`` for this town, this purpose and this
  account), so a copy of the database does not give the codes away.
- A code works once: the account keeps the last time step it accepted and
  refuses that step and every earlier one (RFC 6238, section 5.2).
- Recovery codes are random (40 bits each, and wrong codes are limited),
  shown once and stored as SHA-256; each works once.
- Wrong codes are counted per account (``WRONG_CODES``); past the limit no
  code is checked for the rest of the quarter hour.

Functions change the session and never commit.
"""

from __future__ import annotations

import hmac
import logging

import segno
from flask_babel import gettext as _
from sqlalchemy import delete, select

from projektfabrik import totp, workercache
from projektfabrik.accounts.models import RecoveryCode, Role, SignInSettings, User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.plugins import secrets as encrypted
from projektfabrik.refusal import Refusal
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.throttle import Throttle

log = logging.getLogger(__name__)

#: Wrong codes (TOTP or recovery) for one account, from anywhere.
WRONG_CODES = Throttle("second-factor", "5 per 15 minutes")
RECOVERY_CODES = 10
_PURPOSE = "core-second-factor"


class SecondFactorError(Refusal):
    """A code was wrong, used, or the limit of wrong codes is reached."""


def _encrypt(user: User, secret: str) -> str:
    token = encrypted.encrypt(user.tenant_id, _PURPOSE, user.ref, secret)
    return token[encrypted.MARKER]


def _decrypt(user: User) -> str | None:
    """The secret, or ``None`` when it cannot be read here (``SECRET_KEY``
    changed, or the town was moved): then no code matches, and an admin of the
    town resets the second factor."""
    if user.totp_secret is None:
        return None
    try:
        value = encrypted.decrypt(
            user.tenant_id, _PURPOSE, user.ref, {encrypted.MARKER: user.totp_secret}
        )
    except encrypted.SecretUnreadable:
        log.error("second factor of %s cannot be decrypted", user.ref)
        return None
    return str(value)


def settings() -> SignInSettings | None:
    """The current town's sign-in settings (no row: no SSO, nothing required)."""
    return db.session.scalar(select(SignInSettings))


def settings_for_update() -> SignInSettings:
    row = settings()
    if row is None:
        row = SignInSettings(
            require_second_factor=False,
            sso_enabled=False,
            sso_group_claim="groups",
            sso_provider_mfa=False,
            sso_trust_email=False,
        )
        db.session.add(row)
    return row


def required_for(user: User) -> bool:
    """Whether the town requires a second factor of this person (its admins and
    moderators, when the town's admin switched the requirement on)."""
    if user.role not in (Role.ADMIN, Role.MODERATOR):
        return False
    # Asked on every page an admin sees: kept per worker until the town changes.
    return workercache.town_value("accounts.second-factor-required", _required)


def _required() -> bool:
    row = settings()
    return bool(row and row.require_second_factor)


def start_setup(user: User) -> str:
    """A new secret for the account (not active until a code confirms it)."""
    secret = totp.new_secret()
    user.totp_secret = _encrypt(user, secret)
    user.totp_enabled_at = None
    user.totp_last_step = None
    return secret


def pending_secret(user: User) -> str | None:
    """The secret being set up, to show again beside the form."""
    if user.totp_secret is None or user.has_second_factor:
        return None
    return _decrypt(user)


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return totp.provisioning_uri(secret, user.email, current_tenant().name)


def _check_totp(user: User, code: str, now: float | None = None) -> bool:
    secret = _decrypt(user)
    if secret is None:
        return False
    step = totp.matching_step(secret, code, user.totp_last_step, now)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes; the plain codes are returned once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _i in range(RECOVERY_CODES):
        code = totp.new_recovery_code()
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user.id, code_hash=totp.hash_code(code)))
    return codes


def unused_recovery_codes(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def _use_recovery_code(user: User, code: str) -> bool:
    wanted = totp.hash_code(code)
    for row in db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ):
        if hmac.compare_digest(row.code_hash, wanted):
            row.used_at = utcnow()
            return True
    return False


def _limited(user: User) -> None:
    if not WRONG_CODES.allowed(user.ref):
        raise SecondFactorError(
            _("Too many wrong codes. Please wait a quarter of an hour and try again."), "code"
        )


def confirm_setup(user: User, code: str, now: float | None = None) -> list[str]:
    """Turn the second factor on once a code from the app proves it is set up;
    returns the new recovery codes (to show once)."""
    if user.totp_secret is None or user.has_second_factor:
        raise SecondFactorError(_("Please start the set-up again."), "code")
    _limited(user)
    if not _check_totp(user, code, now):
        WRONG_CODES.hit(user.ref)
        raise SecondFactorError(
            _("This code is not correct. Please enter the code your app shows now."), "code"
        )
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(user)


def verify(user: User, code: str, now: float | None = None) -> str:
    """Check a code at sign-in: a TOTP code or a recovery code. Returns which
    one worked ("totp" or "recovery"); raises :class:`SecondFactorError`."""
    _limited(user)
    if _check_totp(user, code, now):
        return "totp"
    if len(totp.clean(code)) == 10 and _use_recovery_code(user, code):
        return "recovery"
    WRONG_CODES.hit(user.ref)
    raise SecondFactorError(
        _("This code is not correct or was used already. Please enter a new code."), "code"
    )


def disable(user: User) -> None:
    """Turn the second factor off (the person themselves, or an admin's reset)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def people_it_concerns() -> list[User]:
    """The town's admins and moderators, for the admin's sign-in page."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.ADMIN, Role.MODERATOR]), User.deleted_at.is_(None))
            .order_by(User.display_name)
        )
    )


def qr_svg(uri: str) -> str:
    """The set-up address as a QR code (an SVG data URI for an ``<img>``)."""
    return str(
        segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")
    )


def reset_by_admin(person: User) -> None:
    """Another admin switches the second factor off (lost phone and codes); the
    person is told by mail, so a reset they did not ask for is noticed."""
    from projektfabrik.accounts.services import send_templated_mail
    from projektfabrik.tenancy.links import external_url_for

    disable(person)
    send_templated_mail(
        person,
        "second_factor_reset",
        url=external_url_for("accounts.second_factor_settings"),
    )
