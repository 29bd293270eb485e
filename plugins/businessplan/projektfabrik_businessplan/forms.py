"""Forms of the business plan. Amounts are typed as people write them ("1.234,56")
and parsed with the core's ``parse_cents``; what was typed stays in the field
when something is wrong."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from projektfabrik.api import MoneyError, format_input, parse_cents
from projektfabrik.api import lazy_gettext as _l
from projektfabrik_businessplan.services import TEXT_MAX

NAME_MAX = 120
MAX_CENTS = 10**12  # ten billion euros: more is a typing error
MAX_UNITS = 10**7


class MoneyField(StringField):
    """An amount in euros; ``cents`` after validation (0 when empty)."""

    cents = 0

    def pre_validate(self, form: Any) -> None:
        self.cents = 0
        text = (self.data or "").strip()
        if not text:
            return
        try:
            self.cents = parse_cents(text)
        except MoneyError as error:
            raise ValidationError(str(error)) from None
        if self.cents > MAX_CENTS:
            raise ValidationError(_l("This amount is too large."))


class PercentField(StringField):
    """A percentage such as "4,5"; ``basis_points`` after validation (450)."""

    basis_points = 0

    def pre_validate(self, form: Any) -> None:
        self.basis_points = 0
        text = (self.data or "").strip().rstrip("%").strip()
        if not text:
            return
        try:
            self.basis_points = parse_cents(text)
        except MoneyError:
            raise ValidationError(_l("Please enter a percentage like 4,5.")) from None
        if self.basis_points > 10_000:
            raise ValidationError(_l("At most 100 %, please."))


def _named(form: Any, fields: tuple[Field, ...]) -> bool:
    """Whether a row is used: a name, or any value typed. A used row needs a name."""
    used = any((f.data or "") not in ("", None, 0) for f in fields)
    if used and not (form.name.data or "").strip():
        form.name.errors = list(form.name.errors) + [_l("Please give this line a name.")]
        return False
    return True


class _Row(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=NAME_MAX)])

    def used(self) -> bool:
        return bool((self.name.data or "").strip())


class ItemRow(_Row):
    amount = MoneyField(_l("Amount (€)"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        return _named(self, (self.amount,)) and ok


class InvestmentRow(_Row):
    amount = MoneyField(_l("Price (€)"))
    years = IntegerField(
        _l("Useful life (years)"), validators=[Optional(), NumberRange(min=1, max=50)], default=5
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        return _named(self, (self.amount,)) and ok


class LoanRow(_Row):
    amount = MoneyField(_l("Amount (€)"))
    rate = PercentField(_l("Interest a year (%)"))
    months = IntegerField(
        _l("Term (months)"), validators=[Optional(), NumberRange(min=1, max=480)], default=60
    )
    grace_months = IntegerField(
        _l("Months without repayment at the start"),
        validators=[Optional(), NumberRange(min=0, max=60)],
        default=0,
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        months, grace = self.months.data, self.grace_months.data
        if ok and months and grace and grace >= months:
            self.grace_months.errors = list(self.grace_months.errors) + [
                _l("Fewer months than the term, please.")
            ]
            ok = False
        return _named(self, (self.amount,)) and ok


class ProductRow(_Row):
    price = MoneyField(_l("Net price per unit (€)"))
    unit_cost = MoneyField(_l("Direct cost per unit (€)"))
    q1 = IntegerField(
        _l("Units in year 1"), validators=[Optional(), NumberRange(min=0, max=MAX_UNITS)]
    )
    q2 = IntegerField(
        _l("Units in year 2"), validators=[Optional(), NumberRange(min=0, max=MAX_UNITS)]
    )
    q3 = IntegerField(
        _l("Units in year 3"), validators=[Optional(), NumberRange(min=0, max=MAX_UNITS)]
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        return _named(self, (self.price, self.unit_cost, self.q1, self.q2, self.q3)) and ok


class ThreeYears(Form):
    y1 = MoneyField(_l("Year 1 (€)"))
    y2 = MoneyField(_l("Year 2 (€)"))
    y3 = MoneyField(_l("Year 3 (€)"))


#: Empty rows shown below the filled ones, to add lines without JavaScript.
SPARE_ROWS = 2
#: Lines a list takes from a form at most (more are ignored, never stored).
MAX_ROWS = 40

#: The legend of each line of a list ("Investment 2").
ROW_LEGENDS = {
    "investments": _l("Investment %(number)d"),
    "startup_costs": _l("Start-up cost %(number)d"),
    "loans": _l("Loan %(number)d"),
    "grants": _l("Grant %(number)d"),
    "donations": _l("Donation %(number)d"),
    "products": _l("Product or service %(number)d"),
}


class NumbersForm(FlaskForm):
    version = HiddenField()
    investments = FieldList(FormField(InvestmentRow), min_entries=1, max_entries=MAX_ROWS)
    startup_costs = FieldList(FormField(ItemRow), min_entries=1, max_entries=MAX_ROWS)
    cash_reserve = MoneyField(
        _l("Cash reserve (€)"),
        description=_l("Money kept in the account for the first months; it is not spent."),
    )
    own_funds = MoneyField(_l("Own funds (€)"))
    loans = FieldList(FormField(LoanRow), min_entries=1, max_entries=MAX_ROWS)
    grants = FieldList(FormField(ItemRow), min_entries=1, max_entries=MAX_ROWS)
    donations = FieldList(FormField(ItemRow), min_entries=1, max_entries=MAX_ROWS)
    products = FieldList(FormField(ProductRow), min_entries=1, max_entries=MAX_ROWS)
    staff = FormField(ThreeYears, label=_l("Staff costs"))
    rent = FormField(ThreeYears, label=_l("Rent and room costs"))
    other = FormField(ThreeYears, label=_l("Other costs (insurance, phone, marketing, …)"))
    tax_rate = PercentField(
        _l("Taxes on profit (%)"),
        description=_l(
            "Simplified: this share of each year's profit. A non-profit often pays none; "
            "ask your tax adviser."
        ),
    )


class SectionForm(FlaskForm):
    version = HiddenField()
    text = TextAreaField(_l("Text"), validators=[Length(max=TEXT_MAX)])
    legal_form = RadioField(_l("Legal form"), validators=[Optional()], choices=[])


class CreateForm(FlaskForm):
    outline = RadioField(_l("Outline"), validators=[InputRequired()], choices=[])


class OutlineForm(FlaskForm):
    outline = RadioField(_l("Outline"), validators=[InputRequired()], choices=[])


# --- between the stored inputs and the form ---------------------------------------------


def _money(cents: Any) -> str:
    return format_input(int(cents)) if cents else ""


def _percent(bp: Any) -> str:
    return format_input(int(bp)) if bp else ""


def form_data(raw: dict[str, Any]) -> dict[str, Any]:
    """The stored inputs as the form's ``data``, with spare empty rows."""

    def rows(key: str, convert: Any) -> list[dict[str, Any]]:
        return ([convert(row) for row in raw.get(key, [])] + [{}] * SPARE_ROWS)[:MAX_ROWS]

    def item(row: dict[str, Any]) -> dict[str, Any]:
        return {"name": row["name"], "amount": _money(row["amount"])}

    def three(key: str) -> dict[str, str]:
        values = list(raw.get(key) or [0, 0, 0])
        return {"y1": _money(values[0]), "y2": _money(values[1]), "y3": _money(values[2])}

    return {
        "investments": rows(
            "investments",
            lambda r: {"name": r["name"], "amount": _money(r["amount"]), "years": r["years"]},
        ),
        "startup_costs": rows("startup_costs", item),
        "cash_reserve": _money(raw.get("cash_reserve")),
        "own_funds": _money(raw.get("own_funds")),
        "loans": rows(
            "loans",
            lambda r: {
                "name": r["name"],
                "amount": _money(r["amount"]),
                "rate": _percent(r["rate_bp"]),
                "months": r["months"],
                "grace_months": r.get("grace_months", 0),
            },
        ),
        "grants": rows("grants", item),
        "donations": rows("donations", item),
        "products": rows(
            "products",
            lambda r: {
                "name": r["name"],
                "price": _money(r["price"]),
                "unit_cost": _money(r["unit_cost"]),
                "q1": r["quantities"][0],
                "q2": r["quantities"][1],
                "q3": r["quantities"][2],
            },
        ),
        "staff": three("staff"),
        "rent": three("rent"),
        "other": three("other"),
        "tax_rate": _percent(raw.get("tax_rate_bp")),
    }


