"""Account forms. Labels and messages are lazy so they follow the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from projektfabrik.accounts.models import Kind
from projektfabrik.accounts.passwords import MIN_LENGTH
from projektfabrik.images import ACCEPT as IMAGE_ACCEPT


def kind_choices() -> list[SelectChoice]:
    return [
        SelectChoice(Kind.CITIZEN.value, _l("Citizen")),
        SelectChoice(Kind.BUSINESS.value, _l("Business")),
        SelectChoice(Kind.ADMINISTRATION.value, _l("Administration")),
    ]


def self_kind_choices() -> list[SelectChoice]:
    """What people may choose themselves: staff of the administration is
    confirmed by the town's admin (docs/security.md)."""
    return [c for c in kind_choices() if c.value != Kind.ADMINISTRATION.value]


def staff_kind_choices() -> list[SelectChoice]:
    return [c for c in kind_choices() if c.value == Kind.ADMINISTRATION.value]


def _email_field(label: str | None = None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            InputRequired(_l("Please enter your e-mail address.")),
            Email(_l("Please enter a valid e-mail address, e.g. name@example.org.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


def _new_password_field(label: str | None = None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        validators=[
            InputRequired(_l("Please choose a password.")),
            Length(
                min=MIN_LENGTH,
                max=200,
                message=_l("The password must have at least %(min)d characters.", min=MIN_LENGTH),
            ),
        ],
        description=_l("At least %(min)d characters.", min=MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Name shown to others"),
        validators=[InputRequired(_l("Please enter a name.")), Length(max=100)],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field()
    password = _new_password_field()
    kind = RadioField(_l("I take part as"), choices=self_kind_choices, default=Kind.CITIZEN.value)
    accept_privacy = BooleanField(
        _l("I have read the privacy notice."),
        validators=[InputRequired(_l("Please confirm that you have read the privacy notice."))],
    )


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Stay logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = _email_field()


class SignInLinkForm(FlaskForm):
    """Only the CSRF token: the button that uses a sign-in link."""


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class InvitationForm(ResetPasswordForm):
    """Accepting an invitation: a password, and the name when nobody gave one yet."""

    display_name = StringField(
        _l("Name shown to others"),
        validators=[InputRequired(_l("Please enter a name.")), Length(max=100)],
        description=_l("Your first name, your full name or a short name: as you like."),
    )


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Name shown to others"),
        validators=[InputRequired(_l("Please enter a name.")), Length(max=100)],
    )
    kind = RadioField(_l("I take part as"), choices=self_kind_choices)
    organisation = StringField(
        _l("Organisation"),
        validators=[Optional(), Length(max=200)],
        description=_l("Business, association or office, if any."),
    )
    district = SelectField(_l("District"), coerce=str, validate_choice=True)
    skills = StringField(
        _l("Skills"),
        validators=[Optional(), Length(max=500)],
        description=_l("Separated by commas, e.g. carpentry, accounting, social media."),
    )
    findable = BooleanField(
        _l("Project teams may find me by my skills"),
        description=_l(
            "Teams looking for one of your skills then see your name, kind, organisation "
            "and skills (never your e-mail address) and can invite you."
        ),
    )
    bio = TextAreaField(
        _l("About me"),
        validators=[Optional(), Length(max=2000)],
        description=_l("A few sentences for the people you will work with."),
    )
    avatar = FileField(
        _l("Picture"),
        # Checked by its bytes when saved (images.save_image), never by its name.
        render_kw={"accept": IMAGE_ACCEPT},
        description=_l("Optional. JPEG, PNG, WebP or GIF, at most 5 MB."),
    )
    remove_avatar = BooleanField(_l("Remove my picture"))


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("New e-mail address"))
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Please enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Please enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class DeleteAccountForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Please enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("Yes, delete my account."),
        validators=[InputRequired(_l("Please confirm that you want to delete your account."))],
    )


def _code_field(label: str | None = None, description: str | None = None) -> StringField:
    return StringField(
        label or _l("Code"),
        validators=[InputRequired(_l("Please enter the code.")), Length(max=20)],
        description=description,
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"},
    )


class SecondFactorForm(FlaskForm):
    """The code after the password: from the authenticator app, or a recovery code."""

    code = _code_field(
        _l("Code"),
        _l(
            "The six digits your authenticator app shows now, or one of your recovery "
            "codes (e.g. 3F9A2-C7D1E)."
        ),
    )


class ConfirmTotpForm(FlaskForm):
    code = _code_field(_l("Code from the app"), _l("The six digits the app shows now."))


class ButtonForm(FlaskForm):
    """Only the CSRF token: a button that starts something."""


class LinkPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Password of this account"),
        validators=[InputRequired(_l("Please enter the password of this account."))],
        render_kw={"autocomplete": "current-password"},
    )
