"""Register, verify, log in and out, reset, profile and account settings."""

from __future__ import annotations

import time
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup, escape
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from projektfabrik.accounts import avatars, guards, secondfactor, services, sessions, sso
from projektfabrik.accounts.forms import (
    ButtonForm,
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    InvitationForm,
    LinkPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SecondFactorForm,
    SignInLinkForm,
    kind_choices,
    staff_kind_choices,
)
from projektfabrik.accounts.models import User
from projektfabrik.accounts.passwords import verify_password
from projektfabrik.accounts.tokens import Purpose, TokenError, make_token, redeem_token
from projektfabrik.db import utcnow
from projektfabrik.downloads import send_download
from projektfabrik.extensions import db, limiter, login_manager
from projektfabrik.i18n import select_locale
from projektfabrik.refusal import Refusal
from projektfabrik.requestsize import accepts_files
from projektfabrik.security import policy_with_form_action
from projektfabrik.tenancy.context import current_tenant_id_or_none
from projektfabrik.tenancy.districts import district_named, districts
from projektfabrik.tenancy.links import external_url_for
from projektfabrik.urls import safe_next_url

bp = Blueprint("accounts", __name__)

LOGIN_LIMIT = guards.LOGIN_PER_CLIENT
RESET_LIMIT = guards.MAIL_FORMS_PER_CLIENT


def _only_posts() -> bool:
    return request.method != "POST"


# --- session -----------------------------------------------------------------


def load_user(user_id: str) -> User | None:
    """Restore the user from the cookie (``accounts/sessions.py``). Tenant
    criteria apply: another town's id finds nobody."""
    if current_tenant_id_or_none() is None:
        # No town (an unknown host's error page): nobody is logged in there.
        return None
    return sessions.load(user_id)


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    app.jinja_env.globals["kind_label"] = kind_label
    app.jinja_env.globals["person_kind"] = person_kind


def kind_label(kind: object) -> str:
    value = getattr(kind, "value", kind)
    labels = {choice.value: choice.label for choice in kind_choices()}
    return str(labels.get(value, value))


def _confirmed(text: str) -> Markup:
    return Markup('{} <span class="badge-confirmed">✓ {}</span>').format(text, _("confirmed"))


def person_kind(person: User) -> Markup:
    """Kind and organisation as shown beside a name; what the town's admin
    confirmed carries a "confirmed" badge (docs/security.md)."""
    label = kind_label(person.kind)
    parts = [_confirmed(label) if person.is_confirmed_staff else escape(label)]
    if person.is_confirmed and person.confirmed_organisation:
        parts.append(_confirmed(person.confirmed_organisation))
    elif person.organisation:
        parts.append(escape(person.organisation))
    return Markup(" · ").join(parts)


def _start_session(user: User, remember: bool = False) -> None:
    # A fresh session at login: nothing from before survives (the language
    # choice is a cookie of its own, see i18n.py). The new login session's row
    # is committed here, with whatever the caller changed before.
    session.clear()
    sessions.start(user)
    db.session.commit()
    login_user(user, remember=remember)


#: How long the code page waits after the password (or link) before starting over.
SECOND_FACTOR_WAIT = 10 * 60


def _finish_login(
    user: User,
    *,
    remember: bool = False,
    next_url: str | None = None,
    local: bool = True,
    sso_mfa: bool = False,
) -> Response:
    """The end of every way in: password, link by mail, new password, the town's
    provider. Accounts linked to the provider do not come in locally while it is
    on; accounts with a second factor are asked for a code first."""
    target = next_url or url_for("site.landing")
    if local and (refusal := sso.local_login_refused(user)):
        flash(refusal, "error")
        return redirect(url_for("accounts.login"))
    if user.has_second_factor and not sso_mfa:
        session.clear()
        session["second_factor"] = {
            "u": user.id,
            "g": user.session_token,
            "r": bool(remember),
            "n": target,
            "at": int(time.time()),
            "sso": not local,
        }
        return redirect(url_for("accounts.second_factor"))
    _start_session(user, remember=remember)
    flash(_("Welcome, %(name)s!", name=user.display_name), "success")
    response = redirect(target)
    if local:
        guards.remember_device(response, user.email)
    return response


def _field_error(form: object, error: Refusal) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


# --- registration and verification ----------------------------------------


