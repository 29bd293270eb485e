"""The numbers module: examples a person can check by hand, and properties (hypothesis)
that hold for any inputs: sums add up, 36 months of rounding never lose or invent a cent."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from projektfabrik_businessplan import numbers as n

EURO = 100
cents = st.integers(min_value=0, max_value=10_000_000 * EURO)
small = st.integers(min_value=0, max_value=200_000 * EURO)
yearly = st.tuples(small, small, small)


investments = st.builds(
    n.Investment, name=st.just("Maschine"), amount=cents, years=st.integers(1, 20)
)
items = st.builds(n.Item, name=st.just("Posten"), amount=small)
loans = st.builds(
    n.Loan,
    name=st.just("Darlehen"),
    amount=cents,
    rate_bp=st.integers(0, 2000),
    months=st.integers(1, 240),
    grace_months=st.integers(0, 24),
)
products = st.builds(
    n.Product,
    name=st.just("Ware"),
    price=st.integers(0, 1_000 * EURO),
    unit_cost=st.integers(0, 1_000 * EURO),
    quantities=st.tuples(st.integers(0, 50_000), st.integers(0, 50_000), st.integers(0, 50_000)),
)
inputs = st.builds(
    n.Inputs,
    investments=st.lists(investments, max_size=3).map(tuple),
    startup_costs=st.lists(items, max_size=3).map(tuple),
    cash_reserve=small,
    own_funds=cents,
    loans=st.lists(loans, max_size=2).map(tuple),
    grants=st.lists(items, max_size=2).map(tuple),
    donations=st.lists(items, max_size=2).map(tuple),
    products=st.lists(products, max_size=3).map(tuple),
    staff=yearly,
    rent=yearly,
    other=yearly,
    tax_rate_bp=st.integers(0, 5000),
)


# --- arithmetic ------------------------------------------------------------------------


def test_spread_gives_the_remainder_to_the_first_months() -> None:
    assert n.spread(100, 3) == [34, 33, 33]
    assert n.spread(1_000_001, 12)[:2] == [83_334, 83_334]
    assert n.spread(-7, 2) == [-4, -3]


@given(st.integers(-(10**12), 10**12), st.integers(1, 400))
def test_spread_never_loses_or_invents_a_cent(total: int, parts: int) -> None:
    pieces = n.spread(total, parts)
    assert len(pieces) == parts
    assert sum(pieces) == total
    assert max(pieces) - min(pieces) <= 1


def test_share_rounds_half_up() -> None:
    assert n.share(1, 5000) == 1  # 0,5 ct -> 1 ct
    assert n.share(1, 4999) == 0
    assert n.share(-1, 5000) == -1
    assert n.share(100_000_00, 450, per=12) == 37_500  # 100.000 € at 4,5 % for a month


# --- examples ---------------------------------------------------------------------------


def cafe() -> n.Inputs:
    """A repair café: 12.000 € for tools, 1.500 € founding, 3.000 € reserve."""
    return n.Inputs(
        investments=(n.Investment("Werkzeug", 12_000 * EURO, years=4),),
        startup_costs=(n.Item("Gründung", 1_500 * EURO),),
        cash_reserve=3_000 * EURO,
        own_funds=4_500 * EURO,
        loans=(n.Loan("Mikrokredit", 10_000 * EURO, rate_bp=600, months=36),),
        grants=(n.Item("Bürgerbudget", 2_000 * EURO),),
        products=(
            n.Product(
                "Reparatur", price=25 * EURO, unit_cost=8 * EURO, quantities=(1500, 1800, 2100)
            ),
        ),
        staff=(12_000 * EURO, 14_000 * EURO, 16_000 * EURO),
        rent=(4_800 * EURO, 4_800 * EURO, 4_800 * EURO),
        other=(1_000 * EURO, 1_000 * EURO, 1_000 * EURO),
        tax_rate_bp=1500,
    )


def test_capital_need_and_its_financing() -> None:
    capital = n.capital_need(cafe())
    assert capital.total == 16_500 * EURO
    assert capital.financing == 16_500 * EURO
    assert capital.gap == 0


def test_a_year_of_the_cafe_by_hand() -> None:
    result = n.compute(cafe())
    assert result.yearly_profit("revenue") == (37_500 * EURO, 45_000 * EURO, 52_500 * EURO)
    assert result.yearly_profit("material") == (12_000 * EURO, 14_400 * EURO, 16_800 * EURO)
    assert result.yearly_profit("depreciation") == (3_000 * EURO,) * 3
    # The loan: 10.000 € in 36 parts, interest 0,5 % a month on what is owed.
    first_interest = result.loans[0].interest[0]
    assert first_interest == 5_000  # 50,00 €
    assert sum(result.loans[0].repayment) == 10_000 * EURO
    assert result.loans[0].owed[-1] == 0
    # Year 1 before tax: 37.500 − 12.000 − 12.000 − 4.800 − 1.000 − 1.500 − 3.000 − interest.
    interest_1 = result.yearly_profit("interest")[0]
    first = result.yearly_profit("profit_before_tax")[0]
    assert first == (37_500 - 12_000 - 12_000 - 4_800 - 1_000 - 1_500 - 3_000) * EURO - interest_1
    assert result.yearly_profit("taxes")[0] == n.share(first, 1500)
    assert result.monthly_profit["taxes"][11] == result.yearly_profit("taxes")[0]
    assert sum(result.monthly_profit["taxes"][:11]) == 0  # paid at the year's end
    assert result.warnings == ()


def test_liquidity_below_zero_is_found_with_its_month() -> None:
    plan = cafe()
    result = n.compute(
        n.Inputs(**{**plan.__dict__, "own_funds": 0, "grants": (), "rent": (40_000 * EURO,) * 3})
    )
    kinds = [w.kind for w in result.warnings]
    assert "gap" in kinds and "liquidity" in kinds
    plan = n.Inputs(**{**plan.__dict__, "own_funds": 0})  # the loan and the grant alone
    assert "gap" in {w.kind for w in n.compute(plan).warnings}
    liquidity = next(w for w in result.warnings if w.kind == "liquidity")
    assert liquidity.month == 0  # the investments are paid before anything comes in
    assert liquidity.amount == -result.lowest_balance


def test_a_loan_the_surplus_cannot_serve() -> None:
    plan = n.Inputs(
        own_funds=1_000 * EURO,
        loans=(n.Loan("Bank", 200_000 * EURO, rate_bp=500, months=24),),
        products=(n.Product("Kino", 900, 300, (1000, 1000, 1000)),),
    )
    result = n.compute(plan)
    service = [w for w in result.warnings if w.kind == "debt_service"]
    assert [w.year for w in service] == [0, 1]  # paid off after two years


def test_a_price_below_unit_cost() -> None:
    plan = n.Inputs(products=(n.Product("Popcorn", 200, 250, (10, 10, 10)),))
    found = [w for w in n.compute(plan).warnings if w.kind == "price_below_cost"]
    assert found == [n.Warning_("price_below_cost", subject="Popcorn", amount=50)]


def test_break_even_of_the_cafe() -> None:
    result = n.compute(cafe())
    first = result.break_even[0]
    # Contribution margin 17 € of 25 € = 68 %.
    assert first.margin_bp == 6800
    assert first.revenue_needed is not None
    # At the break-even revenue the contribution covers the fixed costs (to the cent).
    margin = first.revenue_needed * (first.revenue - first.variable_costs)
    assert margin >= first.fixed_costs * first.revenue
    assert (first.revenue_needed - 1) * (first.revenue - first.variable_costs) < (
        first.fixed_costs * first.revenue
    )


def test_no_break_even_when_each_sale_loses_money() -> None:
    plan = n.Inputs(products=(n.Product("Popcorn", 200, 250, (10, 10, 10)),), rent=(100,) * 3)
    assert n.compute(plan).break_even[0].revenue_needed is None


def test_no_revenue_no_break_even() -> None:
    assert n.compute(n.Inputs(rent=(100, 100, 100))).break_even[0].margin_bp is None


# --- properties --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(inputs)
def test_every_sum_adds_up(plan: n.Inputs) -> None:
    result = n.compute(plan)
    p, c = result.monthly_profit, result.monthly_cash
    for month in range(n.MONTHS):
        assert p["gross_profit"][month] == p["revenue"][month] - p["material"][month]
        costs = sum(p[row][month] for row in n.FIXED_ROWS)
        assert p["profit_before_tax"][month] == p["gross_profit"][month] - costs
        assert p["net_profit"][month] == p["profit_before_tax"][month] - p["taxes"][month]
        ins = sum(c[row][month] for row in n.CASH_ROWS if row.startswith("in_"))
        outs = sum(c[row][month] for row in n.CASH_ROWS if row.startswith("out_"))
        assert c["total_in"][month] == ins and c["total_out"][month] == outs
        assert c["closing"][month] == c["opening"][month] + ins - outs
        if month:
            assert c["opening"][month] == c["closing"][month - 1]
    # The years are their months; the plan's end is all that came in less all that went out.
    for row in n.PROFIT_ROWS:
        assert sum(result.yearly_profit(row)) == sum(p[row])
    assert c["closing"][-1] == sum(c["total_in"]) - sum(c["total_out"])
    # Capital need and financing are their parts.
    cap = result.capital
    assert cap.total == cap.investments + cap.startup_costs + cap.cash_reserve
    assert cap.financing == cap.own_funds + cap.loans + cap.grants + cap.donations
    assert (
        sum(c["in_own_funds"]) + sum(c["in_loans"]) + sum(c["in_grants"]) + sum(c["in_donations"])
        == cap.financing
    )


@settings(max_examples=150, deadline=None)
@given(inputs)
def test_36_months_of_rounding_neither_lose_nor_invent_a_cent(plan: n.Inputs) -> None:
    result = n.compute(plan)
    p = result.monthly_profit
    # Yearly inputs spread over months come back exactly.
    for row in ("staff", "rent", "other"):
        assert result.yearly_profit(row) == getattr(plan, row)
    expected_revenue = tuple(
        sum(pr.price * pr.quantities[y] for pr in plan.products) for y in range(3)
    )
    assert result.yearly_profit("revenue") == expected_revenue
    expected_material = tuple(
        sum(pr.unit_cost * pr.quantities[y] for pr in plan.products) for y in range(3)
    )
    assert result.yearly_profit("material") == expected_material
    # Write-offs: exactly the price over the life, never more than the price in 3 years.
    for investment in plan.investments:
        life = investment.years * 12
        parts = n.spread(investment.amount, life)
        assert sum(parts) == investment.amount
        assert sum(n.depreciation(investment)) == sum(parts[: n.MONTHS])
    assert sum(p["depreciation"]) <= sum(i.amount for i in plan.investments)
    # Loans: repayments never exceed the loan, and what is owed is the loan less them.
    for loan, schedule in zip(plan.loans, result.loans, strict=True):
        assert all(r >= 0 for r in schedule.repayment)
        assert schedule.owed[-1] == loan.amount - sum(schedule.repayment)
        if loan.months <= n.MONTHS:
            assert schedule.owed[-1] == 0
        for month in range(n.MONTHS):
            owed_before = loan.amount if month == 0 else schedule.owed[month - 1]
            assert schedule.interest[month] == n.share(owed_before, loan.rate_bp, per=12)
    # Taxes only on a year's profit, never on a loss.
    for year in range(3):
        assert result.yearly_profit("taxes")[year] >= 0
        if result.yearly_profit("profit_before_tax")[year] <= 0:
            assert result.yearly_profit("taxes")[year] == 0


@settings(max_examples=100, deadline=None)
@given(inputs)
def test_warnings_match_the_plans(plan: n.Inputs) -> None:
    result = n.compute(plan)
    kinds = {w.kind for w in result.warnings}
    assert ("liquidity" in kinds) == (result.lowest_balance < 0)
    assert ("gap" in kinds) == (result.capital.gap < 0)
    below = {p.name for p in plan.products if p.price < p.unit_cost}
    assert {w.subject for w in result.warnings if w.kind == "price_below_cost"} == below
    for be in result.break_even:
        if be.revenue_needed is not None:
            assert be.reached == (be.revenue >= be.revenue_needed)
