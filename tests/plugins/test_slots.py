"""Template slots: every slot is on its page, and a plugin's HTML arrives as markup.

A plugin fills a slot with what ``render_template`` returns (a plain ``str``);
the page must show it as HTML, never as escaped text (the pinnwand teaser once
appeared on Musterstadt's landing page as ``&lt;section class="card …``).
"""

from __future__ import annotations

from typing import Any

import pytest

from projektfabrik.accounts.models import Role
from projektfabrik.api import Slot
from projektfabrik.extensions import db
from projektfabrik.testing import Town, login, use_plugin

FILLS_EVERY_SLOT = """
from flask import render_template_string

from projektfabrik.api import SlotContent, hookimpl


@hookimpl
def pf_template_slot(slot, context):
    project = context.get("project")
    user = context.get("user")
    extra = ""
    if project is not None:
        extra += f" project={project.ref}"
    if user is not None:
        extra += f" user={user.ref}"
    # What a plugin's render_template gives: a str, not Markup.
    html = render_template_string(
        '<section class="card slotcheck" data-slot="{{ slot }}">{{ slot }}{{ extra }} '
        '{{ "<i>people typed this</i>" }}</section>',
        slot=slot.value,
        extra=extra,
    )
    assert type(html) is str
    return SlotContent(html=html, order=10)
"""

PAGES = {
    Slot.LANDING_MAIN: ("/", None),
    Slot.PAGE_FOOTER: ("/", None),
    Slot.PROJECT_SIDEBAR: ("/projekte/{number}", None),
    Slot.PROJECT_PLAN: ("/projekte/{number}/plan", "owner"),
    Slot.ACCOUNT_PAGE: ("/konto", "owner"),
    Slot.ADMIN_OVERVIEW: ("/verwaltung/", "admin"),
}


@pytest.fixture
def app_config(app_config: dict[str, Any], extra_plugins: Any) -> dict[str, Any]:
    extra_plugins({"slotcheck": FILLS_EVERY_SLOT})
    return app_config


def test_every_slot_is_on_a_page() -> None:
    assert set(PAGES) == set(Slot)


@pytest.mark.parametrize("slot", list(Slot), ids=lambda s: s.value)
def test_a_plugins_rendered_template_is_markup_on_every_slot(town_a: Town, slot: Slot) -> None:
    from projektfabrik.marketplace import services as marketplace

    use_plugin(town_a, "slotcheck")
    owner = town_a.user(name="Olga")
    admin = town_a.user(role=Role.ADMIN)
    with town_a.request_context():
        project = marketplace.publish_idea(
            owner, marketplace.ProjectInput(title="Garten", pitch="Wir gärtnern.")
        )
        db.session.commit()
        number = project.number
    path, who = PAGES[slot]
    client = town_a.client()
    if who is not None:
        login(client, (owner if who == "owner" else admin).email)
    response = client.get(path.format(number=number))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<section class="card slotcheck" data-slot="{slot.value}">' in page
    # The plugin's own template still escapes what people typed.
    assert "&lt;i&gt;people typed this&lt;/i&gt;" in page
    assert "&lt;section" not in page
    if slot in (Slot.PROJECT_SIDEBAR, Slot.PROJECT_PLAN):
        assert f"{slot.value} project={number}" in page
    if slot == Slot.ACCOUNT_PAGE:
        assert f"{slot.value} user={owner.ref}" in page


def test_the_pinnwand_teaser_is_markup_on_the_landing_page(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    page = town_a.client().get("/").get_data(as_text=True)
    assert '<section class="card pinnwand-teaser"' in page
    assert "&lt;section" not in page
