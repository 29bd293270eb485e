"""The account's second factor (TOTP): set up, confirm, new recovery codes, switch off.
Routes of the accounts blueprint (registered with it, app.py imports this module)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from projektfabrik.accounts import secondfactor
from projektfabrik.accounts.forms import ButtonForm, ConfirmTotpForm, SecondFactorForm
from projektfabrik.accounts.models import User
from projektfabrik.accounts.views import _field_error, bp
from projektfabrik.extensions import db


@bp.get("/konto/zweiter-faktor")
@login_required
def second_factor_settings() -> str:
    user: User = current_user._get_current_object()
    return _second_factor_page(user, ConfirmTotpForm(prefix="confirm"))


def _second_factor_page(
    user: User, confirm_form: ConfirmTotpForm, code_form: SecondFactorForm | None = None
) -> str:
    secret = secondfactor.pending_secret(user)
    uri = secondfactor.provisioning_uri(user, secret) if secret else None
    return render_template(
        "accounts/second_factor_settings.html",
        user=user,
        secret=secret,
        qr=secondfactor.qr_svg(uri) if uri else None,
        confirm_form=confirm_form,
        start_form=ButtonForm(prefix="start"),
        code_form=code_form or SecondFactorForm(prefix="code", formdata=None),
        codes_left=secondfactor.unused_recovery_codes(user) if user.has_second_factor else 0,
        required=secondfactor.required_for(user),
    )


@bp.post("/konto/zweiter-faktor/einrichten")
@login_required
def second_factor_start() -> Response:
    user: User = current_user._get_current_object()
    if user.has_second_factor or not ButtonForm(prefix="start").validate_on_submit():
        abort(400)
    secondfactor.start_setup(user)
    db.session.commit()
    return redirect(url_for("accounts.second_factor_settings") + "#einrichten")


@bp.post("/konto/zweiter-faktor/bestaetigen")
@login_required
def second_factor_confirm() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    form = ConfirmTotpForm(prefix="confirm")
    if form.validate_on_submit():
        try:
            codes = secondfactor.confirm_setup(user, form.code.data)
        except secondfactor.SecondFactorError as error:
            db.session.commit()
            _field_error(form, error)
        else:
            db.session.commit()
            return render_template("accounts/recovery_codes.html", codes=codes, new=True)
    return _second_factor_page(user, form), 400


def _checked_code(form: SecondFactorForm, user: User) -> bool:
    if not form.validate_on_submit():
        return False
    try:
        secondfactor.verify(user, form.code.data)
    except secondfactor.SecondFactorError as error:
        db.session.commit()
        _field_error(form, error)
        return False
    return True


@bp.post("/konto/zweiter-faktor/neue-codes")
@login_required
def second_factor_new_codes() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    if not user.has_second_factor:
        abort(404)
    form = SecondFactorForm(prefix="code")
    if _checked_code(form, user):
        codes = secondfactor.new_recovery_codes(user)
        db.session.commit()
        return render_template("accounts/recovery_codes.html", codes=codes, new=False)
    return _second_factor_page(user, ConfirmTotpForm(prefix="confirm"), code_form=form), 400


@bp.post("/konto/zweiter-faktor/ausschalten")
@login_required
def second_factor_disable() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    if not user.has_second_factor:
        abort(404)
    form = SecondFactorForm(prefix="code")
    if _checked_code(form, user):
        secondfactor.disable(user)
        db.session.commit()
        flash(_("The second factor is switched off."), "success")
        return redirect(url_for("accounts.second_factor_settings"))
    return _second_factor_page(user, ConfirmTotpForm(prefix="confirm"), code_form=form), 400
