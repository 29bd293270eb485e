"""The operators' second factor: a TOTP code, or one of ten single-use recovery codes.

Every operator has one from the moment the account is created (``projektfabrik
operator create`` shows the secret and the recovery codes once, at the shell).
The secret is stored encrypted with a key derived from ``SECRET_KEY`` for that
operator; a code works once (the last accepted time step is kept); recovery
codes are stored as SHA-256 (they are random, 40 bits, and wrong codes are
limited).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
from sqlalchemy import delete, select

from projektfabrik.console.models import Operator, OperatorRecoveryCode
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.plugins import secrets as encrypted

RECOVERY_CODES = 10
#: Phones' clocks drift: the step before and after the current one count too.
VALID_WINDOW = 1
_PURPOSE = "console-second-factor"
#: Operators are no town's: their keys are derived for "town" 0.
_NO_TOWN = 0


def new_secret(operator: Operator) -> str:
    """Give the operator a new TOTP secret; returns it in plain (to show once)."""
    secret = pyotp.random_base32()
    token = encrypted.encrypt(_NO_TOWN, _PURPOSE, operator.email, secret)
    operator.totp_secret = token[encrypted.MARKER]
    operator.totp_last_step = None
    return secret


def provisioning_uri(operator: Operator, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=operator.email, issuer_name="Projektfabrik")


def _secret(operator: Operator) -> str | None:
    try:
        value = encrypted.decrypt(
            _NO_TOWN, _PURPOSE, operator.email, {encrypted.MARKER: operator.totp_secret}
        )
    except encrypted.SecretUnreadable:
        return None
    return str(value)


def _clean(code: str) -> str:
    return "".join(ch for ch in code if ch.isalnum()).upper()


def check_code(operator: Operator, code: str, now: float | None = None) -> bool:
    """A current TOTP code not used before; remembers its step when it matches."""
    code = _clean(code)
    secret = _secret(operator)
    if secret is None or not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(secret)
    step = int((time.time() if now is None else now) // totp.interval)
    for candidate in range(step - VALID_WINDOW, step + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(candidate * totp.interval), code):
            if operator.totp_last_step is not None and candidate <= operator.totp_last_step:
                return False  # replayed
            operator.totp_last_step = candidate
            return True
    return False


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def new_recovery_codes(operator: Operator) -> list[str]:
    """Replace the operator's recovery codes; the plain codes are returned once."""
    db.session.execute(
        delete(OperatorRecoveryCode).where(OperatorRecoveryCode.operator_id == operator.id)
    )
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = secrets.token_hex(5).upper()
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(OperatorRecoveryCode(operator_id=operator.id, code_hash=_hash(raw)))
    return codes


def use_recovery_code(operator: Operator, code: str) -> bool:
    wanted = _hash(code)
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
