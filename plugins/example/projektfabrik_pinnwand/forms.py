"""The note form and the town admin's settings form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from projektfabrik.api import lazy_gettext as _l

MAX_NOTE = 2000


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Your note"), validators=[DataRequired(), Length(max=MAX_NOTE)])
    code = PasswordField(
        _l("Posting code"),
        validators=[Optional()],
        description=_l("The town hands out this code at its meetings."),
    )


class SettingsForm(FlaskForm):
    """Field names are the keys of the declared settings (see plugin.py)."""

    board_title = StringField(
        _l("Title of the board"),
        validators=[Optional(), Length(max=60)],
        description=_l("Leave empty for “Notice board”."),
    )
    max_length = IntegerField(
        _l("Longest note (characters)"),
        validators=[DataRequired(), NumberRange(min=50, max=MAX_NOTE)],
    )
    notify_email = EmailField(
        _l("Send every new note to"),
        validators=[Optional(), Email()],
        description=_l("An e-mail address of the town hall; leave empty for no mail."),
    )
    posting_code = PasswordField(
        _l("Posting code"),
        validators=[Optional(), Length(max=60)],
        description=_l("When set, only people who know this code can post."),
    )
