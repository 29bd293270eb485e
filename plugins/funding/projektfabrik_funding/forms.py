"""Forms of the funding module. Amounts are typed in euros and stored in cents."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from projektfabrik.api import LocalDateField, MoneyError, parse_cents
from projektfabrik.api import lazy_gettext as _l


def money_check(form: FlaskForm, field: StringField) -> None:
    try:
        parse_cents(field.data)
    except MoneyError as error:
        raise ValidationError(str(error)) from error


def parse_questions(text: str) -> list[dict[str, object]]:
    """One question per line: ``question | help text | maximum length``."""
    found = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        limit = parts[2] if len(parts) > 2 and parts[2].isdigit() else "1000"
        found.append(
            {
                "question": parts[0],
                "help": parts[1] if len(parts) > 1 else "",
                "max_length": int(limit),
            }
        )
    return found


def parse_criteria(text: str) -> list[dict[str, object]]:
    """One criterion per line: ``name | weight``."""
    found = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        weight = parts[1] if len(parts) > 1 and parts[1].isdigit() else "1"
        found.append({"name": parts[0], "weight": max(1, int(weight))})
    return found


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PotForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    sponsor = StringField(_l("Sponsor"), validators=[Optional(), Length(max=200)])
    budget = StringField(_l("Budget (€)"), validators=[DataRequired(), money_check])
    min_grant = StringField(_l("Minimum grant (€)"), validators=[DataRequired(), money_check])
    max_grant = StringField(_l("Maximum grant (€)"), validators=[DataRequired(), money_check])
    min_own_share = IntegerField(
        _l("Minimum own contribution (%)"), validators=[Optional(), NumberRange(min=0, max=100)]
    )
    eligible_cost_types = SelectMultipleField(
        _l("Eligible cost types"),
        choices=[],
        validators=[Optional()],
        description=_l("Choose none to accept every cost type."),
    )
    opens_on = LocalDateField(_l("Submission opens on"), validators=[Optional()])
    closes_on = LocalDateField(_l("Submission closes on"), validators=[Optional()])
    criteria = TextAreaField(_l("Criteria"), validators=[Optional(), Length(max=10000)])
    questions = TextAreaField(
        _l("Questions for every applicant"),
        validators=[Optional(), Length(max=10000)],
        description=_l("One per line: question | help text | maximum length"),
    )
    body = SelectField(_l("Who decides"), choices=[])
    jurors_per_application = IntegerField(
        _l("Jurors per application"), default=2, validators=[Optional(), NumberRange(1, 20)]
    )
    ratings_required = IntegerField(
        _l("Jury ratings needed before the decision"),
        default=0,
        validators=[Optional(), NumberRange(0, 20)],
        description=_l("0: every juror assigned to the application must have rated."),
    )
    jury_criteria = TextAreaField(
        _l("Jury criteria"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line: criterion | weight"),
    )
    rating_ends_on = LocalDateField(_l("Rating ends on"), validators=[Optional()])
    required_attachments = TextAreaField(
        _l("Required attachments"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line"),
    )
    state = SelectField(_l("State"), choices=[])
    show_funded = BooleanField(_l("Show the funded projects on the pot's public page"))
    regional = BooleanField(
        _l("Open to the region: teams of the neighbouring towns taking part may apply")
    )


class JurorsForm(FlaskForm):
    emails = TextAreaField(
        _l("Jurors (e-mail addresses of people of the town)"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line"),
    )


class ApplicationForm(FlaskForm):
    title = StringField(_l("Project title"), validators=[Optional(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=10000)])
    applicant_name = StringField(_l("Applicant"), validators=[Optional(), Length(max=200)])
    legal_form = SelectField(_l("Legal form"), choices=[], validators=[Optional()])
    # autocomplete: the browser may fill in the person's own details (WCAG 1.3.5).
    address = TextAreaField(
        _l("Address"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"autocomplete": "street-address"},
    )
    contact_person = StringField(
        _l("Contact person"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Email(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=60)],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    signatory = StringField(_l("Authorised signatory"), validators=[Optional(), Length(max=200)])
    iban = StringField(
        _l("IBAN"),
        validators=[Optional(), Length(max=50)],
        description=_l("Leave empty to keep the saved account."),
    )
    declarations = BooleanField(
        _l("We confirm that the information is true and accept the funding conditions of the pot.")
    )


class DecisionForm(FlaskForm):
    amount = StringField(_l("Approved amount (€)"), validators=[Optional(), money_check])
    conditions = TextAreaField(_l("Conditions"), validators=[Optional(), Length(max=5000)])
    reason = TextAreaField(
        _l("Reason for the rejection"), validators=[Optional(), Length(max=5000)]
    )


class MessageForm(FlaskForm):
    message = TextAreaField(_l("What is missing"), validators=[DataRequired(), Length(max=5000)])


class AmountForm(FlaskForm):
    amount = StringField(_l("Amount (€)"), validators=[DataRequired(), money_check])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])


class ProofForm(FlaskForm):
    report = TextAreaField(
        _l("Report: what happened, which goals were reached"),
        validators=[DataRequired(), Length(max=20000)],
    )
    participants = IntegerField(
        _l("Number of participants"), validators=[Optional(), NumberRange(min=0)]
    )


class SettingsForm(FlaskForm):
    """The town's funding settings (field names are the keys declared in plugin.py)."""

    funded_status = SelectField(_l("Status of a project once its funding is approved"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from projektfabrik_funding.status import FUNDED_STATUSES

        labels = {"planning": _l("Planning"), "running": _l("Running")}
        self.funded_status.choices = [
            SelectChoice(s.value, labels[s.value]) for s in FUNDED_STATUSES
        ]
