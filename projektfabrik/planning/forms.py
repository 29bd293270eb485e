"""Planning forms. Choices that depend on the project or the reader's language are
set when the form is built (``choices=`` keyword arguments)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from projektfabrik.formfields import LocalDateField
from projektfabrik.planning import services
from projektfabrik.planning.models import (
    CostType,
    FinancingKind,
    ResourceKind,
    Source,
    TaskStatus,
)
from projektfabrik.planning.money import MoneyError, format_input, parse_cents


class MoneyField(StringField):
    """An amount typed the reader's way; ``data`` is integer cents (or None when empty).

    What was typed goes back into the field after an error, unchanged.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {})
        kwargs["render_kw"].setdefault("inputmode", "decimal")
        kwargs["render_kw"].setdefault("autocomplete", "off")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            self.data = parse_cents(str(valuelist[0]))
        except MoneyError as error:
            raise ValueError(error.message) from error

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return format_input(self.data) if self.data is not None else ""


def _choices(pairs: list[tuple[str, str]], empty: str | None = None) -> list[SelectChoice]:
    """The views hand over (value, label) pairs; WTForms 3.4 takes only SelectChoice."""
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(value, label) for value, label in pairs]


class _RevisionForm(FlaskForm):
    revision = HiddenField(default="0")

    @property
    def expected_revision(self) -> int:
        try:
            return int(self.revision.data or 0)
        except ValueError:
            return -1


class ProfileForm(FlaskForm):
    version = HiddenField(default="0")

    @property
    def expected_version(self) -> int:
        try:
            return int(self.version.data or 0)
        except ValueError:
            return -1


_PROFILE_HINTS = {
    "problem": _l("Which problem or challenge does the project take on?"),
    "goal": _l("What do you want to reach, in one or two sentences?"),
    "vision": _l("How does the neighbourhood look when it worked?"),
    "description": _l("What will you do, and how?"),
    "delimitation": _l("What does the project deliberately not do?"),
    "target_groups": _l("Who is it for? Who takes part?"),
    "results": _l("What is there at the end that was not there before?"),
    "effects": _l("What changes for people, beyond the project?"),
    "local_reference": _l("Why here? Which place, which district?"),
    "partners": _l("Who works with you: associations, businesses, the town?"),
}

for _name in services.PROFILE_FIELDS:
    setattr(
        ProfileForm,
        _name,
        TextAreaField(
            services.PROFILE_LABELS[_name],
            validators=[Optional(), Length(max=services.TEXT_MAX)],
            description=_PROFILE_HINTS[_name],
            render_kw={"rows": 4},
        ),
    )


class WorkPackageForm(_RevisionForm):
    name = StringField(
        _l("Name"),
        validators=[InputRequired(_l("Please give the work package a name.")), Length(max=200)],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=services.TEXT_MAX)],
        render_kw={"rows": 3},
    )
    responsible = SelectField(_l("Responsible"), validate_choice=True, default="")

    def __init__(self, *args: Any, team: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.responsible.choices = _choices(list(team), str(_l("Nobody yet")))


class TaskForm(_RevisionForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Please give the task a title.")), Length(max=200)],
    )
    work_package = SelectField(_l("Work package"), validate_choice=True, default="")
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=services.TEXT_MAX)],
        render_kw={"rows": 3},
    )
    expected_result = TextAreaField(
        _l("Expected result"),
        validators=[Optional(), Length(max=services.TEXT_MAX)],
        render_kw={"rows": 2},
    )
    responsible = SelectField(_l("Responsible"), validate_choice=True, default="")
    start = LocalDateField(
        _l("Start"),
        validators=[Optional()],
    )
    end = LocalDateField(
        _l("End"),
        validators=[Optional()],
    )
    status = SelectField(_l("Status"), validate_choice=True, default=TaskStatus.OPEN.value)

    def __init__(
        self,
        *args: Any,
        team: list[tuple[str, str]] = (),  # type: ignore[assignment]
        packages: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.responsible.choices = _choices(list(team), str(_l("Nobody yet")))
        self.work_package.choices = _choices(list(packages), str(_l("No work package")))
        self.status.choices = [
            SelectChoice(s.value, services.task_status_label(s)) for s in TaskStatus
        ]


class MilestoneForm(_RevisionForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Please give the milestone a title.")), Length(max=200)],
    )
    due = LocalDateField(
        _l("Date"),
        validators=[InputRequired(_l("Please enter the date of the milestone."))],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=services.TEXT_MAX)],
        render_kw={"rows": 2},
    )


