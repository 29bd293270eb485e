"""Forms of the goals' admin pages and of a project's contribution page.

Numbers are typed as text and parsed by :func:`projektfabrik.strategy.values.parse_value`
in the reader's language (``1.234,5`` in German), so they are fields of text here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from projektfabrik.formfields import LocalDateField


class GroupForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Please enter a name.")), Length(max=120)]
    )


class GoalForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[InputRequired(_l("Please enter a title.")), Length(max=160)]
    )
    summary = TextAreaField(
        _l("Short text"),
        validators=[Optional(), Length(max=2000)],
        description=_l("What the town wants to reach, in two or three sentences."),
    )
    source_url = StringField(
        _l("Link to the source document"),
        validators=[
            Optional(),
            Length(max=500),
            URL(
                require_tld=False, message=_l("Please enter a web address starting with https://.")
            ),
        ],
        description=_l("e.g. the climate protection concept or the mobility plan."),
    )
    group = SelectField(_l("Field of action"), choices=[], validate_choice=True)


class IndicatorForm(FlaskForm):
    name = StringField(
        _l("Indicator"),
        validators=[InputRequired(_l("Please enter a name.")), Length(max=160)],
        description=_l("What is counted, e.g. “CO₂ saved”."),
    )
    unit = StringField(
        _l("Unit"),
        validators=[
            InputRequired(_l("Please enter the unit, e.g. “trees planted”.")),
            Length(max=40),
        ],
        description=_l("e.g. “t CO₂ per year”, “trees”, “people”, “m²”, “hours”."),
    )


class TargetForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Please enter a year.")),
            NumberRange(2000, 2100, _l("Please enter a year from 2000 to 2100.")),
        ],
    )
    value = StringField(
        _l("Target"),
        validators=[Length(max=40)],
        description=_l("Leave empty to remove the target of this year."),
    )


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProjectGoalsForm(FlaskForm):
    goals = MultiCheckbox(_l("Goals the project serves"), choices=[], validate_choice=False)


class ExpectedForm(FlaskForm):
    value = StringField(
        _l("Expected contribution"),
        validators=[Length(max=40)],
        description=_l("Leave empty to remove it."),
    )
    basis = StringField(
        _l("Basis"),
        validators=[Length(max=300)],
        description=_l("How you arrive at the number, e.g. “12 households × 0.4 t CO₂”."),
    )


class ResultForm(FlaskForm):
    indicator = SelectField(_l("Indicator"), choices=[], validate_choice=True)
    value = StringField(
        _l("Achieved value"),
        validators=[InputRequired(_l("Please enter a number.")), Length(max=40)],
    )
    achieved_on = LocalDateField(
        _l("Date"), validators=[InputRequired(_l("Please enter the date."))]
    )
    note = StringField(_l("Note"), validators=[Length(max=300)])
    file = FileField(
        _l("Photo or document (optional)"),
        description=_l("PDF, image or text document. A new report of the same year replaces it."),
    )
