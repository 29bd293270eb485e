"""Issue "Project teams" in a real browser, with mail read from the loopback SMTP server.

Clara (citizen) publishes a project and invites the joinery by mail; Bernd
(business) opens the link from the mail and asks to join; Stefanie (city
staff) joins with the code Clara shows; Clara accepts Bernd, the team posts
on its board, shares a file and plans a meeting that Clara then moves, and
Clara hands the project over to Bernd.
Every page passes axe-core and fits a phone; a neighbour outside the team
gets 404 for the team space.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from projektfabrik.accounts.models import Kind, User
from projektfabrik.extensions import db
from projektfabrik.notifications.models import Delivery
from projektfabrik.notifications.services import preferences
from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, body_of, links_in

pytestmark = pytest.mark.browser


def log_in(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


@contextmanager
def person(browser: Any, live_server: Any, town: Town, email: str | None = None) -> Iterator[Any]:
    """A browser profile of its own, logged in when ``email`` is given."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    if email:
        log_in(page, live_server, town, email)
    try:
        yield page
    finally:
        context.close()


def mail_about(
    mailbox: Mailbox, address: str, words: str, count: int = 1, timeout: float = 30.0
) -> Any:
    """The ``count``-th mail to ``address`` whose subject has ``words``. Mail goes
    out after the response that caused it (accounts: the same time whether or not
    an address exists), so it may arrive a moment after the page: wait for it."""
    deadline = time.monotonic() + timeout
    found: list[Any] = []
    while time.monotonic() < deadline:
        found = [m for m in mailbox.to(address) if words in str(m["Subject"])]
        if len(found) >= count:
            break
        time.sleep(0.05)
    assert len(found) >= count, (
        f"no mail about {words!r} to {address}: {[str(m['Subject']) for m in mailbox.to(address)]}"
    )
    return found[-1]


