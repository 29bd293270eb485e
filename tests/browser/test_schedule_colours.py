"""The schedule's bars stay visible: in a light town colour (the corrected colour,
WCAG 1.4.11) and in forced colours (Windows contrast themes)."""

from __future__ import annotations

from typing import Any

import pytest

from projektfabrik.extensions import db
from projektfabrik.testing import Town

pytestmark = pytest.mark.browser

#: The markup of planning/_schedule_table.html, as far as the colours go.
SCHEDULE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Zeitplan</title>
<link rel="stylesheet" href="/static/css/site.css"><link rel="stylesheet" href="/branding/theme.css">
<link rel="stylesheet" href="/static/css/planning.css"></head><body><main>
<table class="schedule"><tr><th scope="row">Beete bauen</th>
<td class="cell on"><span class="visually-hidden">aktiv</span></td><td class="cell"></td></tr></table>
</main></body></html>"""

CONTRAST = r"""() => {
    const rgb = (css) => css.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lum = (c) => {
        const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const solid = (el) => {
        for (; el; el = el.parentElement) {
            const colour = getComputedStyle(el).backgroundColor;
            if (!/^rgba\(.*, 0\)$/.test(colour) && colour !== 'transparent') return colour;
        }
        return 'rgb(255, 255, 255)';
    };
    const bar = solid(document.querySelector('.cell.on'));
    const behind = solid(document.querySelector('.cell:not(.on)'));
    const [a, b] = [lum(rgb(bar)), lum(rgb(behind))].sort((x, y) => y - x);
    return {bar, behind, ratio: (a + 0.05) / (b + 0.05)};
}"""


def test_schedule_bars_keep_their_contrast(page: Any, live_server: Any, town_a: Town) -> None:
    with town_a.context():
        town_a.tenant.primary_color = "#ffd23f"  # a light yellow: 1.5:1 on white
        db.session.commit()
    url = live_server.url(town_a, "/zeitplan-farben")
    page.route(url, lambda route: route.fulfill(body=SCHEDULE, content_type="text/html"))
    page.goto(url)
    normal = page.evaluate(CONTRAST)
    assert normal["ratio"] >= 3, normal
    page.emulate_media(forced_colors="active")
    forced = page.evaluate(CONTRAST)
    assert forced["ratio"] >= 3, forced
