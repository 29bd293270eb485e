"""Forms of the operator console."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class SignInForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(_l("Please enter your e-mail address."))],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("Six digits, or one of your recovery codes."),
        validators=[InputRequired(_l("Please enter the code."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewTownForm(FlaskForm):
    name = StringField(
        _l("Name of the town"),
        validators=[InputRequired(_l("Please enter the town's name.")), Length(max=200)],
    )
    slug = StringField(
        _l("Short name"),
        description=_l(
            "Lower-case letters, digits and dashes, e.g. musterstadt. It cannot be changed later."
        ),
        validators=[InputRequired(_l("Please enter a short name.")), Length(max=63)],
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    hosts = TextAreaField(
        _l("Host names"),
        description=_l("One per line. The first is the town's address; the others forward to it."),
        validators=[InputRequired(_l("Please enter at least one host name."))],
        render_kw={"rows": 3, "autocapitalize": "none", "spellcheck": "false"},
    )
    admin_email = EmailField(
        _l("E-mail address of the town's first admin"),
        description=_l("Gets an invitation to choose a password. Optional."),
        validators=[Optional(), Length(max=254)],
    )
    plugins = MultiCheckbox(_l("Modules the town may use"), choices=[])


class ConfirmSlugForm(FlaskForm):
    slug = StringField(
        _l("Type the town's short name to confirm"),
        validators=[InputRequired(_l("Please type the short name."))],
        render_kw={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"},
    )


class HostsForm(FlaskForm):
    hosts = TextAreaField(
        _l("Host names"),
        description=_l("One per line. The first is the town's address; the others forward to it."),
        validators=[InputRequired(_l("Please enter at least one host name."))],
        render_kw={"rows": 3, "autocapitalize": "none", "spellcheck": "false"},
    )


class PluginsForm(FlaskForm):
    plugins = MultiCheckbox(_l("Modules the town may use"), choices=[])
