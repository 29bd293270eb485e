"""A whole funding round in a real browser, every page checked with axe-core:
the admin creates a pot; a team applies from its plan; the admin asks for more
information; the team answers with a file; two jurors rate (no decision before);
the admin approves and shows the full IBAN for the payout; the team
reports the proof of use; the admin closes it. Mails come from the loopback
SMTP server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from funding_support import IBAN, make_round

from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, body_of

pytestmark = pytest.mark.browser


def log_in(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def click(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def state(page: Any) -> str:
    return page.locator("#funding-state").inner_text()


def test_a_whole_funding_round(
    page: Any,
    live_server: Any,
    town_a: Town,
    mailbox: Mailbox,
    check_page: Callable[[Any], None],
) -> None:
    team = make_round(town_a, clients=False)
    juror_one = town_a.user("jutta@example.org", name="Jutta Jury")
    juror_two = town_a.user("jan@example.org", name="Jan Jury")
    admin_email, owner_email = team.admin_user.email, team.owner.email

    # The admin creates a pot with a jury.
    log_in(page, live_server, town_a, admin_email)
    page.goto(live_server.url(town_a, "/verwaltung/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Fördertöpfe und Anträge").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Neuer Fördertopf").click()
    check_page(page)
    page.fill("#name", "Kiezfonds")
    page.fill("#description", "Für Projekte im Kiez.")
    page.fill("#budget", "20.000")
    page.fill("#min_grant", "500")
    page.fill("#max_grant", "10.000")
    page.fill("#min_own_share", "10")
    page.fill("#opens_on", "2026-01-01")
    page.fill("#closes_on", "2099-12-31")
    page.fill("#questions", "Wer macht mit? | Namen oder Gruppen | 300")
    page.select_option("#body", "jury")
    page.fill("#jurors_per_application", "2")
    page.fill("#jury_criteria", "Wirkung | 2\nMachbarkeit | 1")
    page.select_option("#state", "active")
    page.check("#show_funded")
    click(page, "Speichern")
    assert "Der Topf ist gespeichert." in page.content()
    page.fill("#emails", "jutta@example.org\njan@example.org")
    click(page, "Jury speichern")
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Öffentliche Seite des Topfs").click()
    check_page(page)

    # The team applies from its plan.
    log_in(page, live_server, town_a, owner_email)
    page.goto(live_server.url(town_a, f"/projekte/{team.project.ref}"))
    with page.expect_navigation():
        page.locator(f"a[href='/foerderung/projekte/{team.project.ref}']").first.click()
    check_page(page)
    click(page, "Bei „Kiezfonds“ beantragen")
    check_page(page)
    assert "8.000,00" in page.content()
    page.fill("#applicant_name", "Gartenverein e. V.")
    page.select_option("#legal_form", "association")
    page.fill("#address", "Hauptstraße 1, 01234 Stadt A")
    page.fill("#signatory", "Olga Owner")
    page.fill("#iban", "DE00 1234")
    click(page, "Speichern")
    assert "Die IBAN ist ungültig" in page.content()
    page.fill("#iban", IBAN)
    click(page, "Antrag einreichen")
    assert "Bitte die Frage „Wer macht mit?“ beantworten." in page.content()
    assert "Bitte die Erklärungen bestätigen." in page.content()
    check_page(page)
    page.fill("#answer-0", "Zwölf Nachbarn.")
    page.check("#declarations")
    click(page, "Antrag einreichen")
    assert state(page) == "Eingereicht"
    check_page(page)
    receipt = mailbox.wait_for(owner_email)
    link = next(line for line in body_of(receipt).split() if "/foerderung/antraege/" in line)
    path = link.split(town_a.host, 1)[1].split(":", 1)[-1]
    path = path[path.index("/foerderung") :]

    # The admin checks and asks for more information.
    log_in(page, live_server, town_a, admin_email)
    page.goto(live_server.url(town_a, path))
    check_page(page)
    click(page, "Formale Prüfung beginnen")
    assert "Formale Prüfung begonnen." in page.content() and "Erledigt" not in page.content()
    page.fill("#info-message", "Bitte den Zeitplan genauer beschreiben.")
    click(page, "Beim Team nachfragen")
    assert state(page) == "Rückfrage gestellt"
    question = mailbox.wait_for(owner_email, count=2)
    assert "Bitte den Zeitplan genauer beschreiben." in body_of(question)

    # The team answers, with the requested document, without resubmitting.
    log_in(page, live_server, town_a, owner_email)
    page.goto(live_server.url(town_a, path))
    assert "Bitte den Zeitplan genauer beschreiben." in page.content()
    check_page(page)
    page.fill("#answer", "Wir bauen von März bis Juni.")
    page.set_input_files(
        "#answer-files",
        files=[{"name": "zeitplan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 Z"}],
    )
    click(page, "Antwort an die Stadt senden")
    assert state(page) == "Formale Prüfung"
    check_page(page)

    # The clerk reads the answer in the history, hands it to the jury; it cannot be
    # decided before the jurors have rated.
    log_in(page, live_server, town_a, admin_email)
    page.goto(live_server.url(town_a, path))
    assert "Wir bauen von März bis Juni." in page.content() and "zeitplan.pdf" in page.content()
    click(page, "An die Jury geben")
    assert page.get_by_role("button", name="Bewilligen", exact=True).count() == 0
    assert state(page) == "Jurybewertung"
    for juror, scores in ((juror_one, ("8", "5")), (juror_two, ("4", "10"))):
        log_in(page, live_server, town_a, juror.email)
        page.goto(live_server.url(town_a, "/foerderung/jury/"))
        check_page(page)
        with page.expect_navigation():
            page.get_by_role("link", name="Nachbarschaftsgarten").click()
        assert "Jutta Jury:" not in page.content()
        check_page(page)
        page.fill("#score-0", scores[0])
        page.fill("#score-1", scores[1])
        click(page, "Bewertung abgeben")
        assert "Jutta Jury: 7<" in page.content()  # German: 7, not 7.0

    # The admin approves; the notice goes out.
    log_in(page, live_server, town_a, admin_email)
    page.goto(live_server.url(town_a, path))
    assert "Jan Jury: 6<" in page.content()
    page.fill("#approve-amount", "7.500")
    page.fill("#approve-conditions", "Logo der Stadt zeigen.")
    click(page, "Bewilligen")
    assert state(page) == "Bewilligt"
    check_page(page)
    notice = mailbox.wait_for(owner_email, count=4)
    assert "Ihr Antrag „Nachbarschaftsgarten“ ist bewilligt: 7.500,00" in body_of(notice)
    click(page, "Vollständige IBAN für die Auszahlung zeigen")
    assert "DE89 3704 0044 0532 0130 00" in page.content()
    check_page(page)
    page.fill("#payout-amount", "7.500")
    click(page, "Auszahlung eintragen")
    assert state(page) == "Ausgezahlt"

    # The team reports the proof of use.
    log_in(page, live_server, town_a, owner_email)
    page.goto(live_server.url(town_a, path))
    check_page(page)
    page.set_input_files(
        "#receipt-file",
        files=[{"name": "beleg.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 Beleg"}],
    )
    click(page, "Hochladen")
    assert "beleg.pdf" in page.content()
    check_page(page)
    page.fill("#report", "Der Garten blüht; 40 Menschen haben mitgemacht.")
    page.fill("#participants", "40")
    page.get_by_label("Materialkosten").fill("9.800")
    click(page, "Verwendungsnachweis einreichen")
    assert state(page) == "Verwendungsnachweis eingereicht"

    # The admin checks and closes it; the overview shows the money.
    log_in(page, live_server, town_a, admin_email)
    page.goto(live_server.url(town_a, path))
    click(page, "Verwendungsnachweis ist geprüft")
    click(page, "Antrag abschließen")
    assert state(page) == "Abgeschlossen"
    check_page(page)
    page.goto(live_server.url(town_a, "/foerderung/verwaltung/"))
    assert "7.500,00" in page.content() and "12.500,00" in page.content()
    check_page(page)
    page.goto(live_server.url(town_a, "/foerderung/"))
    check_page(page)
