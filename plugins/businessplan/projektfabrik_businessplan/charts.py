"""The break-even chart as SVG, rendered on the server (no JavaScript), with a
table beside it on the page and in the PDF for people who do not see it.

x: revenue; y: euros. Two lines: the revenue itself and the total costs
(fixed costs plus the variable costs' share of revenue). Where they cross is
the break-even; the planned revenue is marked.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from projektfabrik.api import _, format_money, format_number
from projektfabrik_businessplan import numbers as n
from projektfabrik_businessplan.tables import year_label

WIDTH, HEIGHT = 520, 340
#: Presentation attributes, not CSS: the PDF renderer draws inline SVG without the
#: page's stylesheet. Line styles differ too, so colour is not the only cue.
STYLES = {
    "grid": 'stroke="#dddddd" stroke-width="1"',
    "revenue": 'stroke="#1d4f91" stroke-width="3"',
    "costs": 'stroke="#b00020" stroke-width="3" stroke-dasharray="8 4"',
    "planned": 'stroke="#555555" stroke-width="2" stroke-dasharray="2 3"',
    "point": 'fill="#ffffff" stroke="#1b1b1b" stroke-width="2"',
}
LEFT, RIGHT, TOP, BOTTOM = 64, 40, 28, 76


def _nice(value: int) -> int:
    """A round number of cents at or above ``value`` for the axis' end."""
    if value <= 0:
        return 100_00
    step = 1
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if step * factor >= value:
            return int(step * factor)
    return step * 10


def break_even_svg(result: n.Result, year: int = 0) -> Markup | None:
    """The chart for plan year ``year``, or ``None`` without revenue."""
    be = result.break_even[year]
    if be.revenue <= 0:
        return None
    # Whole euros on the axes: the ends are round numbers of euros.
    far = max(be.revenue, be.revenue_needed or 0) * 3 // 2
    x_end = _nice(far)
    costs_at_end = be.fixed_costs + be.variable_costs * x_end // be.revenue
    y_end = _nice(max(x_end, costs_at_end, be.fixed_costs))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: int) -> float:
        return LEFT + plot_w * x / x_end

    def py(y: int) -> float:
        return TOP + plot_h - plot_h * max(min(y, y_end), 0) / y_end

    title = _("Break-even, %(year)s", year=year_label(year))
    desc = _(
        "Revenue and total costs as revenue grows. Planned revenue %(planned)s; "
        "break-even at %(needed)s.",
        planned=format_money(be.revenue),
        needed=format_money(be.revenue_needed)
        if be.revenue_needed is not None
        else _("not reached"),
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="bp-chart" role="img" aria-labelledby="bp-chart-title bp-chart-desc" '
        f'font-size="11" fill="#1b1b1b">',
        f'<title id="bp-chart-title">{escape(title)}</title>',
        f'<desc id="bp-chart-desc">{escape(desc)}</desc>',
    ]
    # Grid and axes with five steps.
    for i in range(6):
        y_value = y_end * i // 5
        y = py(y_value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" {STYLES["grid"]}/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(format_number(y_value // 100))}</text>"
        )
        x_value = x_end * i // 5
        x = px(x_value)
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
            f"{escape(format_number(x_value // 100))}</text>"
        )
    axis_name = _("Revenue in euros")  # outside the f-string, so pybabel finds it
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h + 34}" text-anchor="middle">'
        f"{escape(axis_name)}</text>"
    )
    parts.append(f'<text x="{LEFT - 6}" y="{TOP - 12}" text-anchor="end">€</text>')
    # Revenue line and cost line.
    parts.append(
        f'<line x1="{px(0):.1f}" y1="{py(0):.1f}" x2="{px(x_end):.1f}" y2="{py(x_end):.1f}" '
        f"{STYLES['revenue']}/>"
    )
    parts.append(
        f'<line x1="{px(0):.1f}" y1="{py(be.fixed_costs):.1f}" x2="{px(x_end):.1f}" '
        f'y2="{py(costs_at_end):.1f}" ' + STYLES["costs"] + "/>"
    )
    # The planned revenue.
    parts.append(
        f'<line x1="{px(be.revenue):.1f}" y1="{TOP}" x2="{px(be.revenue):.1f}" '
        f'y2="{TOP + plot_h}" ' + STYLES["planned"] + "/>"
    )
    if be.revenue_needed is not None and be.revenue_needed <= x_end:
        x, y = px(be.revenue_needed), py(be.revenue_needed)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" {STYLES["point"]}/>')
    # The legend, in words and line styles (not colour alone).
    legend_y = HEIGHT - 14
    items = [
        ("revenue", _("Revenue")),
        ("costs", _("Total costs")),
        ("planned", _("Planned revenue")),
    ]
    x = LEFT
    for css, label in items:
        parts.append(
            f'<line x1="{x}" y1="{legend_y}" x2="{x + 22}" y2="{legend_y}" {STYLES[css]}/>'
        )
        parts.append(f'<text x="{x + 27}" y="{legend_y + 4}">{escape(label)}</text>')
        x += 40 + 7 * len(label)
    parts.append("</svg>")
    return Markup("".join(parts))
