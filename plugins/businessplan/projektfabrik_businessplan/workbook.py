"""The business plan as a workbook a bank's analyst can follow: the inputs as
values, and every computed figure as a formula over them.

Sheets: Inputs, Capital need, Months (36 months: units, revenue, costs,
loans, profit, liquidity), Profitability (three years), Liquidity (three
years), Break-even. The monthly parts of a yearly amount (units, fixed costs,
write-offs, repayments) are values: they are the yearly input spread evenly in
whole cents or units, the remainder in the first months (numbers.spread), and
the sheet says so. Everything else is a formula. Written by the core's export
writer (``xlsx_workbook`` with ``SheetFormula``), so people's text never
becomes a formula.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from projektfabrik.api import Money, Percent, Sheet, SheetFormula, _, xlsx_workbook
from projektfabrik_businessplan import numbers as n
from projektfabrik_businessplan.tables import CASH_LABELS, PROFIT_LABELS, month_label, year_label

FIRST_MONTH_COLUMN = 2  # B


def col(month: int) -> str:
    """The column of plan month ``month`` (0-based) on the months sheet."""
    return get_column_letter(FIRST_MONTH_COLUMN + month)


def euros(cents: int) -> Money:
    return Money(cents)


class _Rows:
    """Rows of one sheet, numbered as the spreadsheet numbers them."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[list[Any]] = []

    def add(self, *cells: Any) -> int:
        self.rows.append(list(cells))
        return len(self.rows)

    def ref(self, cell: str) -> str:
        return f"'{self.title}'!{cell}"

    def sheet(self, header_rows: int = 1) -> Sheet:
        return Sheet(title=self.title, rows=self.rows, header_rows=header_rows)


def _sum(refs: list[str]) -> str:
    return "SUM(" + ",".join(refs) + ")" if refs else "0"


