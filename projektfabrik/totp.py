"""Time-based one-time codes (RFC 6238) and recovery codes: the parts that town
accounts (:mod:`projektfabrik.accounts.secondfactor`) and the deployment's
operators (:mod:`projektfabrik.console.factor`) share. No database here: each
caller stores the secret (encrypted), the last step used and the codes' hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp

#: Codes of the step before and after the current one count too (phones' clocks
#: drift; 30 seconds either way).
VALID_WINDOW = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, name: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=issuer)


def clean(code: str) -> str:
    """What was typed, without spaces and dashes, in capitals."""
    return "".join(ch for ch in code if ch.isalnum()).upper()


def matching_step(
    secret: str, code: str, last_step: int | None = None, now: float | None = None
) -> int | None:
    """The time step ``code`` belongs to, if it is a current code of ``secret``
    and later than ``last_step`` (a code works once: RFC 6238, section 5.2)."""
    code = clean(code)
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    step = int((time.time() if now is None else now) // totp.interval)
    for candidate in range(step - VALID_WINDOW, step + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(candidate * totp.interval), code):
            return candidate if last_step is None or candidate > last_step else None
    return None


def new_recovery_code() -> str:
    """40 random bits, shown as two groups of five (``3F2A1-0BC94``)."""
    raw = secrets.token_hex(5).upper()
    return f"{raw[:5]}-{raw[5:]}"


def hash_code(code: str) -> str:
    """How a recovery code is stored (it is random, and wrong codes are limited)."""
    return hashlib.sha256(clean(code).encode()).hexdigest()
