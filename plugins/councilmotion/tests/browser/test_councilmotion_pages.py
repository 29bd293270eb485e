"""The other pages in a real browser, German and English, each checked with axe-core,
at 360 px and by the Nu Html Checker: the council group's page from the mail link
(no account), the public list of motions, the marketplace filter, a visitor's view of
the project's tab and of a motion collecting signatures (with the support form for a
resident who is logged in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from councilmotion_support import make_team, prepared

from projektfabrik.mail.outbox import deliver_due
from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, links_in

pytestmark = pytest.mark.browser


def english(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_group_link_index_marketplace_and_visitor_pages(
    page: Any,
    live_server: Any,
    town_a: Town,
    mailbox: Mailbox,
    check_page: Callable[[Any], None],
    lang: str,
) -> None:
    team = make_team(town_a, clients=False)
    prepared(team, "group")
    deliver_due()
    link = next(u for u in links_in(mailbox.wait_for("gruen@rat.example")) if "/fraktion/" in u)
    path = "/antraege/fraktion/" + link.rsplit("/fraktion/", 1)[1]

    page.goto(live_server.url(town_a, path))
    if lang == "en":
        english(page)
    check_page(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    check_page(page)  # the error: no name
    page.fill("#name", "Rita Rätin")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "Rita Rätin" in page.inner_text("#councilmotion-taken")
    check_page(page)

    page.goto(live_server.url(town_a, "/antraege/"))
    check_page(page)
    page.goto(live_server.url(town_a, "/projekte?antrag=carried"))
    assert "Platz an der Bibliothek" in page.content()
    check_page(page)
    page.goto(live_server.url(town_a, f"/antraege/projekt/{team.project.ref}"))
    check_page(page)

    # A second team collects signatures; a resident sees the support form.
    other = make_team(town_a, prefix="z", clients=False)
    collecting = prepared(other, "residents")
    resident = town_a.user("res@example.org")
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("input[name=email]", resident.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    page.goto(live_server.url(town_a, f"/antraege/{collecting}"))
    check_page(page)
    with page.expect_navigation():
        page.locator("form[action$='unterstuetzen'] button[type=submit]").click()
    check_page(page)  # errors: nothing filled in
    page.fill("#family_name", "Rot")
    page.fill("#first_name", "Rosa")
    page.fill("#birth_date", "1980-05-06")
    page.fill("#address", "Am Markt 3")
    page.check("#resident")
    with page.expect_navigation():
        page.locator("form[action$='unterstuetzen'] button[type=submit]").click()
    assert "1" in page.inner_text(".councilmotion-progress")
    check_page(page)