def click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def test_a_team_forms_works_and_changes_hands(
    page: Any,
    browser: Any,
    live_server: Any,
    town_a: Town,
    mailbox: Mailbox,
    tmp_path: Path,
    check_page: Callable[[Any], None],
) -> None:
    town_a.user("clara@example.org", name="Clara Citizen")
    town_a.user("bernd@example.org", name="Bernd Betrieb", kind=Kind.BUSINESS)
    town_a.user("stefanie@example.org", name="Stefanie Stadt", kind=Kind.ADMINISTRATION)
    town_a.user("nachbar@example.org", name="Norbert Nachbar")

    # Clara publishes the project (the page fixture is her browser).
    log_in(page, live_server, town_a, "clara@example.org")
    page.goto(live_server.url(town_a, "/projekte/neu"))
    page.fill("#title", "Lastenrad für alle")
    page.fill("#pitch", "Ein Lastenrad, das sich die Nachbarschaft teilt.")
    page.locator("main details summary").click()
    page.fill("#wanted_skills", "Fahrradtechnik, Buchhaltung")
    click(page, page.locator("main form.stacked button[type=submit]"))
    page.wait_for_url(re.compile(r"/projekte/1$"))

    # Her team page: she invites the joinery by mail.
    click(page, page.get_by_role("link", name="Team", exact=True))
    page.wait_for_url(re.compile(r"/projekte/1/team$"))
    assert "Clara Citizen" in page.locator("#mitglieder").inner_text()
    check_page(page)
    page.fill("#email", "bernd@example.org")
    page.fill("#message", "Sie kennen sich doch mit Rädern aus?")
    click(page, page.locator("#einladen form button[type=submit]"))
    assert "bernd@example.org" in page.locator(".flash").inner_text()

    # Bernd reads the invitation from the SMTP server and asks to join through it.
    invitation = mailbox.wait_for("bernd@example.org")
    assert "Sie kennen sich doch mit Rädern aus?" in body_of(invitation)
    (link,) = [u for u in links_in(invitation) if "/team/einladung/" in u]
    with person(browser, live_server, town_a) as bernd:
        bernd.goto(link)
        check_page(bernd)  # not logged in yet: how to go on
        click(bernd, bernd.locator("main").get_by_role("link", name="Anmelden"))
        bernd.fill("#email", "bernd@example.org")
        bernd.fill("#password", TEST_PASSWORD)
        click(bernd, bernd.locator("main form.stacked button[type=submit]"))
        bernd.wait_for_url(re.compile(r"/team/einladung/"))  # back to the invitation
        check_page(bernd)
        bernd.fill("#motivation", "Wir warten das Rad gern in unserer Werkstatt.")
        bernd.fill("#skills", "Fahrradtechnik")
        click(bernd, bernd.locator("main form.stacked button[type=submit]"))
        bernd.wait_for_url(re.compile(r"/projekte/1/team$"))
        assert bernd.locator("#mitmachen [role=status]").count() == 1  # waiting for the owners

        # Stefanie joins with the code Clara shows at the meeting.
        page.goto(live_server.url(town_a, "/projekte/1/team/code"))
        check_page(page)
        code = page.locator(".join-code").inner_text()
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        with person(browser, live_server, town_a, "stefanie@example.org") as stefanie:
            stefanie.goto(live_server.url(town_a, "/beitreten"))
            check_page(stefanie)
            stefanie.fill("#code", code.lower())
            click(stefanie, stefanie.locator("main form.stacked button[type=submit]"))
            stefanie.wait_for_url(re.compile(r"/projekte/1/teamraum$"))
            check_page(stefanie)

        # Clara got Bernd's request by mail and accepts it with a message.
        request_mail = mail_about(mailbox, "clara@example.org", "Bernd Betrieb")
        assert "Werkstatt" in body_of(request_mail)
        page.goto(live_server.url(town_a, "/projekte/1/team"))
        requests = page.locator("#anfragen .join-request")
        assert requests.count() == 1 and "Fahrradtechnik" in requests.inner_text()
        check_page(page)
        requests.locator("textarea").fill("Willkommen im Team!")
        click(
            page,
            requests.get_by_role("button", name="Annehmen").or_(
                requests.get_by_role("button", name="Accept")
            ),
        )
        members = page.locator("#mitglieder").inner_text()
        assert "Bernd Betrieb" in members and "Stefanie Stadt" in members
        answer = mail_about(mailbox, "bernd@example.org", "Clara Citizen")
        assert "Willkommen im Team!" in body_of(answer)

        # The team posts on its board and shares a file.
        page.goto(live_server.url(town_a, "/projekte/1/teamraum"))
        page.fill("#body", "Erstes Treffen am Samstag, @Bernd Betrieb bringt Werkzeug mit.")
        click(page, page.locator("#schreiben button[type=submit]"))
        assert "Erstes Treffen am Samstag" in page.locator(".team-post").first.inner_text()
        check_page(page)
        mention = mail_about(mailbox, "bernd@example.org", "Clara Citizen", count=2)
        assert "Erstes Treffen am Samstag" in body_of(mention)  # the mention, mailed right away
        bernd.goto(live_server.url(town_a, "/projekte/1/teamraum"))
        bernd.fill("#body", "Ich bringe auch Kaffee mit.")
        click(bernd, bernd.locator("#schreiben button[type=submit]"))
        assert bernd.locator(".team-post").count() == 2
        # Bernd corrects his post: the edit form passes too, and the post says so.
        click(bernd, bernd.get_by_role("link", name="Beitrag bearbeiten").first)
        check_page(bernd)
        bernd.fill("#body", "Ich bringe auch Kaffee und Kuchen mit.")
        click(bernd, bernd.locator("main form.stacked button[type=submit]"))
        assert "bearbeitet" in bernd.locator(".team-post", has_text="Kuchen").inner_text()

        plan = tmp_path / "Wartungsplan.pdf"
        plan.write_bytes(b"%PDF-1.4\n% Wartungsplan\n")
        page.goto(live_server.url(town_a, "/projekte/1/teamraum/dateien"))
        check_page(page)
        page.set_input_files("#file", str(plan))
        click(page, page.locator("main form.stacked button[type=submit]"))
        assert "Wartungsplan.pdf" in page.locator(".file-list").inner_text()
        check_page(page)
        with bernd.expect_download() as download:
            bernd.goto(live_server.url(town_a, "/projekte/1/teamraum/dateien"))
            bernd.get_by_role("link", name="Wartungsplan.pdf").click()
        assert Path(download.value.path()).read_bytes() == plan.read_bytes()

        # Clara plans a meeting, then moves it; Bernd hears of both.
        page.goto(live_server.url(town_a, "/projekte/1/teamraum/treffen"))
        check_page(page)
        page.fill("#title", "Werkstatttag")
        page.fill("#day", "2030-05-14")
        page.fill("#start", "18:30")
        page.fill("#place", "Werkstatt Betrieb")
        click(page, page.locator("main form.stacked button[type=submit]"))
        click(page, page.get_by_role("link", name="„Werkstatttag“ ändern oder verschieben"))
        assert page.input_value("#start") == "18:30"
        check_page(page)
        page.fill("#start", "19:00")
        click(page, page.locator("main form.stacked button[type=submit]"))
        assert "19:00" in page.locator(".meeting", has_text="Werkstatttag").inner_text()
        check_page(page)
        moved = mail_about(mailbox, "bernd@example.org", "verschoben")
        assert "Werkstatt Betrieb" in body_of(moved) and "18:30" in body_of(moved)

        # Clara hands the project over to Bernd; now she may leave.
        page.goto(live_server.url(town_a, "/projekte/1/team"))
        # Mail arrives after the answer: wait for one more about Clara than before.
        about_clara = sum(
            "Clara Citizen" in str(m["Subject"]) for m in mailbox.to("bernd@example.org")
        )
        bernd_row = page.locator(".team-member", has_text="Bernd Betrieb")
        bernd_row.locator("summary").click()
        click(page, bernd_row.locator("form[action$='/uebergeben'] button"))
        assert "Bernd Betrieb" in page.locator(".flash").inner_text()
        owner_badge = page.locator(".team-member", has_text="Bernd Betrieb").locator(".badge-owner")
        assert owner_badge.count() == 1
        check_page(page)
        handed = mail_about(mailbox, "bernd@example.org", "Clara Citizen", count=about_clara + 1)
        assert "Lastenrad für alle" in handed["Subject"] and "Clara Citizen" in handed["Subject"]
        bernd.goto(live_server.url(town_a, "/projekte/1/team"))
        assert bernd.locator("#anfragen").count() == 1  # owners' part of the page
        check_page(bernd)

    # A neighbour outside the team: the team page yes, the team space never.
    with person(browser, live_server, town_a, "nachbar@example.org") as neighbour:
        neighbour.goto(live_server.url(town_a, "/projekte/1/team"))
        check_page(neighbour)
        for path in ("/projekte/1/teamraum", "/projekte/1/teamraum/dateien",
                     "/projekte/1/teamraum/treffen"):  # fmt: skip
            response = neighbour.goto(live_server.url(town_a, path))
            assert response.status == 404
        neighbour.goto(live_server.url(town_a, "/benachrichtigungen/einstellungen"))
        check_page(neighbour)

    # Bernd has had enough mail about team changes: one click in the mail, no login.
    unsubscribe = handed["List-Unsubscribe"].strip("<>")
    assert unsubscribe in body_of(handed)
    with person(browser, live_server, town_a) as reader:
        reader.goto(unsubscribe)
        check_page(reader)
        click(reader, reader.locator("main form button[type=submit]"))
        assert reader.locator("main [role=status]").count() == 1
        check_page(reader)
    with town_a.context():
        bernd_account = db.session.scalar(select(User).where(User.email == "bernd@example.org"))
        assert preferences(bernd_account)["team_change"] == Delivery.OFF
