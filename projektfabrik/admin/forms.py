"""Forms of the admin area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, StringField
from wtforms.validators import AnyOf, Email, InputRequired, Length


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