@bp.route("/registrieren", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register(
                form.display_name.data,
                form.email.data,
                form.password.data,
                form.kind.data,
                select_locale(),
            )
        except services.AccountError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            return _to_check_mail(form.email.data)
    return render_template("accounts/register.html", form=form)


def _to_check_mail(email: str) -> Response:
    # The address goes in the (signed, HttpOnly) session, never in the URL:
    # URLs end up in access logs, proxies and the browser's history.
    session["check_mail"] = email
    return redirect(url_for("accounts.check_mail"))


@bp.get("/registrieren/post")
def check_mail() -> str:
    return render_template("accounts/check_mail.html", email=session.get("check_mail", ""))


@bp.get("/bestaetigen/<token>")
def verify(token: str) -> ResponseReturnValue:
    try:
        redeemed = redeem_token(token, Purpose.VERIFY_EMAIL)
    except TokenError as error:
        return render_template("accounts/token_invalid.html", reason=error.reason), 400
    services.mark_verified(redeemed.user)
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed. You can log in now."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/bestaetigen/erneut", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def resend_verification() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.resend_verification(form.email.data)
        db.session.commit()
        return _to_check_mail(form.email.data)
    return render_template("accounts/resend.html", form=form)


# --- log in and out ---------------------------------------------------------------


@bp.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        counter, key = guards.guess_counter(email)
        if not counter.allowed(*key):
            # Strangers' wrong guesses hold this account for now; the password
            # is not even checked. The owner gets in with a link by mail.
            session["sign_in_email"] = email
            return _login_page(form, 429, held=True)
        user = services.authenticate(email, form.password.data)
        if user is None:
            counter.hit(*key)
            form.password.errors = [_("E-mail address or password is not correct.")]
        elif not user.is_verified:
            flash(
                _("Please confirm your e-mail address first. We can send the link again."),
                "error",
            )
            return redirect(url_for("accounts.resend_verification"))
        else:
            db.session.commit()  # a rehashed password
            return _finish_login(
                user,
                remember=form.remember.data,
                next_url=safe_next_url(request.args.get("next"), url_for("site.landing")),
            )
    return _login_page(form)


def _login_page(form: LoginForm, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("held", False)
    row = sso.provider()
    page = render_template(
        "accounts/login.html",
        form=form,
        sso_form=ButtonForm(prefix="sso") if row else None,
        **context,
    )
    headers = {}
    if row is not None:
        # The button's form is answered with a redirect to the provider: the
        # policy's form-action must allow its origin, or the browser stops there.
        headers["Content-Security-Policy"] = policy_with_form_action(sso.origin(row))
    return page, status, headers


@bp.route("/anmelden/link", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def sign_in_link() -> ResponseReturnValue:
    """Ask for a one-time sign-in link: the way in while an account is held."""
    form = ResetRequestForm()
    if request.method == "GET" and session.get("sign_in_email"):
        form.email.data = session["sign_in_email"]
    if form.validate_on_submit():
        services.request_sign_in_link(form.email.data)
        db.session.commit()
        session.pop("sign_in_email", None)
        flash(
            _("If an account uses this address, we have sent a sign-in link to it."),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/sign_in_link.html", form=form)


@bp.route("/anmelden/link/<token>", methods=["GET", "POST"])
def sign_in_with_link(token: str) -> ResponseReturnValue:
    # GET only shows a button: mail scanners that open links must not use them up.
    try:
        redeemed = redeem_token(token, Purpose.SIGN_IN)
    except TokenError as error:
        return render_template("accounts/token_invalid.html", reason=error.reason), 400
    form = SignInLinkForm()
    if form.validate_on_submit():
        user = redeemed.user
        services.mark_verified(user)  # the link arrived by mail: the address works
        # The link is used up by the login it starts; with a second factor that is
        # only after the code, so use it up now (a second click finds it spent).
        user.last_login_at = utcnow()
        db.session.commit()
        return _finish_login(user)
    return render_template("accounts/sign_in_with_link.html", form=form, user=redeemed.user)


@bp.route("/anmelden/code", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def second_factor() -> ResponseReturnValue:
    """The second step for accounts with a second factor."""
    stored = session.get("second_factor")
    pending: dict[str, Any] = stored if isinstance(stored, dict) else {}
    user = None
    if pending and time.time() - pending.get("at", 0) <= SECOND_FACTOR_WAIT:
        user = db.session.get(User, pending.get("u"))
    if user is None or not user.is_active or user.session_token != pending.get("g"):
        session.pop("second_factor", None)
        flash(_("Please log in again."), "error")
        return redirect(url_for("accounts.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            used = secondfactor.verify(user, form.code.data)
        except secondfactor.SecondFactorError as error:
            db.session.commit()  # the code's time step, if it moved
            _field_error(form, error)
        else:
            local = not pending.get("sso")
            _start_session(user, remember=bool(pending.get("r")))
            if pending.get("sso_session"):
                session["sso_session"] = True
                session["sso_at"] = int(time.time())
            flash(_("Welcome, %(name)s!", name=user.display_name), "success")
            if used == "recovery":
                flash(
                    ngettext(
                        "You used a recovery code. %(num)d code is left; you can make new "
                        "ones on your account page.",
                        "You used a recovery code. %(num)d codes are left; you can make new "
                        "ones on your account page.",
                        secondfactor.unused_recovery_codes(user),
                    ),
                    "success",
                )
            response = redirect(safe_next_url(pending.get("n"), url_for("site.landing")))
            if local:
                guards.remember_device(response, user.email)
            return response
    return render_template("accounts/second_factor.html", form=form), (400 if form.errors else 200)


# --- the town's identity provider (staff) --------------------------------------------


def _provider_or_404() -> Any:
    row = sso.provider()
    if row is None:
        abort(404)
    return row


def _callback_url() -> str:
    return external_url_for("accounts.sso_callback")


@bp.post("/anmelden/dienstkonto")
@limiter.limit(LOGIN_LIMIT)
def sso_start() -> ResponseReturnValue:
    row = _provider_or_404()
    if not ButtonForm(prefix="sso").validate_on_submit():
        abort(400)
    try:
        url, pending = sso.begin(
            row, _callback_url(), safe_next_url(request.args.get("next"), url_for("site.landing"))
        )
    except sso.ProviderUnavailable as error:
        flash(error.message, "error")
        return _login_page(LoginForm(formdata=None), 503)
    session["sso_pending"] = pending
    return redirect(url)


@bp.get("/anmelden/dienstkonto/zurueck")
@limiter.limit(LOGIN_LIMIT)
def sso_callback() -> ResponseReturnValue:
    row = _provider_or_404()
    pending = session.pop("sso_pending", None)
    try:
        claims = sso.finish(row, pending, request.args.to_dict(), _callback_url())
        user = sso.sign_in(row, claims)
    except sso.LinkNeeded as needed:
        db.session.rollback()
        session["sso_link"] = {
            "tenant": needed.user.tenant_id,
            "user": needed.user.id,
            "claims": claims.as_dict(),
            "at": int(time.time()),
            "next": (pending or {}).get("next"),
        }
        return redirect(url_for("accounts.sso_link"))
    except (sso.ProviderUnavailable, sso.SignInRefused) as error:
        db.session.commit()  # a person no longer staff loses the provider's roles
        flash(error.message, "error")
        return _login_page(LoginForm(formdata=None), 400)
    db.session.commit()
    return _after_sso(row, user, (pending or {}).get("next"))


def _after_sso(row: Any, user: User, next_url: str | None) -> Response:
    response = _finish_login(
        user,
        next_url=safe_next_url(next_url, url_for("site.landing")),
        local=False,
        sso_mfa=row.sso_provider_mfa,
    )
    _note_sso_session(row)
    return response


def _note_sso_session(row: Any) -> None:
    """After _finish_login's fresh session (or its code step): note how this one
    began, for signing out at the provider and for the town's requirement."""
    if "second_factor" in session:
        session["second_factor"] = {**session["second_factor"], "sso_session": True}
        return
    session["sso_mfa"] = bool(row.sso_provider_mfa)
    session["sso_session"] = True
    session["sso_at"] = int(time.time())


def _pending_link() -> tuple[Any, User, sso.Claims] | None:
    row = sso.provider()
    data = session.get("sso_link")
    if row is None or not isinstance(data, dict):
        return None
    if data.get("tenant") != current_tenant_id_or_none():
        return None
    if time.time() - data.get("at", 0) > sso.PENDING_MAX_AGE:
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or not user.is_active:
        return None
    return row, user, sso.Claims.from_dict(data["claims"])


def _link_expired() -> Response:
    session.pop("sso_link", None)
    flash(_("Please start the sign-in with the town's staff account again."), "error")
    return redirect(url_for("accounts.login"))


@bp.route("/anmelden/dienstkonto/verknuepfen", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def sso_link() -> ResponseReturnValue:
    """An account with the same address exists: its owner confirms before it is linked."""
    found = _pending_link()
    if found is None:
        return _link_expired()
    row, user, claims = found
    form = LinkPasswordForm(prefix="link")
    if form.validate_on_submit():
        counter, key = guards.guess_counter(user.email)
        if not counter.allowed(*key):
            form.password.errors = [
                _("Too many wrong passwords. Please confirm with a link by e-mail instead.")
            ]
        elif not verify_password(user.password_hash, form.password.data):
            counter.hit(*key)
            form.password.errors = [_("This password is not correct.")]
        else:
            return _link_and_sign_in(row, user, claims)
    return render_template(
        "accounts/sso_link.html", form=form, mail_form=ButtonForm(prefix="mail"), user=user
    ), (400 if form.errors else 200)


def _link_and_sign_in(row: Any, user: User, claims: sso.Claims) -> Response:
    data = session.pop("sso_link", {})
    sso.link(row, user, claims)
    db.session.commit()
    response = _finish_login(
        user,
        next_url=safe_next_url(data.get("next"), url_for("site.landing")),
        local=False,
        sso_mfa=row.sso_provider_mfa,
    )
    _note_sso_session(row)
    # After the fresh session _finish_login started, so the message survives it.
    flash(_("Your account is now linked to the town's staff account."), "success")
    return response


@bp.post("/anmelden/dienstkonto/verknuepfen/mail")
@limiter.limit(RESET_LIMIT)
def sso_link_mail() -> ResponseReturnValue:
    found = _pending_link()
    if found is None:
        return _link_expired()
    _row, user, claims = found
    if not ButtonForm(prefix="mail").validate_on_submit():
        abort(400)
    if guards.MAILS_PER_ADDRESS.hit(user.email):
        token = make_token(user, Purpose.LINK_SSO, bind=claims.subject)
        services.send_templated_mail(
            user, "link_sso", url=external_url_for("accounts.sso_link_confirm", token=token)
        )
        db.session.commit()
    flash(
        _(
            "We have sent a link to %(email)s. Open it in this browser within 30 minutes.",
            email=user.email,
        ),
        "success",
    )
    return redirect(url_for("accounts.sso_link"))


@bp.route("/anmelden/dienstkonto/verknuepfen/<token>", methods=["GET", "POST"])
def sso_link_confirm(token: str) -> ResponseReturnValue:
    found = _pending_link()
    if found is None:
        return _link_expired()
    row, user, claims = found
    try:
        redeemed = redeem_token(token, Purpose.LINK_SSO, bind=claims.subject)
    except TokenError as error:
        return render_template("accounts/token_invalid.html", reason=error.reason), 400
    if redeemed.user.id != user.id:
        return render_template("accounts/token_invalid.html", reason="invalid"), 400
    form = ButtonForm()
    if form.validate_on_submit():
        return _link_and_sign_in(row, user, claims)
    return render_template("accounts/sso_link_confirm.html", form=form, user=user)


@bp.post("/abmelden")
def logout() -> ResponseReturnValue:
    came_through_provider = bool(session.get("sso_session"))
    if current_user.is_authenticated:
        sessions.end(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    row = sso.provider() if came_through_provider else None
    if row is not None:
        # Where the provider offers it, its session ends too: a link there (the
        # page's forms may only submit to this site, so no redirect from here).
        url = sso.end_session_url(row, external_url_for("site.landing"))
        if url is not None:
            return render_template("accounts/logged_out.html", provider_logout=url)
    flash(_("You are logged out."), "success")
    return redirect(url_for("site.landing"))


@bp.post("/konto/ueberall-abmelden")
@login_required
def logout_everywhere() -> Response:
    sessions.end_all(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out on every device."), "success")
    return redirect(url_for("site.landing"))


# --- password reset and invitations ---------------------------------------------


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _("If an account uses this address, we have sent a link to choose a new password."),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


def _choose_password(token: str, purpose: Purpose, template: str) -> ResponseReturnValue:
    try:
        redeemed = redeem_token(token, purpose)
    except TokenError as error:
        return render_template("accounts/token_invalid.html", reason=error.reason), 400
    asks_name = purpose == Purpose.INVITATION and not redeemed.user.display_name
    form = InvitationForm() if asks_name else ResetPasswordForm()
    if form.validate_on_submit():
        user = redeemed.user
        if asks_name:
            user.display_name = form.display_name.data.strip()
        services.set_password(user, form.password.data)
        services.mark_verified(user)  # the link arrived by mail: the address works
        db.session.commit()
        flash(_("Your new password is saved."), "success")
        return _finish_login(user, next_url=url_for("accounts.profile"))
    return render_template(template, form=form, user=redeemed.user)


@bp.route("/passwort-neu/<token>", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    return _choose_password(token, Purpose.RESET_PASSWORD, "accounts/reset_password.html")


@bp.route("/einladung/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    return _choose_password(token, Purpose.INVITATION, "accounts/invitation.html")


# --- profile -------------------------------------------------------------------


def _district_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("No district"))] + [SelectChoice(d.name) for d in districts()]


@bp.route("/profil", methods=["GET", "POST"])
@accepts_files
@login_required
def profile() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    form = ProfileForm(obj=None if request.method == "POST" else user)
    form.district.choices = _district_choices()
    if user.is_confirmed_staff:
        form.kind.choices = staff_kind_choices()
    if request.method == "GET":
        form.kind.data = user.kind.value
        form.district.data = user.district.name if user.district else ""
    if form.validate_on_submit():
        try:
            services.update_profile(
                user,
                services.ProfileChanges(
                    display_name=form.display_name.data,
                    kind=form.kind.data,
                    organisation=form.organisation.data or "",
                    district_id=district.id
                    if (district := district_named(form.district.data))
                    else None,
                    skills=form.skills.data or "",
                    bio=form.bio.data or "",
                    findable=bool(form.findable.data),
                ),
            )
            if form.remove_avatar.data:
                avatars.remove_avatar(user)
            elif form.avatar.data:
                avatars.save_avatar(user, form.avatar.data.stream)
        except services.AccountError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, user=user)


@bp.get("/leute/<ref>/bild/<filename>")
def avatar(ref: str, filename: str) -> Response:
    user = services.find_by_ref(ref)
    if user is None or user.avatar_file != filename:
        abort(404)
    stored = avatars.stored_avatar(user)
    if stored is None:
        abort(404)
    return send_download(stored, filename, "image/webp", inline_image=True, max_age=3600)


# --- account settings --------------------------------------------------------


@bp.get("/konto")
@login_required
def settings() -> str:
    return render_template(
        "accounts/settings.html",
        email_form=ChangeEmailForm(prefix="email"),
        password_form=ChangePasswordForm(prefix="password"),
        delete_form=DeleteAccountForm(prefix="delete"),
    )


def _settings_with(**forms: object) -> str:
    context = {
        "email_form": ChangeEmailForm(prefix="email", formdata=None),
        "password_form": ChangePasswordForm(prefix="password", formdata=None),
        "delete_form": DeleteAccountForm(prefix="delete", formdata=None),
    }
    context.update(forms)
    return render_template("accounts/settings.html", **context)


@bp.post("/konto/email")
@login_required
@limiter.limit(RESET_LIMIT)
def change_email() -> ResponseReturnValue:
    form = ChangeEmailForm(prefix="email")
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.current_password.data, form.email.data)
        except services.AccountError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "We have sent a link to %(email)s. Your address changes when you open it.",
                    email=form.email.data,
                ),
                "success",
            )
            return redirect(url_for("accounts.settings"))
    return _settings_with(email_form=form), 400


@bp.get("/konto/email/<token>")
def confirm_email_change(token: str) -> ResponseReturnValue:
    try:
        redeemed = redeem_token(token, Purpose.CHANGE_EMAIL)
        services.confirm_email_change(redeemed.user, redeemed.email)
    except TokenError as error:
        return render_template("accounts/token_invalid.html", reason=error.reason), 400
    except services.AccountError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.settings"))
    db.session.commit()
    if current_user.is_authenticated and current_user.id == redeemed.user.id:
        _start_session(redeemed.user)
    flash(_("Your e-mail address is changed."), "success")
    return redirect(
        url_for("accounts.settings" if current_user.is_authenticated else "accounts.login")
    )


@bp.post("/konto/passwort")
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm(prefix="password")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            _start_session(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_with(password_form=form), 400


@bp.get("/konto/daten.json")
@login_required
def export_data() -> Response:
    return send_download(services.export_data(current_user), "meine-daten.json", "application/json")
