"""Forms of the admin area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, InputRequired, Length


class SwitchForm(FlaskForm):
    """One button that switches a module on (``enabled=1``) or off (``enabled=0``)."""

    enabled = HiddenField(validators=[AnyOf(["0", "1"])])


class NameForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Please enter a name.")), Length(max=120)]
    )
