"""The Kneipentools' forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from projektfabrik.api import lazy_gettext as _l
from projektfabrik_pubtools.sheets import SHEETS


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from the sheet"),
        validators=[DataRequired(message=_l("Please type in the code from the sheet."))],
        description=_l("Eight letters and digits, for example ABCD-EFGH."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class PhotoForm(FlaskForm):
    step = SelectField(_l("Which sheet does it show?"), choices=[], validate_choice=True)
    photo = FileField(
        _l("Photo or scan of the filled sheet"),
        validators=[DataRequired(message=_l("Please choose a photo."))],
    )


class InviteForm(FlaskForm):
    people = TextAreaField(
        _l("People from the sign-in list"),
        validators=[
            DataRequired(message=_l("Please type in at least one person.")),
            Length(max=8000),
        ],
        description=_l(
            "One person per line: name, comma, e-mail address. "
            "Only people who ticked the consent box."
        ),
        render_kw={"rows": 8},
    )
    message = TextAreaField(
        _l("A few words for the invitation (optional)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 3},
    )
    consent = BooleanField(
        _l("Everyone on this list ticked the consent box on the sign-in list."),
        validators=[InputRequired(message=_l("Invite only people who agreed to be contacted."))],
    )


class PostcardForm(FlaskForm):
    pages = IntegerField(
        _l("Pages (four cards each)"),
        default=5,
        validators=[
            InputRequired(message=_l("Please give a number of pages.")),
            NumberRange(min=1, max=50, message=_l("Between 1 and 50 pages.")),
        ],
    )


class SettingsForm(FlaskForm):
    """The town's settings on the admin's "Module" page (names = settings keys)."""

    footer_text = StringField(
        _l("Short text in the footer of every sheet"),
        validators=[Optional(), Length(max=160)],
    )
    contact_line = StringField(
        _l("The town's contact line"),
        validators=[Optional(), Length(max=160)],
        description=_l("For example: Bürgerbüro, Rathaus Zimmer 3, 0351 123456"),
    )


# One switch per sheet: "offer_<key>" (a checkbox each, labelled with the sheet's name).
for _sheet in SHEETS.values():
    setattr(
        SettingsForm,
        f"offer_{_sheet.key}",
        BooleanField(_l("Offer the sheet “%(title)s”", title=_sheet.title)),
    )