def stored(form: NumbersForm) -> dict[str, Any]:
    """The validated form as the inputs to store (unused rows left out)."""

    def used(field: FieldList) -> list[Any]:
        return [entry.form for entry in field if entry.form.used()]

    def items(field: FieldList) -> list[dict[str, Any]]:
        return [{"name": r.name.data.strip(), "amount": r.amount.cents} for r in used(field)]

    def three(field: FormField) -> list[int]:
        sub = field.form
        return [sub.y1.cents, sub.y2.cents, sub.y3.cents]

    return {
        "investments": [
            {"name": r.name.data.strip(), "amount": r.amount.cents, "years": r.years.data or 5}
            for r in used(form.investments)
        ],
        "startup_costs": items(form.startup_costs),
        "cash_reserve": form.cash_reserve.cents,
        "own_funds": form.own_funds.cents,
        "loans": [
            {
                "name": r.name.data.strip(),
                "amount": r.amount.cents,
                "rate_bp": r.rate.basis_points,
                "months": r.months.data or 60,
                "grace_months": r.grace_months.data or 0,
            }
            for r in used(form.loans)
        ],
        "grants": items(form.grants),
        "donations": items(form.donations),
        "products": [
            {
                "name": r.name.data.strip(),
                "price": r.price.cents,
                "unit_cost": r.unit_cost.cents,
                "quantities": [r.q1.data or 0, r.q2.data or 0, r.q3.data or 0],
            }
            for r in used(form.products)
        ],
        "staff": three(form.staff),
        "rent": three(form.rent),
        "other": three(form.other),
        "tax_rate_bp": form.tax_rate.basis_points,
    }


def error_list(form: Any) -> list[tuple[str, str, str]]:
    """Every error of a form with nested rows: (field id, label, message), in order."""
    found: list[tuple[str, str, str]] = []

    def walk(fields: Any) -> None:
        for field in fields:
            if isinstance(field, FieldList):
                for entry in field:
                    walk(entry.form)
            elif isinstance(field, FormField):
                walk(field.form)
            else:
                for message in field.errors:
                    found.append((field.id, str(field.label.text), str(message)))

    walk(form)
    return found
