"""Password hashing with argon2id.

Production uses argon2-cffi's recommended parameters. The test suite sets
``PASSWORD_HASH_FAST`` for a much cheaper (still argon2id) profile, so that
hundreds of test accounts do not cost minutes; never set it in production.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_LENGTH = 10


@lru_cache(maxsize=2)
def _hasher(fast: bool) -> PasswordHasher:
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hasher() -> PasswordHasher:
    fast = has_app_context() and bool(current_app.config.get("PASSWORD_HASH_FAST"))
    return _hasher(fast)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=2)
def _dummy_hash(fast: bool) -> str:
    return _hasher(fast).hash("not-a-real-password")


def verify_dummy(password: str) -> None:
    """Spend the same work as a real check when no account matches, so timing
    does not reveal which addresses have an account."""
    fast = has_app_context() and bool(current_app.config.get("PASSWORD_HASH_FAST"))
    verify_password(_dummy_hash(fast), password)
