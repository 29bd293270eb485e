"""A failing plugin is logged and skipped; results follow their order field.

Besides the example plugin, three test plugins are installed through entry
points for this module: ``broken`` raises in every request-time hook,
``aaa_late`` and ``zzz_early`` contribute with order 90 and 10.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from projektfabrik.testing import Mailbox, Town, body_of, login, use_plugin

BROKEN = """
from projektfabrik.api import hookimpl

@hookimpl
def pf_template_slot(slot, context):
    raise RuntimeError("broken slot")

@hookimpl
def pf_nav_items(user):
    raise RuntimeError("broken nav")

@hookimpl
def pf_on_event(event):
    raise RuntimeError("broken handler")

@hookimpl
def pf_assets():
    return ["not an Asset"]
"""

ORDERED = """
from projektfabrik.api import NavItem, SlotContent, Slot, hookimpl

@hookimpl
def pf_nav_items(user):
    return [NavItem(label="{label} entry", endpoint="site.legal",
                    values={{"page": "impressum"}}, order={order})]

@hookimpl
def pf_template_slot(slot, context):
    if slot == Slot.LANDING_MAIN:
        return SlotContent(html="{label} <b>slot</b>", order={order})
"""


@pytest.fixture
def app_config(app_config: dict[str, Any], extra_plugins: Any) -> dict[str, Any]:
    extra_plugins(
        {
            "broken": BROKEN,
            "aaa_late": ORDERED.format(label="Late", order=90),
            "zzz_early": ORDERED.format(label="Early", order=10),
        }
    )
    return app_config


def test_a_failing_slot_or_nav_hook_does_not_break_the_page(
    town_a: Town, caplog: pytest.LogCaptureFixture
) -> None:
    use_plugin(town_a, "pinnwand")
    use_plugin(town_a, "broken")
    with caplog.at_level(logging.ERROR, logger="projektfabrik.plugins"):
        response = town_a.client().get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "plugin-slot-pinnwand" in page and 'href="/pinnwand/"' in page
    assert "plugin-slot-broken" not in page
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "plugin broken failed in pf_template_slot" in messages
    assert "plugin broken failed in pf_nav_items" in messages
    assert "plugin broken returned 'str' from pf_assets" in messages


def test_a_failing_event_handler_does_not_stop_the_others(
    town_a: Town, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    use_plugin(town_a, "pinnwand", notify_email="rathaus@stadt-a.test")
    use_plugin(town_a, "broken")  # its handler runs first: "broken" < "pinnwand"
    member = town_a.user()
    client = town_a.client()
    login(client, member.email)
    with caplog.at_level(logging.ERROR, logger="projektfabrik.plugins"):
        response = client.post("/pinnwand/", data={"text": "Sperrmüll am Montag"})
    assert response.status_code == 302
    assert "Sperrmüll am Montag" in client.get("/pinnwand/").get_data(as_text=True)
    assert "Sperrmüll am Montag" in body_of(mailbox.wait_for("rathaus@stadt-a.test"))
    assert any("plugin broken failed handling NotePosted" in r.getMessage() for r in caplog.records)


def test_a_plugin_the_town_has_not_enabled_is_never_called(
    town_a: Town, caplog: pytest.LogCaptureFixture
) -> None:
    use_plugin(town_a, "broken", enabled=False)
    with caplog.at_level(logging.ERROR, logger="projektfabrik.plugins"):
        assert town_a.client().get("/").status_code == 200
    assert not [r for r in caplog.records if "broken" in r.getMessage()]


def test_results_follow_the_order_field_not_registration_or_name(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    use_plugin(town_a, "aaa_late")
    use_plugin(town_a, "zzz_early")
    page = town_a.client().get("/").get_data(as_text=True)
    nav = page.split('aria-label="Hauptnavigation"', 1)[-1].split("</nav>", 1)[0]
    assert nav.index("Early entry") < nav.index('href="/pinnwand/"') < nav.index("Late entry")
    assert (
        page.index("Early <b>slot</b>")  # a plain str is markup, as render_template's
        < page.index("plugin-slot-pinnwand")
        < page.index("Late <b>slot</b>")
    )
    assert "&lt;b&gt;" not in page
