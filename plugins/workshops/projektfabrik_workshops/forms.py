"""The forms of the workshop pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from projektfabrik.api import lazy_gettext as _l


class WorkshopForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Please give the workshop a title.")), Length(max=200)],
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 4}
    )
    day = DateField(_l("Date"), validators=[InputRequired(_l("Please enter the date."))])
    start = TimeField(
        _l("Starts at"), validators=[InputRequired(_l("Please enter the time, e.g. 17:00."))]
    )
    end = TimeField(
        _l("Ends at"), validators=[InputRequired(_l("Please enter the time, e.g. 20:00."))]
    )
    place = StringField(
        _l("Place"),
        validators=[Optional(), Length(max=300)],
        description=_l("Address and room, e.g. Rathaus, Markt 1, Ratssaal."),
    )
    accessibility = TextAreaField(
        _l("Accessibility of the room"),
        validators=[Optional(), Length(max=2000)],
        description=_l("e.g. step-free access, hearing loop, accessible toilet."),
        render_kw={"rows": 2},
    )
    online_url = StringField(
        _l("Online link"),
        validators=[Optional(), Length(max=500)],
        description=_l("For taking part by video, e.g. https://meet.example.org/werkstatt"),
        render_kw={"inputmode": "url"},
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Please enter how many people can take part.")),
            NumberRange(min=1, max=1000, message=_l("Between 1 and 1000.")),
        ],
    )
    deadline_days = IntegerField(
        _l("Registration closes … days before"),
        validators=[Optional(), NumberRange(min=0, max=60, message=_l("Between 0 and 60."))],
        description=_l("Leave empty to take registrations until the workshop begins."),
    )
    topics = TextAreaField(
        _l("Topics"),
        validators=[Optional(), Length(max=2000)],
        description=_l("One per line."),
        render_kw={"rows": 3},
    )
    invited_projects = StringField(
        _l("Projects invited to present"),
        validators=[Optional(), Length(max=200)],
        description=_l("Their numbers, separated by commas, e.g. 3, 12."),
    )
    moderator_email = EmailField(
        _l("Moderator"),
        validators=[Optional(), Email(_l("Please enter a valid e-mail address."))],
        description=_l("The e-mail address of their account; empty: you."),
    )
    repeat = SelectField(_l("Repeat"), default="none")
    count = IntegerField(
        _l("Number of dates"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=12, message=_l("Between 1 and 12."))],
        description=_l("For a series: how many dates to create (at most 12)."),
    )


class RegisterForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=200)])
    email = EmailField(
        _l("E-mail address"),
        validators=[Optional(), Email(_l("Please enter a valid e-mail address.")), Length(max=320)],
    )
    attendance = RadioField(
        _l("How will you take part?"),
        validators=[InputRequired(_l("Please choose on site or online."))],
    )
    needs = TextAreaField(
        _l("What support do you need? (optional)"),
        validators=[Optional(), Length(max=1000)],
        description=_l(
            "e.g. sign-language interpreting, hearing loop, step-free access, childcare. "
            "Only the organisers see this."
        ),
        render_kw={"rows": 2},
    )
    named_in_protocol = BooleanField(_l("You may name me in the protocol."))


class ItemForm(FlaskForm):
    kind = SelectField(_l("What is it?"), default="idea")
    text = TextAreaField(
        _l("Text"),
        validators=[InputRequired(_l("Please write something.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
    owner = StringField(_l("Who takes it on? (optional)"), validators=[Optional(), Length(max=200)])
    project_ref = StringField(
        _l("Project number (optional)"),
        validators=[Optional(), Length(max=9)],
        render_kw={"inputmode": "numeric"},
    )


class ProtocolForm(FlaskForm):
    text = TextAreaField(
        _l("Protocol"),
        validators=[InputRequired(_l("The protocol is empty.")), Length(max=50000)],
        description=_l("Markdown: # heading, - list, **bold**."),
        render_kw={"rows": 18},
    )


class ButtonForm(FlaskForm):
    """A form with only its CSRF token: publish, cancel, check in."""
