"""The business plan's numbers: inputs in, plans out. Pure: no Flask, no database.

Every amount is integer cents, as in the core's finance plan. The plan runs
36 months (three years); everything is computed per month and the years are
the sums of their months, so a year's figure is never rounded on its own.

Rules (written down in docs/businessplan.md as well):

- A yearly amount (a fixed cost, a product's quantity) is spread over its 12
  months with :func:`spread`: whole cents (or pieces), the remainder given to
  the first months, so the months add up to the year exactly.
- Investments are paid in month 1 and written off in equal monthly parts over
  their useful life (again with :func:`spread`; the parts add up to the price).
- Start-up costs are paid and booked in month 1. The cash reserve is part of
  the capital need but stays in the account: it is no outflow.
- Own funds, loans, grants and donations come in in month 1.
- A loan is repaid in equal monthly parts (after ``grace_months`` without
  repayment); interest is charged monthly on what is still owed, at
  ``rate_bp`` (hundredths of a percent a year) / 12, rounded half up to a cent.
- Taxes in a simplified form: ``tax_rate_bp`` of a year's positive profit
  before tax, booked and paid in the year's last month. No VAT (amounts are
  net), no loss carried forward.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MONTHS = 36
YEARS = 3


# --- arithmetic --------------------------------------------------------------------


def spread(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` whole parts that add up to ``total`` exactly; the
    first parts get the remainder (``spread(100, 3) == [34, 33, 33]``)."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    base, rest = divmod(abs(total), parts)
    sign = -1 if total < 0 else 1
    return [sign * (base + (1 if i < rest else 0)) for i in range(parts)]


def share(amount: int, basis_points: int, per: int = 1) -> int:
    """``amount`` × ``basis_points`` / 10 000 / ``per``, rounded half up (away from
    zero for negative amounts), in whole cents."""
    numerator = abs(amount) * basis_points
    denominator = 10_000 * per
    value = (2 * numerator + denominator) // (2 * denominator)
    return value if amount >= 0 else -value


def year_of(month: int) -> int:
    """The plan year (0, 1, 2) of the plan month ``month`` (0 … 35)."""
    return month // 12


# --- inputs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Investment:
    name: str
    amount: int
    years: int = 5  # useful life


@dataclass(frozen=True)
class Item:
    """A named amount: a start-up cost, a grant, a donation."""

    name: str
    amount: int


@dataclass(frozen=True)
class Loan:
    name: str
    amount: int
    rate_bp: int  # a year, hundredths of a percent: 450 = 4,5 %
    months: int  # term
    grace_months: int = 0  # months without repayment at the start


@dataclass(frozen=True)
class Product:
    """A product or service: net price and direct cost per unit, units per year."""

    name: str
    price: int
    unit_cost: int
    quantities: tuple[int, int, int]


@dataclass(frozen=True)
class Inputs:
    investments: tuple[Investment, ...] = ()
    startup_costs: tuple[Item, ...] = ()
    cash_reserve: int = 0
    own_funds: int = 0
    loans: tuple[Loan, ...] = ()
    grants: tuple[Item, ...] = ()
    donations: tuple[Item, ...] = ()
    products: tuple[Product, ...] = ()
    staff: tuple[int, int, int] = (0, 0, 0)  # a year
    rent: tuple[int, int, int] = (0, 0, 0)
    other: tuple[int, int, int] = (0, 0, 0)
    tax_rate_bp: int = 0


# --- results -----------------------------------------------------------------------

#: The rows of the profitability forecast, in order. ``profit`` rows are computed.
PROFIT_ROWS = (
    "revenue",
    "material",
    "gross_profit",
    "staff",
    "rent",
    "other",
    "startup",
    "depreciation",
    "interest",
    "profit_before_tax",
    "taxes",
    "net_profit",
)

#: The rows of the liquidity plan, in order.
CASH_ROWS = (
    "opening",
    "in_own_funds",
    "in_loans",
    "in_grants",
    "in_donations",
    "in_revenue",
    "total_in",
    "out_investments",
    "out_startup",
    "out_material",
    "out_staff",
    "out_rent",
    "out_other",
    "out_interest",
    "out_repayment",
    "out_taxes",
    "total_out",
    "closing",
)


@dataclass(frozen=True)
class CapitalNeed:
    investments: int
    startup_costs: int
    cash_reserve: int
    total: int
    own_funds: int
    loans: int
    grants: int
    donations: int
    financing: int
    gap: int  # financing − need: negative when the need is not covered


@dataclass(frozen=True)
class LoanSchedule:
    name: str
    interest: tuple[int, ...]  # per month, 36
    repayment: tuple[int, ...]
    owed: tuple[int, ...]  # at the end of each month


@dataclass(frozen=True)
class BreakEven:
    """For one year: fixed costs, the contribution margin (in basis points of
    revenue) and the revenue at which the profit before tax is zero."""

    fixed_costs: int
    revenue: int
    variable_costs: int
    margin_bp: int | None  # None without revenue
    revenue_needed: int | None  # None when each euro of revenue loses money
    reached: bool


@dataclass(frozen=True)
class Warning_:
    """Something a banker would ask about: a ``kind`` and the details' numbers."""

    kind: str  # liquidity | debt_service | price_below_cost | gap
    subject: str = ""
    month: int | None = None  # 0-based plan month
    year: int | None = None  # 0-based plan year
    amount: int = 0


