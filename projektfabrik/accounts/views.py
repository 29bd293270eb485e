"""Register, verify, log in and out, reset, profile and account settings."""

from __future__ import annotations

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
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup, escape
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from projektfabrik.accounts import avatars, guards, services, sessions
from projektfabrik.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    InvitationForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInLinkForm,
    kind_choices,
    staff_kind_choices,
)
from projektfabrik.accounts.models import User
from projektfabrik.accounts.tokens import Purpose, TokenError, redeem_token
from projektfabrik.downloads import send_download
from projektfabrik.extensions import db, limiter, login_manager
from projektfabrik.i18n import select_locale
from projektfabrik.requestsize import accepts_files
from projektfabrik.tenancy.context import current_tenant_id_or_none
from projektfabrik.tenancy.districts import district_named, districts
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


def _field_error(form: object, error: services.AccountError) -> None:
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
            return render_template("accounts/login.html", form=form, held=True), 429
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
            _start_session(user, remember=form.remember.data)  # commits a rehashed password too
            flash(_("Welcome, %(name)s!", name=user.display_name), "success")
            response = redirect(safe_next_url(request.args.get("next"), url_for("site.landing")))
            guards.remember_device(response, email)
            return response
    return render_template("accounts/login.html", form=form, held=False)


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
        _start_session(user)
        flash(_("Welcome, %(name)s!", name=user.display_name), "success")
        response = redirect(url_for("site.landing"))
        guards.remember_device(response, user.email)
        return response
    return render_template("accounts/sign_in_with_link.html", form=form, user=redeemed.user)


@bp.post("/abmelden")
def logout() -> Response:
    if current_user.is_authenticated:
        sessions.end(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
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
        _start_session(user)
        flash(_("Your new password is saved. You are logged in."), "success")
        return redirect(url_for("accounts.profile"))
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
    path = avatars.avatar_path(user)
    if path is None:
        abort(404)
    return send_download(path, filename, "image/webp", inline_image=True, max_age=3600)


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


def _delete_page(form: DeleteAccountForm) -> str:
    user = current_user._get_current_object()
    return render_template(
        "accounts/delete.html",
        form=form,
        plan=services.deletion_plan(user),
        only_admin=user.is_admin and services.count_admins() <= 1,
    )


@bp.get("/konto/loeschen")
@login_required
def delete_account_page() -> str:
    """First say what deleting means and what must be settled; then ask."""
    return _delete_page(DeleteAccountForm(prefix="delete"))


@bp.post("/konto/loeschen")
@login_required
def delete_account() -> ResponseReturnValue:
    form = DeleteAccountForm(prefix="delete")
    if form.validate_on_submit():
        user = current_user._get_current_object()
        picture = avatars.avatar_path(user)
        try:
            services.delete_account(user, form.current_password.data)
        except services.AccountError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            if picture is not None:
                picture.unlink(missing_ok=True)
            logout_user()
            session.clear()
            flash(_("Your account is deleted. What you wrote stays, without your name."), "success")
            return redirect(url_for("site.landing"))
    return _delete_page(form), 400