class RequirementForm(_RevisionForm):
    description = StringField(
        _l("What is needed"),
        validators=[InputRequired(_l("Please describe what is needed.")), Length(max=300)],
    )
    kind = SelectField(
        _l("Kind"), validate_choice=True, validators=[InputRequired(_l("Please choose a kind."))]
    )
    quantity = IntegerField(
        _l("Quantity"),
        default=1,
        validators=[
            InputRequired(_l("Please enter a quantity.")),
            NumberRange(1, 1_000_000, _l("Please enter a quantity between 1 and 1,000,000.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    unit = StringField(
        _l("Unit"),
        validators=[Optional(), Length(max=40)],
        description=_l("Optional, e.g. pieces, hours, m²."),
    )
    cost = MoneyField(
        _l("Cost in euros (total for this line)"),
        description=_l("Empty or 0 when it costs nothing. E.g. 1.234,56"),
    )
    cost_type = SelectField(
        _l("Cost type"),
        validate_choice=True,
        validators=[InputRequired(_l("Please choose a cost type."))],
        description=_l(
            "Where the line goes in the finance plan: material, rent, fees for people, "
            "travel, investment or administrative costs. Choose what fits; nothing is preset."
        ),
    )
    source = SelectField(
        _l("Paid from"),
        validate_choice=True,
        validators=[InputRequired(_l("Please choose where it comes from."))],
        description=_l(
            "“In kind” for what someone gives or does for free (volunteer hours, "
            "a lent room): it is listed, not counted as money."
        ),
    )
    task = SelectField(_l("For the task"), validate_choice=True, default="")

    def __init__(self, *args: Any, tasks: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        # No preset: a default here would put volunteer hours under some cost type
        # nobody chose ("0,00 € · Verwaltungskosten"); the person picks each one.
        choose = str(_l("Please choose"))
        self.kind.choices = _choices(
            [(k.value, services.kind_label(k)) for k in ResourceKind], choose
        )
        self.cost_type.choices = _choices(
            [(c.value, services.cost_type_label(c)) for c in CostType], choose
        )
        self.source.choices = _choices(
            [(s.value, services.source_label(s)) for s in Source], choose
        )
        self.task.choices = _choices(list(tasks), str(_l("No particular task")))


class CostItemForm(_RevisionForm):
    description = StringField(
        _l("Cost item"),
        validators=[InputRequired(_l("Please describe the cost.")), Length(max=300)],
    )
    cost_type = SelectField(
        _l("Cost type"),
        validate_choice=True,
        validators=[InputRequired(_l("Please choose a cost type."))],
        description=_l("Where the cost goes in the finance plan. Nothing is preset."),
    )
    amount = MoneyField(
        _l("Amount in euros"),
        validators=[InputRequired(_l("Please enter an amount."))],
        description=_l("E.g. 1.234,56"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cost_type.choices = _choices(
            [(c.value, services.cost_type_label(c)) for c in CostType], str(_l("Please choose"))
        )


class FinancingForm(_RevisionForm):
    kind = SelectField(_l("Kind of financing"), validate_choice=True)
    description = StringField(
        _l("From whom or what"),
        validators=[Optional(), Length(max=300)],
        description=_l("Optional, e.g. the name of a sponsor or of the funding pot."),
    )
    amount = MoneyField(
        _l("Amount in euros"),
        validators=[InputRequired(_l("Please enter an amount."))],
        description=_l("E.g. 1.234,56"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [
            SelectChoice(k.value, services.financing_label(k)) for k in FinancingKind
        ]


class OfferForm(FlaskForm):
    kind = SelectField(_l("What do you offer?"), validate_choice=True)
    description = StringField(
        _l("Your offer in a few words"),
        validators=[InputRequired(_l("Please say what you offer.")), Length(max=300)],
        description=_l("E.g. “our club room on Tuesday evenings” or “a trailer for a weekend”."),
    )
    requirement = SelectField(_l("For which need"), validate_choice=True, default="")
    message = TextAreaField(
        _l("Message to the team"),
        validators=[Optional(), Length(max=services.TEXT_MAX)],
        render_kw={"rows": 3},
    )

    def __init__(
        self,
        *args: Any,
        needs: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k.value, services.kind_label(k)) for k in ResourceKind]
        self.requirement.choices = _choices(list(needs), str(_l("Something else")))


class VisibilityForm(FlaskForm):
    profile = BooleanField(_l("Profile"))
    work_plan = BooleanField(_l("Work plan and schedule"))
    resources = BooleanField(_l("Resource plan"))
    finance = BooleanField(_l("Finance plan"))


class RestoreForm(FlaskForm):
    version = HiddenField()