@dataclass(frozen=True)
class Result:
    inputs: Inputs
    capital: CapitalNeed
    monthly_profit: dict[str, tuple[int, ...]]  # row -> 36 months
    monthly_cash: dict[str, tuple[int, ...]]
    loans: tuple[LoanSchedule, ...]
    warnings: tuple[Warning_, ...] = field(default=())
    break_even: tuple[BreakEven, ...] = field(default=())

    def yearly_profit(self, row: str) -> tuple[int, int, int]:
        return _years(self.monthly_profit[row])

    def yearly_cash(self, row: str) -> tuple[int, int, int]:
        """A flow row as year sums; ``opening``/``closing`` as the year's first/last month."""
        series = self.monthly_cash[row]
        if row == "opening":
            return (series[0], series[12], series[24])
        if row == "closing":
            return (series[11], series[23], series[35])
        return _years(series)

    @property
    def lowest_balance(self) -> int:
        return min(self.monthly_cash["closing"])


def _years(series: Sequence[int]) -> tuple[int, int, int]:
    return (sum(series[0:12]), sum(series[12:24]), sum(series[24:36]))


def _monthly(yearly: Sequence[int]) -> list[int]:
    months: list[int] = []
    for amount in yearly:
        months += spread(amount, 12)
    return months


def _at_start(amount: int) -> list[int]:
    return [amount] + [0] * (MONTHS - 1)


def loan_schedule(loan: Loan) -> LoanSchedule:
    """Interest and repayment of one loan for the 36 plan months."""
    paying = max(loan.months - loan.grace_months, 1)
    parts = spread(loan.amount, paying)
    interest, repayment, owed_after = [], [], []
    owed = loan.amount
    for month in range(MONTHS):
        interest.append(share(owed, loan.rate_bp, per=12))
        index = month - loan.grace_months
        paid = parts[index] if 0 <= index < paying else 0
        repayment.append(paid)
        owed -= paid
        owed_after.append(owed)
    return LoanSchedule(loan.name, tuple(interest), tuple(repayment), tuple(owed_after))


def depreciation(investment: Investment) -> list[int]:
    """The investment's write-off for the 36 plan months (straight line)."""
    life = max(investment.years, 1) * 12
    parts = spread(investment.amount, life)
    return (parts + [0] * MONTHS)[:MONTHS]


def capital_need(inputs: Inputs) -> CapitalNeed:
    investments = sum(i.amount for i in inputs.investments)
    startup = sum(i.amount for i in inputs.startup_costs)
    total = investments + startup + inputs.cash_reserve
    loans = sum(loan.amount for loan in inputs.loans)
    grants = sum(g.amount for g in inputs.grants)
    donations = sum(d.amount for d in inputs.donations)
    financing = inputs.own_funds + loans + grants + donations
    return CapitalNeed(
        investments=investments,
        startup_costs=startup,
        cash_reserve=inputs.cash_reserve,
        total=total,
        own_funds=inputs.own_funds,
        loans=loans,
        grants=grants,
        donations=donations,
        financing=financing,
        gap=financing - total,
    )


def product_months(product: Product) -> tuple[list[int], list[int], list[int]]:
    """Units, revenue and direct costs of one product for the 36 months."""
    units = _monthly(product.quantities)
    return units, [u * product.price for u in units], [u * product.unit_cost for u in units]


def _add(*series: Sequence[int]) -> list[int]:
    return [sum(values) for values in zip(*series, strict=True)]


