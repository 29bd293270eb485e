"""Team forms. Labels and messages are lazy so they follow the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from projektfabrik.formfields import LocalDateField
from projektfabrik.teams import files
from projektfabrik.teams.services import MOTIVATION_MAX


class JoinRequestForm(FlaskForm):
    motivation = TextAreaField(
        _l("Why do you want to join?"),
        validators=[
            InputRequired(_l("Please tell the team why you want to join.")),
            Length(
                max=MOTIVATION_MAX, message=_l("At most %(max)d characters.", max=MOTIVATION_MAX)
            ),
        ],
        description=_l("A few sentences for the owners: what draws you to the project?"),
        render_kw={"rows": 4},
    )
    skills = StringField(
        _l("Skills you bring"),
        validators=[Optional(), Length(max=500)],
        description=_l("Separated by commas, e.g. carpentry, accounting, a van."),
    )


class DecisionForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the person (optional)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 2},
    )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            InputRequired(_l("Please enter an e-mail address.")),
            Email(_l("Please enter a valid e-mail address, e.g. name@example.org.")),
            Length(max=254),
        ],
    )
    message = TextAreaField(
        _l("A few words with the invitation (optional)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 2},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Join code"),
        validators=[InputRequired(_l("Please enter the code.")), Length(max=20)],
        description=_l("Eight letters and digits, e.g. ABCD-2345, as the team showed it to you."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class WantedForm(FlaskForm):
    wanted_skills = StringField(
        _l("Skills we are looking for"),
        validators=[Optional(), Length(max=500)],
        description=_l("Separated by commas, e.g. gardening, accounting, social media."),
    )
    looking_for_members = BooleanField(_l("We are looking for people to join"))


def need_kind_choices() -> list[SelectChoice]:
    return [SelectChoice("role", _l("Role")), SelectChoice("resource", _l("Resource"))]


class NeedForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=need_kind_choices, validate_choice=True)
    title = StringField(
        _l("What are you looking for?"),
        validators=[InputRequired(_l("Please name the role or resource.")), Length(max=120)],
        description=_l("A role (e.g. treasurer) or a resource (e.g. a room, a trailer)."),
    )
    note = StringField(_l("Details (optional)"), validators=[Optional(), Length(max=300)])


class TaskForm(FlaskForm):
    task = StringField(
        _l("Task in the team"),
        validators=[Optional(), Length(max=120)],
        description=_l("e.g. treasurer, press, building"),
    )


class PostForm(FlaskForm):
    body = TextAreaField(
        _l("Your post"),
        validators=[InputRequired(_l("Please write something.")), Length(max=10000)],
        description=_l(
            "Only the team sees it. Mention someone with @ and their name, e.g. @Lena Lindner."
        ),
        render_kw={"rows": 4},
    )


class TeamMailForm(FlaskForm):
    subject = StringField(
        _l("Subject"),
        validators=[InputRequired(_l("Please give the mail a subject.")), Length(max=200)],
        id="mail-subject",
    )
    body = TextAreaField(
        _l("Message"),
        validators=[InputRequired(_l("Please write something.")), Length(max=10000)],
        description=_l(
            "Every member gets it by mail; no one sees the others' addresses. "
            "Replies appear here on the board."
        ),
        render_kw={"rows": 5},
        # The board's post form on the same page has "body": a second one would
        # leave this field without a working label.
        id="mail-body",
    )


class FileForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Please choose a file."))],
        description=_l(
            "PDF, pictures (PNG, JPEG, WebP), OpenDocument, Word, Excel or plain text; "
            "at most %(mb)d MB.",
            mb=files.DEFAULT_MAX_MB,
        ),
    )


class MeetingForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Please give the meeting a title.")), Length(max=200)],
    )
    day = LocalDateField(_l("Date"), validators=[InputRequired(_l("Please enter the date."))])
    start = TimeField(
        _l("Starts at"),
        validators=[InputRequired(_l("Please enter the time, e.g. 18:30."))],
    )
    end = TimeField(_l("Ends at (optional)"), validators=[Optional()])
    place = StringField(
        _l("Place"),
        validators=[Optional(), Length(max=300)],
        description=_l("Address or room, e.g. Bürgerhaus, Hafenstraße 1."),
    )
    video_url = StringField(
        _l("Video link"),
        validators=[Optional(), Length(max=500)],
        description=_l("Optional, e.g. https://meet.example.org/our-team"),
        render_kw={"inputmode": "url"},
    )
    description = TextAreaField(
        _l("What is it about? (optional)"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 3},
    )
