"""Forms of the admin area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import AnyOf, Email, InputRequired, Length, Optional, Regexp


class SwitchForm(FlaskForm):
    """One button that switches a module on (``enabled=1``) or off (``enabled=0``)."""

    enabled = HiddenField(validators=[AnyOf(["0", "1"])])


class NameForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Please enter a name.")), Length(max=120)]
    )


class StaffForm(FlaskForm):
    """The town's admin confirms someone as staff of the administration."""

    email = EmailField(
        _l("E-mail address of the account"),
        validators=[
            InputRequired(_l("Please enter the e-mail address of the account.")),
            Email(_l("Please enter a valid e-mail address, e.g. name@example.org.")),
            Length(max=254),
        ],
        description=_l("The person registers first, then you confirm them here."),
    )
    organisation = StringField(
        _l("Office or organisation"),
        validators=[
            InputRequired(_l("Please enter the office or organisation.")),
            Length(max=200),
        ],
        description=_l("Shown beside the name with a “confirmed” badge, e.g. Bauamt."),
    )


class SecondFactorPolicyForm(FlaskForm):
    """The town's admin requires a second factor of admins and moderators (or not)."""

    required = HiddenField(validators=[AnyOf(["0", "1"])])


class ButtonForm(FlaskForm):
    """Only the CSRF token: one button."""


class AppearanceForm(FlaskForm):
    """Name, colours, the landing page's texts and the contact: the admin's own."""

    name = StringField(
        _l("Name of the town"),
        validators=[InputRequired(_l("Please enter the town's name.")), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    short_name = StringField(
        _l("Short name"),
        validators=[Optional(), Length(max=60)],
        description=_l("Used in the browser's tab; empty: the name."),
    )
    primary_color = StringField(
        _l("Main colour"),
        validators=[
            InputRequired(_l("Please enter the main colour.")),
            Length(max=7),
            Regexp(
                r"^\s*#[0-9a-fA-F]{6}\s*$",
                message=_l("Please enter the colour as # and six hex digits, e.g. #0b5e3b."),
            ),
        ],
        description=_l(
            "Header and buttons. As # and six hex digits, e.g. #0b5e3b. "
            "Text on it must keep a contrast of 4.5 to 1."
        ),
    )
    text_on_brand = RadioField(
        _l("Text on the main colour"),
        choices=[
            SelectChoice("auto", _l("Whichever reads better")),
            SelectChoice("white", _l("White")),
            SelectChoice("black", _l("Black")),
        ],
        default="auto",
        validators=[InputRequired(_l("Please choose the text colour."))],
    )
    headline = StringField(
        _l("Headline of the start page"),
        validators=[Optional(), Length(max=200)],
        description=_l("Empty: “Projects for” and the town's name."),
    )
    welcome_md = TextAreaField(
        _l("Welcome text"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Shown on the start page. Markdown: **bold**, lists with -, links."),
        render_kw={"rows": 8},
    )
    contact_email = EmailField(
        _l("Contact e-mail address"),
        validators=[
            Optional(),
            Email(_l("Please enter a valid e-mail address, e.g. name@example.org.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    contact_address = TextAreaField(
        _l("Postal address"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 4, "autocomplete": "street-address"},
    )


class LogoForm(FlaskForm):
    logo = FileField(
        _l("New logo"),
        validators=[FileRequired(_l("Please choose a file."))],
        description=_l("PNG, JPEG or WebP, at most 2 MB. It is converted to PNG."),
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )


class LegalTextForm(FlaskForm):
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=100000)],
        description=_l("Markdown: ## for headings, - for lists, [text](https://…) for links."),
        render_kw={"rows": 24},
    )
    #: Which button was pressed: ``preview`` shows the text, ``save`` saves it.
    action = HiddenField()


class RoleForm(FlaskForm):
    role = RadioField(
        _l("Role"),
        choices=[
            SelectChoice("member", _l("Member")),
            SelectChoice("moderator", _l("Moderator")),
            SelectChoice("admin", _l("Admin")),
        ],
        validators=[InputRequired(_l("Please choose a role."))],
    )


class OrganisationForm(FlaskForm):
    """The admin confirms which organisation a business account speaks for."""

    organisation = StringField(
        _l("Organisation"),
        validators=[
            InputRequired(_l("Please enter the office or organisation.")),
            Length(max=200),
        ],
        description=_l("Shown beside the name with a “confirmed” badge."),
    )
