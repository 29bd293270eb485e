"""Forms of the council motion module."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from projektfabrik.api import lazy_gettext as _l


class MotionForm(FlaskForm):
    """The team's text; the checks (required parts, limits, decision) run in services."""

    version = HiddenField()
    title = StringField(_l("Title"), validators=[Length(max=300)])
    resolution = TextAreaField(
        _l("Text to vote on"),
        description=_l(
            "Only what the council decides, after “The council may resolve:”. "
            "Reasons belong in the justification."
        ),
        validators=[Length(max=20000)],
        render_kw={"rows": 6},
    )
    justification = TextAreaField(
        _l("Justification"), validators=[Length(max=40000)], render_kw={"rows": 10}
    )
    financial_effects = TextAreaField(
        _l("Financial effects"),
        description=_l("Costs, follow-up costs and how to cover them."),
        validators=[Length(max=10000)],
        render_kw={"rows": 4},
    )
    budget_line = StringField(
        _l("Budget line (if known)"), validators=[Optional(), Length(max=200)]
    )
    submitters = TextAreaField(
        _l("Submitters"),
        description=_l("One name per line; on signature lists these are the representatives."),
        validators=[Length(max=2000)],
        render_kw={"rows": 3},
    )


class StepForm(FlaskForm):
    state = HiddenField(validators=[DataRequired()])
    on = DateField(_l("Date"), validators=[Optional()])
    note = TextAreaField(
        _l("Note"),
        description=_l("Required for: reason (not admissible), committee, session."),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )
    link = StringField(
        _l("Link to the council's document"), validators=[Optional(), Length(max=500)]
    )


class PaperForm(FlaskForm):
    paper_reference = StringField(_l("Paper number"), validators=[Optional(), Length(max=100)])
    paper_url = StringField(
        _l("Link to the paper in the council information system"),
        description=_l("For example the paper's web page from the town's OParl system."),
        validators=[Optional(), Length(max=500)],
    )


class SupportForm(FlaskForm):
    family_name = StringField(_l("Family name"), validators=[Length(max=200)])
    first_name = StringField(_l("First name"), validators=[Length(max=200)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    address = TextAreaField(_l("Address"), validators=[Length(max=500)], render_kw={"rows": 2})
    resident = BooleanField(
        _l("I live in this town and may sign under its rules."),
        validators=[DataRequired(message=_l("Please confirm that you may sign."))],
    )


class ListForm(FlaskForm):
    count = IntegerField(
        _l("Valid signatures on this list"),
        validators=[DataRequired(), NumberRange(min=0, max=100000)],
    )
    signers = TextAreaField(
        _l("Signers (optional, for the duplicate check)"),
        description=_l(
            "One per line: family name; first name; date of birth (31.12.1990); address."
        ),
        validators=[Optional(), Length(max=200000)],
        render_kw={"rows": 4},
    )


class TakeOnForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Length(max=200)])


class SettingsForm(FlaskForm):
    """The town's rules (field names are the keys of rules.DEFAULTS)."""

    council_name = StringField(_l("Name of the council"), validators=[Length(max=100)])
    offer_group = BooleanField(_l("Offer the way through a council group"))
    offer_residents = BooleanField(_l("Offer residents' motions with signatures"))
    council_groups = TextAreaField(
        _l("Council groups"),
        description=_l("One per line: name | e-mail address"),
        validators=[Optional(), Length(max=5000)],
    )
    max_title = IntegerField(_l("Longest title (characters)"), validators=[NumberRange(0)])
    max_resolution = IntegerField(
        _l("Longest text to vote on (characters)"), validators=[NumberRange(0)]
    )
    max_justification = IntegerField(
        _l("Longest justification (characters)"), validators=[NumberRange(0)]
    )
    quorum_kind = SelectField(_l("Quorum"), choices=[])
    quorum_share_bp = IntegerField(
        _l("Share of residents, in hundredths of a percent (500 = 5 %)"),
        validators=[NumberRange(0, 10000)],
    )
    quorum_count = IntegerField(_l("Fixed number of signatures"), validators=[NumberRange(0)])
    quorum_cap = IntegerField(
        _l("At most this many signatures are needed (0: no cap)"), validators=[NumberRange(0)]
    )
    eligible_residents = IntegerField(
        _l("Residents who may sign (for the share)"), validators=[NumberRange(0)]
    )
    min_age = IntegerField(_l("Minimum age to sign"), validators=[NumberRange(0, 120)])
    residence_months = IntegerField(
        _l("Months of residence before signing"), validators=[NumberRange(0, 120)]
    )
    collection_days = IntegerField(
        _l("Days to collect signatures"), validators=[NumberRange(1, 3650)]
    )
    council_deadline_months = IntegerField(
        _l("Months within which the council deals with it"), validators=[NumberRange(0, 24)]
    )
    online_support = BooleanField(_l("Allow online support (counted apart from signatures)"))
    ask_birth_date = BooleanField(_l("Ask signers for their date of birth"))
    retention_days = IntegerField(
        _l("Days after the admissibility decision until signers' data is deleted"),
        validators=[NumberRange(0, 3650)],
    )
    privacy_notice = TextAreaField(
        _l("Data protection notice on each signature list"),
        validators=[Optional(), Length(max=2000)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quorum_kind.choices = [
            SelectChoice("share", _l("A share of the residents")),
            SelectChoice("count", _l("A fixed number")),
        ]
