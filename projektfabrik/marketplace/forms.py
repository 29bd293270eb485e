"""Marketplace forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from projektfabrik.images import ACCEPT as IMAGE_ACCEPT

PITCH_MAX = 280


class ProjectForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Please give your idea a title.")), Length(max=120)],
        description=_l("Short and clear, e.g. “Community garden at the harbour”."),
    )
    pitch = TextAreaField(
        _l("Your idea in a few sentences"),
        validators=[
            InputRequired(_l("Please describe your idea in a few sentences.")),
            Length(max=PITCH_MAX, message=_l("At most %(max)d characters.", max=PITCH_MAX)),
        ],
        description=_l(
            "At most %(max)d characters. What do you want to do, and why?", max=PITCH_MAX
        ),
        render_kw={"maxlength": PITCH_MAX, "rows": 3},
    )
    description_md = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Optional. You can use Markdown: **bold**, *italic*, lists with -."),
        render_kw={"rows": 8},
    )
    category = SelectField(_l("Category"), validate_choice=True)
    district = SelectField(_l("District"), validate_choice=True)
    wanted_skills = StringField(
        _l("Who or what are you looking for?"),
        validators=[Optional(), Length(max=500)],
        description=_l("Skills, separated by commas, e.g. gardening, accounting, a van."),
    )
    looking_for_members = BooleanField(_l("We are looking for people to join"), default=True)
    image = FileField(
        _l("Picture"),
        # Checked by its bytes when saved (images.save_image), never by its name.
        render_kw={"accept": IMAGE_ACCEPT},
        description=_l("Optional. JPEG, PNG, WebP or GIF, at most 5 MB."),
    )
    image_alt = StringField(
        _l("What the picture shows"),
        validators=[Optional(), Length(max=300)],
        description=_l(
            "Optional. A short description for people who cannot see the picture, "
            "e.g. “Children planting a tree in the school garden”. Leave it empty if "
            "the picture only decorates."
        ),
    )
    remove_image = BooleanField(_l("Remove the picture"))


class NewIdeaForm(ProjectForm):
    lead = BooleanField(
        _l("I want to lead this project"),
        default=True,
        description=_l(
            "Leave this unticked if you only want to share the idea: someone else can adopt it."
        ),
    )


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"))  # choices set by the view, in the reader's language


class UpdateForm(FlaskForm):
    body = TextAreaField(
        _l("News for everyone following the project"),
        validators=[InputRequired(_l("Please write something.")), Length(max=5000)],
        render_kw={"rows": 4},
        id="update-body",  # the comment form on the same page has "body"; ids are unique
    )


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[InputRequired(_l("Please write a comment.")), Length(max=3000)],
        render_kw={"rows": 3},
    )
    parent = HiddenField()


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("What is wrong with this comment?"),
        validators=[
            InputRequired(_l("Please tell the moderators what is wrong.")),
            Length(max=1000),
        ],
        render_kw={"rows": 3},
    )


class HideForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason shown to everyone instead of the comment"),
        validators=[
            InputRequired(_l("Please give the reason; the author will read it.")),
            Length(max=500),
        ],
        render_kw={"rows": 2},
    )