def workbook(inputs: n.Inputs, title: str) -> bytes:
    """The workbook's bytes for ``inputs`` (the same the pages and the PDF compute)."""
    result = n.compute(inputs)
    s_in = _Rows(_("Inputs"))
    s_cap = _Rows(_("Capital need"))
    s_m = _Rows(_("Months"))
    s_p = _Rows(_("Profitability"))
    s_l = _Rows(_("Liquidity"))
    s_b = _Rows(_("Break-even"))

    # --- inputs ----------------------------------------------------------------------
    s_in.add(_("Business plan: %(title)s", title=title), _("Amount"), _("Details"))
    s_in.add(_("All amounts net, in euros."))
    s_in.add(_("Investments"), _("Price"), _("Useful life (years)"))
    inv_rows = [s_in.add(i.name, euros(i.amount), i.years) for i in inputs.investments]
    s_in.add(_("Start-up costs"))
    start_rows = [s_in.add(i.name, euros(i.amount)) for i in inputs.startup_costs]
    reserve_row = s_in.add(_("Cash reserve"), euros(inputs.cash_reserve))
    own_row = s_in.add(_("Own funds"), euros(inputs.own_funds))
    s_in.add(
        _("Loans"),
        _("Amount"),
        _("Interest a year"),
        _("Term (months)"),
        _("Months without repayment"),
    )
    loan_rows = [
        s_in.add(
            loan.name, euros(loan.amount), Percent(loan.rate_bp), loan.months, loan.grace_months
        )
        for loan in inputs.loans
    ]
    s_in.add(_("Grants"))
    grant_rows = [s_in.add(i.name, euros(i.amount)) for i in inputs.grants]
    s_in.add(_("Donations"))
    donation_rows = [s_in.add(i.name, euros(i.amount)) for i in inputs.donations]
    s_in.add(
        _("Products and services"),
        _("Net price per unit"),
        _("Direct cost per unit"),
        year_label(0),
        year_label(1),
        year_label(2),
    )
    product_rows = [
        s_in.add(p.name, euros(p.price), euros(p.unit_cost), *p.quantities) for p in inputs.products
    ]
    s_in.add(_("Running costs a year"), year_label(0), year_label(1), year_label(2))
    for key, label in (
        ("staff", _("Staff")),
        ("rent", _("Rent and rooms")),
        ("other", _("Other costs")),
    ):
        s_in.add(label, *(euros(v) for v in getattr(inputs, key)))
    tax_row = s_in.add(_("Taxes on profit"), Percent(inputs.tax_rate_bp))

    def inp(column: str, row: int) -> str:
        return s_in.ref(f"${column}${row}")

    # --- capital need ----------------------------------------------------------------
    s_cap.add(_("Capital need and financing"), _("Amount"))
    cap = {
        "investments": s_cap.add(
            _("Investments"), SheetFormula(_sum([inp("B", r) for r in inv_rows]), money=True)
        ),
        "startup": s_cap.add(
            _("Start-up costs"), SheetFormula(_sum([inp("B", r) for r in start_rows]), money=True)
        ),
        "reserve": s_cap.add(_("Cash reserve"), SheetFormula(inp("B", reserve_row), money=True)),
    }
    cap["total"] = s_cap.add(
        _("Capital need"), SheetFormula(f"SUM(B{cap['investments']}:B{cap['reserve']})", money=True)
    )
    s_cap.add("")
    fin = {
        "own": s_cap.add(_("Own funds"), SheetFormula(inp("B", own_row), money=True)),
        "loans": s_cap.add(
            _("Loans"), SheetFormula(_sum([inp("B", r) for r in loan_rows]), money=True)
        ),
        "grants": s_cap.add(
            _("Grants"), SheetFormula(_sum([inp("B", r) for r in grant_rows]), money=True)
        ),
        "donations": s_cap.add(
            _("Donations"), SheetFormula(_sum([inp("B", r) for r in donation_rows]), money=True)
        ),
    }
    fin["total"] = s_cap.add(
        _("Financing"), SheetFormula(f"SUM(B{fin['own']}:B{fin['donations']})", money=True)
    )
    s_cap.add(
        _("Financing less capital need"),
        SheetFormula(f"B{fin['total']}-B{cap['total']}", money=True),
    )

    # --- months ----------------------------------------------------------------------
    months = range(n.MONTHS)
    s_m.add(_("Item"), *(f"{year_label(m // 12)}, {month_label(m % 12)}" for m in months))
    s_m.add(
        _(
            "Monthly units, running costs, write-offs and repayments are the yearly "
            "inputs spread evenly (whole cents or units, the remainder in the first months)."
        )
    )

    def values_row(label: str, series: Any) -> int:
        return s_m.add(label, *(euros(v) for v in series))

    def formula_row(label: str, make: Any) -> int:
        return s_m.add(label, *(SheetFormula(make(m), money=True) for m in months))

    def at_start(label: str, ref: str) -> int:
        return s_m.add(
            label,
            *(SheetFormula(ref if m == 0 else "0", money=True) for m in months),
        )

    unit_rows, revenue_rows, material_rows = [], [], []
    for product in inputs.products:
        units, _sold, _cost = n.product_months(product)
        unit_rows.append(s_m.add(_("Units: %(name)s", name=product.name), *units))
    for product, row, units_row in zip(inputs.products, product_rows, unit_rows, strict=True):
        revenue_rows.append(
            formula_row(
                _("Revenue: %(name)s", name=product.name),
                lambda m, u=units_row, r=row: f"{col(m)}{u}*{inp('B', r)}",
            )
        )
    revenue = formula_row(
        PROFIT_LABELS["revenue"], lambda m: _sum([f"{col(m)}{r}" for r in revenue_rows])
    )
    for product, row, units_row in zip(inputs.products, product_rows, unit_rows, strict=True):
        material_rows.append(
            formula_row(
                _("Direct costs: %(name)s", name=product.name),
                lambda m, u=units_row, r=row: f"{col(m)}{u}*{inp('C', r)}",
            )
        )
    material = formula_row(
        PROFIT_LABELS["material"], lambda m: _sum([f"{col(m)}{r}" for r in material_rows])
    )
    gross = formula_row(
        PROFIT_LABELS["gross_profit"], lambda m: f"{col(m)}{revenue}-{col(m)}{material}"
    )
    staff = values_row(PROFIT_LABELS["staff"], result.monthly_profit["staff"])
    rent = values_row(PROFIT_LABELS["rent"], result.monthly_profit["rent"])
    other = values_row(PROFIT_LABELS["other"], result.monthly_profit["other"])
    startup = at_start(PROFIT_LABELS["startup"], f"'{s_cap.title}'!B{cap['startup']}")
    dep_rows = [
        values_row(_("Depreciation: %(name)s", name=i.name), n.depreciation(i))
        for i in inputs.investments
    ]
    depreciation = formula_row(
        PROFIT_LABELS["depreciation"], lambda m: _sum([f"{col(m)}{r}" for r in dep_rows])
    )
    interest_rows, repayment_rows = [], []
    for loan, schedule, row in zip(inputs.loans, result.loans, loan_rows, strict=True):
        owed_start = s_m.add(_("Owed at the month's start: %(name)s", name=loan.name))
        interest_row = owed_start + 1
        repayment_row = owed_start + 2
        owed_end = owed_start + 3
        s_m.rows[owed_start - 1] += [
            SheetFormula(inp("B", row) if m == 0 else f"{col(m - 1)}{owed_end}", money=True)
            for m in months
        ]
        interest_rows.append(
            formula_row(
                _("Interest: %(name)s", name=loan.name),
                lambda m, o=owed_start, r=row: f"ROUND({col(m)}{o}*{inp('C', r)}/12,2)",
            )
        )
        repayment_rows.append(
            values_row(_("Repayment: %(name)s", name=loan.name), schedule.repayment)
        )
        formula_row(
            _("Owed at the month's end: %(name)s", name=loan.name),
            lambda m, o=owed_start, p=repayment_row: f"{col(m)}{o}-{col(m)}{p}",
        )
        assert interest_rows[-1] == interest_row and repayment_rows[-1] == repayment_row
    interest = formula_row(
        PROFIT_LABELS["interest"], lambda m: _sum([f"{col(m)}{r}" for r in interest_rows])
    )
    repayment = formula_row(
        CASH_LABELS["out_repayment"], lambda m: _sum([f"{col(m)}{r}" for r in repayment_rows])
    )
    before_tax = formula_row(
        PROFIT_LABELS["profit_before_tax"],
        lambda m: (
            f"{col(m)}{gross}-"
            + "-".join(
                f"{col(m)}{r}" for r in (staff, rent, other, startup, depreciation, interest)
            )
        ),
    )

    def tax(m: int) -> str:
        if m % 12 != 11:
            return "0"
        first, last = col(m - 11), col(m)
        return f"ROUND(MAX(0,SUM({first}{before_tax}:{last}{before_tax}))*{inp('B', tax_row)},2)"

    taxes = formula_row(PROFIT_LABELS["taxes"], tax)
    net = formula_row(
        PROFIT_LABELS["net_profit"], lambda m: f"{col(m)}{before_tax}-{col(m)}{taxes}"
    )
    s_m.add("")
    profit_row = {
        "revenue": revenue,
        "material": material,
        "gross_profit": gross,
        "staff": staff,
        "rent": rent,
        "other": other,
        "startup": startup,
        "depreciation": depreciation,
        "interest": interest,
        "profit_before_tax": before_tax,
        "taxes": taxes,
        "net_profit": net,
    }
    cash_row: dict[str, int] = {}
    opening = s_m.add(CASH_LABELS["opening"])
    closing_at = opening + 17  # 14 flows, two totals, then the closing balance
    s_m.rows[opening - 1] += [
        SheetFormula("0" if m == 0 else f"{col(m - 1)}{closing_at}", money=True) for m in months
    ]
    cash_row["opening"] = opening
    cap_ref = {
        "in_own_funds": fin["own"],
        "in_loans": fin["loans"],
        "in_grants": fin["grants"],
        "in_donations": fin["donations"],
    }
    for key, row in cap_ref.items():
        cash_row[key] = at_start(CASH_LABELS[key], f"'{s_cap.title}'!B{row}")
    cash_row["in_revenue"] = formula_row(CASH_LABELS["in_revenue"], lambda m: f"{col(m)}{revenue}")
    cash_row["total_in"] = formula_row(
        CASH_LABELS["total_in"],
        lambda m: f"SUM({col(m)}{cash_row['in_own_funds']}:{col(m)}{cash_row['in_revenue']})",
    )
    cash_row["out_investments"] = at_start(
        CASH_LABELS["out_investments"], f"'{s_cap.title}'!B{cap['investments']}"
    )
    for key, source in (
        ("out_startup", startup),
        ("out_material", material),
        ("out_staff", staff),
        ("out_rent", rent),
        ("out_other", other),
        ("out_interest", interest),
        ("out_repayment", repayment),
        ("out_taxes", taxes),
    ):
        cash_row[key] = formula_row(CASH_LABELS[key], lambda m, s=source: f"{col(m)}{s}")
    cash_row["total_out"] = formula_row(
        CASH_LABELS["total_out"],
        lambda m: f"SUM({col(m)}{cash_row['out_investments']}:{col(m)}{cash_row['out_taxes']})",
    )
    cash_row["closing"] = formula_row(
        CASH_LABELS["closing"],
        lambda m: (
            f"{col(m)}{opening}+{col(m)}{cash_row['total_in']}-{col(m)}{cash_row['total_out']}"
        ),
    )
    assert cash_row["closing"] == closing_at, (cash_row["closing"], closing_at)

    # --- three years -------------------------------------------------------------------
    def year_sum(row: int, year: int) -> SheetFormula:
        first, last = col(year * 12), col(year * 12 + 11)
        return SheetFormula(f"SUM({s_m.ref(f'{first}{row}:{last}{row}')})", money=True)

    s_p.add(_("Profitability forecast"), *(year_label(y) for y in range(n.YEARS)))
    for key in n.PROFIT_ROWS:
        s_p.add(PROFIT_LABELS[key], *(year_sum(profit_row[key], y) for y in range(n.YEARS)))
    s_l.add(_("Liquidity plan"), *(year_label(y) for y in range(n.YEARS)))
    for key in n.CASH_ROWS:
        if key == "opening":
            cells = [SheetFormula(s_m.ref(f"{col(y * 12)}{opening}"), money=True) for y in range(3)]
        elif key == "closing":
            cells = [
                SheetFormula(s_m.ref(f"{col(y * 12 + 11)}{cash_row['closing']}"), money=True)
                for y in range(3)
            ]
        else:
            cells = [year_sum(cash_row[key], y) for y in range(n.YEARS)]
        s_l.add(CASH_LABELS[key], *cells)

    # --- break-even ---------------------------------------------------------------------
    s_b.add(_("Break-even"), *(year_label(y) for y in range(n.YEARS)))
    p_ref = {key: i + 2 for i, key in enumerate(n.PROFIT_ROWS)}  # rows on the yearly sheet

    def yearly(key: str, y: int) -> str:
        return s_p.ref(f"{get_column_letter(2 + y)}{p_ref[key]}")

    fixed = s_b.add(
        _("Fixed costs"),
        *(
            SheetFormula("+".join(yearly(k, y) for k in n.FIXED_ROWS), money=True)
            for y in range(n.YEARS)
        ),
    )
    planned = s_b.add(
        _("Planned revenue"), *(SheetFormula(yearly("revenue", y), money=True) for y in range(3))
    )
    variable = s_b.add(
        _("Variable costs"), *(SheetFormula(yearly("material", y), money=True) for y in range(3))
    )
    s_b.add(
        _("Revenue needed to break even"),
        *(
            SheetFormula(
                f'IF({c}{planned}-{c}{variable}<=0,"–",'
                f"ROUNDUP({c}{fixed}*{c}{planned}/({c}{planned}-{c}{variable}),2))",
                money=True,
            )
            for c in ("B", "C", "D")
        ),
    )
    return xlsx_workbook(
        [s_in.sheet(), s_cap.sheet(), s_m.sheet(), s_p.sheet(), s_l.sheet(), s_b.sheet()]
    )
