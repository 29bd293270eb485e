"""The computed plans as labelled rows, for the page and the PDF (the workbook has
its own layout with formulas). Words in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from projektfabrik.api import _, format_money
from projektfabrik.api import lazy_gettext as _l
from projektfabrik_businessplan import numbers as n

PDF_CSS = Path(__file__).resolve().parent / "static" / "businessplan-pdf.css"

PROFIT_LABELS = {
    "revenue": _l("Revenue"),
    "material": _l("Material and goods"),
    "gross_profit": _l("Gross profit"),
    "staff": _l("Staff"),
    "rent": _l("Rent and rooms"),
    "other": _l("Other costs"),
    "startup": _l("Start-up costs"),
    "depreciation": _l("Depreciation"),
    "interest": _l("Interest"),
    "profit_before_tax": _l("Profit before tax"),
    "taxes": _l("Taxes"),
    "net_profit": _l("Profit after tax"),
}

CASH_LABELS = {
    "opening": _l("Account at the start"),
    "in_own_funds": _l("Own funds"),
    "in_loans": _l("Loans"),
    "in_grants": _l("Grants"),
    "in_donations": _l("Donations"),
    "in_revenue": _l("Revenue"),
    "total_in": _l("Money in"),
    "out_investments": _l("Investments"),
    "out_startup": _l("Start-up costs"),
    "out_material": _l("Material and goods"),
    "out_staff": _l("Staff"),
    "out_rent": _l("Rent and rooms"),
    "out_other": _l("Other costs"),
    "out_interest": _l("Interest"),
    "out_repayment": _l("Repayment"),
    "out_taxes": _l("Taxes"),
    "total_out": _l("Money out"),
    "closing": _l("Account at the end"),
}

TOTALS = {"gross_profit", "profit_before_tax", "net_profit", "total_in", "total_out", "closing"}


@dataclass(frozen=True)
class Row:
    key: str
    label: Any
    values: tuple[int, ...]
    total: bool = False


def year_label(year: int) -> str:
    return _("Year %(number)d", number=year + 1)


def month_label(month: int) -> str:
    return _("Month %(number)d", number=month + 1)


class Tables:
    def __init__(self, result: n.Result) -> None:
        self.result = result

    @property
    def years(self) -> list[str]:
        return [year_label(y) for y in range(n.YEARS)]

    @property
    def months(self) -> list[str]:
        return [month_label(m) for m in range(12)]

    def capital(self) -> list[Row]:
        c = self.result.capital
        return [
            Row("investments", _l("Investments"), (c.investments,)),
            Row("startup", _l("Start-up costs"), (c.startup_costs,)),
            Row("reserve", _l("Cash reserve"), (c.cash_reserve,)),
            Row("total", _l("Capital need"), (c.total,), True),
        ]

    def financing(self) -> list[Row]:
        c = self.result.capital
        rows = [
            Row("own", _l("Own funds"), (c.own_funds,)),
            Row("loans", _l("Loans"), (c.loans,)),
            Row("grants", _l("Grants"), (c.grants,)),
            Row("donations", _l("Donations"), (c.donations,)),
            Row("total", _l("Financing"), (c.financing,), True),
            Row("gap", _l("Financing less capital need"), (c.gap,), True),
        ]
        return rows

    def profit(self) -> list[Row]:
        return [
            Row(key, PROFIT_LABELS[key], self.result.yearly_profit(key), key in TOTALS)
            for key in n.PROFIT_ROWS
        ]

    def cash_year_one(self) -> list[Row]:
        return [
            Row(key, CASH_LABELS[key], self.result.monthly_cash[key][:12], key in TOTALS)
            for key in n.CASH_ROWS
        ]

    def cash_years(self) -> list[Row]:
        return [
            Row(key, CASH_LABELS[key], self.result.yearly_cash(key), key in TOTALS)
            for key in n.CASH_ROWS
        ]

    def break_even(self) -> list[Row]:
        be = self.result.break_even
        return [
            Row("fixed", _l("Fixed costs"), tuple(b.fixed_costs for b in be)),
            Row("revenue", _l("Planned revenue"), tuple(b.revenue for b in be)),
            Row("variable", _l("Variable costs"), tuple(b.variable_costs for b in be)),
        ]

    def break_even_needed(self) -> list[str]:
        return [
            format_money(b.revenue_needed) if b.revenue_needed is not None else _("not reached")
            for b in self.result.break_even
        ]

    def warnings(self) -> list[str]:
        return [warning_text(w) for w in self.result.warnings]


def warning_text(warning: n.Warning_) -> str:
    amount = format_money(warning.amount)
    if warning.kind == "gap":
        return _(
            "The financing does not cover the capital need: %(amount)s are missing.", amount=amount
        )
    if warning.kind == "price_below_cost":
        return _(
            "“%(name)s” sells below its direct cost: each unit loses %(amount)s.",
            name=warning.subject,
            amount=amount,
        )
    if warning.kind == "liquidity":
        month = warning.month or 0
        lowest = int(warning.subject or month)
        return _(
            "The account goes below zero in month %(month)d of year %(year)d. At its lowest "
            "(month %(low_month)d of year %(low_year)d) %(amount)s are missing: plan more "
            "own funds, a loan or a larger reserve.",
            month=month % 12 + 1,
            year=month // 12 + 1,
            low_month=lowest % 12 + 1,
            low_year=lowest // 12 + 1,
            amount=amount,
        )
    if warning.kind == "debt_service":
        return _(
            "In year %(year)d the business does not earn enough to pay interest and "
            "repayment of its loans: %(amount)s are missing.",
            year=(warning.year or 0) + 1,
            amount=amount,
        )
    return warning.kind
