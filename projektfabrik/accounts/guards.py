"""Limits on logging in, and the devices that have logged in before.

The numbers (docs/security.md explains them):

- Wrong passwords for one account from devices that have never logged in to
  it: at most ``ACCOUNT_GUESSES`` per hour, from all addresses together.
  Past that, passwords for the account are not checked from such devices for
  the rest of the hour; the owner asks for a one-time sign-in link by mail.
- A device that has logged in to the account before (it carries a signed
  cookie naming the account) has its own count, ``DEVICE_GUESSES`` per hour,
  so a stranger's guessing never locks the owner's own phone out.
- Each client address: ``LOGIN_PER_CLIENT`` login posts (Flask-Limiter, on
  the view).

A guess costs a wrong password to count; the address typed in need not have
an account (the counters do not reveal which addresses do).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from projektfabrik.tenancy.context import current_tenant_id_or_none
from projektfabrik.throttle import Throttle

LOGIN_PER_CLIENT = "10 per 15 minutes"
ACCOUNT_GUESSES = Throttle("login-account", "10 per hour")
DEVICE_GUESSES = Throttle("login-device", "10 per hour")
#: Mails the account forms (register, reset, sign-in link, confirmation link
#: again, address change) send to one address, whoever asks: past it, the form
#: answers as always and sends nothing, so nobody floods someone's inbox.
MAILS_PER_ADDRESS = Throttle("account-mail-address", "3 per hour")
#: Posts per client address to the forms that send mail.
MAIL_FORMS_PER_CLIENT = "10 per hour"

DEVICE_COOKIE = "pf_geraet"
DEVICE_MAX_AGE = 365 * 24 * 3600
#: How many accounts one device cookie remembers (a shared family computer).
DEVICE_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="pf-known-device")


def _account_tag(email: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]


def _device() -> dict[str, Any] | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        payload = _serializer().loads(raw, max_age=DEVICE_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("t") != current_tenant_id_or_none():
        return None
    return payload


def known_device(email: str) -> str | None:
    """This device's id if it has logged in to the account of ``email`` before."""
    device = _device()
    if device is None or _account_tag(email) not in device.get("a", []):
        return None
    return str(device.get("d"))


def guess_counter(email: str) -> tuple[Throttle, tuple[str, ...]]:
    """The counter a login attempt for ``email`` from this device counts against."""
    device = known_device(email)
    if device is not None:
        return DEVICE_GUESSES, (email, device)
    return ACCOUNT_GUESSES, (email,)


def remember_device(response: Response, email: str) -> None:
    """After a successful login: this device may try the account's password
    even while strangers' guesses hold the account."""
    device = _device() or {"t": current_tenant_id_or_none(), "d": secrets.token_urlsafe(12)}
    accounts = [tag for tag in device.get("a", []) if tag != _account_tag(email)]
    device["a"] = [_account_tag(email), *accounts][:DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(device),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("PREFERRED_URL_SCHEME") == "https",
    )