def compute(inputs: Inputs) -> Result:
    """The capital need, the profitability forecast, the liquidity plan, the
    break-even and the warnings for ``inputs``."""
    zero = [0] * MONTHS
    revenue, material = list(zero), list(zero)
    for product in inputs.products:
        _, sold, cost = product_months(product)
        revenue, material = _add(revenue, sold), _add(material, cost)
    staff, rent, other = _monthly(inputs.staff), _monthly(inputs.rent), _monthly(inputs.other)
    startup = _at_start(sum(i.amount for i in inputs.startup_costs))
    written_off = _add(zero, *(depreciation(i) for i in inputs.investments))
    schedules = tuple(loan_schedule(loan) for loan in inputs.loans)
    interest = _add(zero, *(s.interest for s in schedules))
    repayment = _add(zero, *(s.repayment for s in schedules))

    gross = [r - m for r, m in zip(revenue, material, strict=True)]
    before_tax = [
        g - s - r - o - u - d - i
        for g, s, r, o, u, d, i in zip(
            gross, staff, rent, other, startup, written_off, interest, strict=True
        )
    ]
    taxes = list(zero)
    for year in range(YEARS):
        year_profit = sum(before_tax[year * 12 : year * 12 + 12])
        taxes[year * 12 + 11] = share(max(year_profit, 0), inputs.tax_rate_bp)
    net = [b - t for b, t in zip(before_tax, taxes, strict=True)]
    profit = {
        "revenue": revenue,
        "material": material,
        "gross_profit": gross,
        "staff": staff,
        "rent": rent,
        "other": other,
        "startup": startup,
        "depreciation": written_off,
        "interest": interest,
        "profit_before_tax": before_tax,
        "taxes": taxes,
        "net_profit": net,
    }

    capital = capital_need(inputs)
    cash: dict[str, list[int]] = {
        "in_own_funds": _at_start(capital.own_funds),
        "in_loans": _at_start(capital.loans),
        "in_grants": _at_start(capital.grants),
        "in_donations": _at_start(capital.donations),
        "in_revenue": revenue,
        "out_investments": _at_start(capital.investments),
        "out_startup": startup,
        "out_material": material,
        "out_staff": staff,
        "out_rent": rent,
        "out_other": other,
        "out_interest": interest,
        "out_repayment": repayment,
        "out_taxes": taxes,
    }
    ins = [name for name in CASH_ROWS if name.startswith("in_")]
    outs = [name for name in CASH_ROWS if name.startswith("out_")]
    cash["total_in"] = _add(*(cash[n] for n in ins))
    cash["total_out"] = _add(*(cash[n] for n in outs))
    opening, closing, balance = [], [], 0
    for month in range(MONTHS):
        opening.append(balance)
        balance += cash["total_in"][month] - cash["total_out"][month]
        closing.append(balance)
    cash["opening"], cash["closing"] = opening, closing

    result = Result(
        inputs=inputs,
        capital=capital,
        monthly_profit={k: tuple(v) for k, v in profit.items()},
        monthly_cash={k: tuple(cash[k]) for k in CASH_ROWS},
        loans=schedules,
    )
    breaks = tuple(break_even(result, year) for year in range(YEARS))
    return Result(
        inputs=result.inputs,
        capital=result.capital,
        monthly_profit=result.monthly_profit,
        monthly_cash=result.monthly_cash,
        loans=result.loans,
        warnings=tuple(warnings(result)),
        break_even=breaks,
    )


FIXED_ROWS = ("staff", "rent", "other", "startup", "depreciation", "interest")


def break_even(result: Result, year: int) -> BreakEven:
    """The year's break-even revenue: fixed costs / contribution margin ratio, with
    the year's product mix. Rounded up to a whole cent (below it, a loss)."""
    fixed = sum(result.yearly_profit(row)[year] for row in FIXED_ROWS)
    revenue = result.yearly_profit("revenue")[year]
    variable = result.yearly_profit("material")[year]
    if revenue <= 0:
        return BreakEven(fixed, revenue, variable, None, None, fixed <= 0)
    margin = revenue - variable
    margin_bp = (margin * 10_000) // revenue
    if margin <= 0:
        return BreakEven(fixed, revenue, variable, margin_bp, None, fixed <= 0 and margin == 0)
    needed = -((-fixed * revenue) // margin)  # ceil(fixed × revenue / margin)
    return BreakEven(fixed, revenue, variable, margin_bp, max(needed, 0), revenue >= needed)


def warnings(result: Result) -> list[Warning_]:
    """What a banker would raise, in the order a banker reads the plan."""
    found: list[Warning_] = []
    if result.capital.gap < 0:
        found.append(Warning_("gap", amount=-result.capital.gap))
    for product in result.inputs.products:
        if product.price < product.unit_cost:
            found.append(
                Warning_(
                    "price_below_cost",
                    subject=product.name,
                    amount=product.unit_cost - product.price,
                )
            )
    closing = result.monthly_cash["closing"]
    for month, balance in enumerate(closing):
        if balance < 0:
            lowest = min(closing)
            found.append(
                Warning_(
                    "liquidity", month=month, amount=-lowest, subject=str(closing.index(lowest))
                )
            )
            break
    if result.inputs.loans:
        for year in range(YEARS):
            service = (
                result.yearly_profit("interest")[year] + result.yearly_cash("out_repayment")[year]
            )
            # What the business earns to serve its loans: profit after tax plus the
            # non-cash write-offs, the interest itself (it is part of the service)
            # and the start-up costs (paid from the capital, once).
            available = sum(
                result.yearly_profit(row)[year]
                for row in ("net_profit", "depreciation", "interest", "startup")
            )
            if service > 0 and available < service:
                found.append(Warning_("debt_service", year=year, amount=service - available))
    return found
