"""Role gates for views: the one implementation the core's pages and plugins share.

A visitor who is not logged in is sent to the login page (with ``next=`` the
page they asked for, Flask-Login's ``login_view``); a person logged in
without the role gets 403. Plugins use the same gates through
``projektfabrik.api`` (``admin_required``, ``moderator_required``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from projektfabrik.extensions import login_manager


def is_moderator(user: Any) -> bool:
    """The town's moderators and admins."""
    return bool(user.is_moderator)


def is_admin(user: Any) -> bool:
    """The town's admins."""
    return bool(user.is_admin)


def second_factor_missing(user: Any) -> bool:
    """The town requires a second factor of its admins and moderators, and this
    session has none: no TOTP on the account, and not signed in through a
    provider the operator declared to demand one itself."""
    from projektfabrik.accounts import secondfactor

    if user.has_second_factor or not user.is_moderator or session.get("sso_mfa"):
        return False
    # One query per request at most: project pages ask for every item.
    cache = request.environ.setdefault("pf.second_factor_required", {})
    if user.id not in cache:
        cache[user.id] = secondfactor.required_for(user)
    return bool(cache[user.id])


def gate(check: Callable[[Any], bool]) -> ResponseReturnValue | None:
    """``None`` when the current person passes ``check``; for a visitor, the
    redirect to the login page; for anyone else, 403 (raised). An admin or
    moderator whose town requires a second factor they have not set up is
    sent to set it up first (docs/security.md).

    For ``before_request`` functions that guard a whole blueprint: return what
    this returns.
    """
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not check(current_user):
        abort(403)
    if second_factor_missing(current_user):
        # The page says why (the town's requirement) above its button.
        return redirect(url_for("accounts.second_factor_settings"))
    return None


def _require(check: Callable[[Any], bool]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            refused = gate(check)
            if refused is not None:
                return refused
            return view(*args, **kwargs)

        return wrapper

    return decorator


#: View decorator: the town's moderators and admins.
moderator_required = _require(is_moderator)
#: View decorator: the town's admins.
admin_required = _require(is_admin)
