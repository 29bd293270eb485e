"""Forms of the admin area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf


class SwitchForm(FlaskForm):
    """One button that switches a module on (``enabled=1``) or off (``enabled=0``)."""

    enabled = HiddenField(validators=[AnyOf(["0", "1"])])
