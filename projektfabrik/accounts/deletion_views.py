"""Deleting one's account: first say what goes and what the town keeps (and what must be
settled, e.g. handing over the lead), then ask for the password or a fresh sign-in
through the town's provider. Routes of the accounts blueprint (app.py imports this module)."""

from __future__ import annotations

import time
from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from projektfabrik.accounts import avatars, services
from projektfabrik.accounts.forms import DeleteAccountForm
from projektfabrik.accounts.models import User
from projektfabrik.accounts.views import _field_error, bp
from projektfabrik.extensions import db

#: How recent a sign-in through the town's provider confirms deleting an
#: account that has no password.
PROVIDER_CONFIRMS_FOR = 10 * 60


def _provider_confirmed() -> bool:
    return time.time() - float(session.get("sso_at", 0)) <= PROVIDER_CONFIRMS_FOR


def _delete_form(user: User, **kwargs: Any) -> DeleteAccountForm:
    form = DeleteAccountForm(prefix="delete", **kwargs)
    if user.password_hash is None:
        del form.current_password  # nothing to type: a fresh sign-in confirms
    return form


def _delete_page(form: DeleteAccountForm) -> str:
    user = current_user._get_current_object()
    return render_template(
        "accounts/delete.html",
        form=form,
        provider_confirmed=_provider_confirmed(),
        plan=services.deletion_plan(user),
        only_admin=user.is_admin and services.count_admins() <= 1,
    )


@bp.get("/konto/loeschen")
@login_required
def delete_account_page() -> str:
    """First say what deleting means and what must be settled; then ask."""
    return _delete_page(_delete_form(current_user._get_current_object()))


@bp.post("/konto/loeschen")
@login_required
def delete_account() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = _delete_form(user)
    if form.validate_on_submit():
        picture = user.avatar_file
        password = form.current_password.data if form.current_password else ""
        try:
            services.delete_account(user, password, provider_confirmed=_provider_confirmed())
        except services.AccountError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            avatars.delete_picture(picture)
            logout_user()
            session.clear()
            flash(_("Your account is deleted. What you wrote stays, without your name."), "success")
            return redirect(url_for("site.landing"))
    return _delete_page(form), 400
