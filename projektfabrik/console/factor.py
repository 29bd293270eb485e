"""The operators' second factor: a TOTP code, or one of ten single-use recovery codes.

Every operator has one from the moment the account is created (``projektfabrik
operator create`` shows the secret and the recovery codes once, at the shell).
The secret is stored encrypted with a key derived from ``SECRET_KEY`` for that
operator; the codes themselves are :mod:`projektfabrik.totp`'s, as for the
towns' accounts.
"""

from __future__ import annotations

import hmac

from sqlalchemy import delete, select

from projektfabrik import totp
from projektfabrik.console.models import Operator, OperatorRecoveryCode
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.plugins import secrets as encrypted

RECOVERY_CODES = 10
_PURPOSE = "console-second-factor"
#: Operators are no town's: their keys are derived for "town" 0.
_NO_TOWN = 0


def new_secret(operator: Operator) -> str:
    """Give the operator a new TOTP secret; returns it in plain (to show once)."""
    secret = totp.new_secret()
    token = encrypted.encrypt(_NO_TOWN, _PURPOSE, operator.email, secret)
    operator.totp_secret = token[encrypted.MARKER]
    operator.totp_last_step = None
    return secret


def provisioning_uri(operator: Operator, secret: str) -> str:
    return totp.provisioning_uri(secret, operator.email, "Projektfabrik")


def _secret(operator: Operator) -> str | None:
    try:
        value = encrypted.decrypt(
            _NO_TOWN, _PURPOSE, operator.email, {encrypted.MARKER: operator.totp_secret}
        )
    except encrypted.SecretUnreadable:
        return None
    return str(value)


def check_code(operator: Operator, code: str, now: float | None = None) -> bool:
    """A current TOTP code not used before; remembers its step when it matches."""
    secret = _secret(operator)
    step = totp.matching_step(secret, code, operator.totp_last_step, now) if secret else None
    if step is None:
        return False
    operator.totp_last_step = step
    return True


def new_recovery_codes(operator: Operator) -> list[str]:
    """Replace the operator's recovery codes; the plain codes are returned once."""
    db.session.execute(
        delete(OperatorRecoveryCode).where(OperatorRecoveryCode.operator_id == operator.id)
    )
    codes = [totp.new_recovery_code() for _i in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(
            OperatorRecoveryCode(operator_id=operator.id, code_hash=totp.hash_code(code))
        )
    return codes


def use_recovery_code(operator: Operator, code: str) -> bool:
    wanted = totp.hash_code(code)
    unused = db.session.scalars(
        select(OperatorRecoveryCode).where(
            OperatorRecoveryCode.operator_id == operator.id, OperatorRecoveryCode.used_at.is_(None)
        )
    )
    for row in unused:
        if hmac.compare_digest(row.code_hash, wanted):
            row.used_at = utcnow()
            return True
    return False
