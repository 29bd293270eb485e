"""Issue "Project planning" in a real browser: a team plans a neighbourhood garden.

Lena leads the project, Jonas and Clara are in her team. Through the forms
(no script needed) they write the profile, plan three work packages with
eight tasks and two milestones, list twelve resources and three financing
lines, look at the schedule and the finance plan, make the plan public and
download the PDF, whose text shows the right totals. A neighbour offers a
room. Every page passes axe-core and fits a phone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader

from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.planning import exports
from projektfabrik.projects.models import Membership, TeamRole
from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser

PROFILE = {
    "problem": "Hinter der Grundschule liegt eine Brache, die niemand nutzt.",
    "goal": "Ein Gemeinschaftsgarten mit zwölf Hochbeeten, offen für alle.",
    "vision": "Nachbarn aller Generationen gärtnern, ernten und feiern zusammen.",
    "description": "Wir bauen Hochbeete, einen Schuppen und sammeln Regenwasser.",
    "delimitation": "Kein privater Kleingarten, kein Verkauf von Gemüse.",
    "target_groups": "Familien, Seniorinnen und Senioren, die Schule.",
    "results": "Zwölf Hochbeete, ein Schuppen, ein Gießplan.",
    "effects": "Mehr Grün, neue Kontakte, Kinder lernen, woher Gemüse kommt.",
    "local_reference": "Die Brache an der Lindenstraße im Ortsteil Hafen.",
    "partners": "Grundschule am Hafen, Gartenverein, Grünflächenamt.",
}
PACKAGES = [
    ("Planung und Genehmigung", "Lena Lindner"),
    ("Bau der Beete", "Jonas Jäger"),
    ("Gemeinschaft und Pflege", "Clara Claussen"),
]
TASKS = [
    ("Fläche mit dem Grünflächenamt abstimmen", 0, "2026-02-01", "2026-02-28"),
    ("Bauplan für die Hochbeete zeichnen", 0, "2026-02-15", "2026-03-15"),
    ("Holz und Erde besorgen", 1, "2026-03-01", "2026-03-31"),
    ("Hochbeete bauen", 1, "2026-04-01", "2026-04-30"),
    ("Schuppen aufstellen", 1, "2026-04-15", "2026-05-15"),
    ("Pflanzaktion mit der Nachbarschaft", 2, "2026-05-01", "2026-05-31"),
    ("Gießplan organisieren", 2, "2026-05-15", "2026-09-30"),
    ("Erntefest", 2, "2026-09-01", "2026-09-30"),
]
# description, kind, quantity, unit, cost as typed, cost type, source
RESOURCES = [
    ("Lärchenholz für Hochbeete", "material", "24", "Bretter", "864", "material", "funding"),
    ("Schrauben und Winkel", "material", "1", "Set", "45,90", "material", "funding"),
    ("Pflanzerde", "material", "40", "Sack", "279,60", "material", "funding"),
    ("Saatgut und Jungpflanzen", "material", "1", "", "150,00", "material", "donation"),
    ("Gartenwerkzeug", "material", "1", "Set", "320", "investment", "own_funds"),
    ("Regentonnen mit Pumpe", "material", "2", "Stück", "189,98", "investment", "funding"),
    ("Geräteschuppen", "material", "1", "", "1.150,00", "investment", "funding"),
    ("Gemeinschaftsraum für Treffen", "room", "12", "Abende", "240", "rent", "in_kind"),
    ("Tischlerin für die Bauanleitung", "skill", "8", "Stunden", "", "personnel", "in_kind"),
    ("Transporter für Holz und Erde", "service", "2", "Tage", "160", "travel", "own_funds"),
    ("Haftpflichtversicherung", "service", "1", "Jahr", "95", "administrative", "own_funds"),
    ("Flyer und Plakate", "material", "500", "Stück", "89,50", "administrative", "proceeds"),
]
FINANCING = [
    ("own_funds", "Vereinskasse Gartenfreunde", "600"),
    ("donations", "Spenden vom Nachbarschaftsfest", "243,98"),
    ("requested_funding", "Bürgerfonds der Stadt", "2.500,00"),
]
TOTAL = "3.343,98 €"  # the twelve resources without the two given in kind


def submit(page: Any, form: str = "main form.item-form") -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def _team(town: Town) -> None:
    lena = town.user("lena@example.org", name="Lena Lindner")
    jonas = town.user("jonas@example.org", name="Jonas Jäger")
    clara = town.user("clara@example.org", name="Clara Claussen")
    town.user("nachbar@example.org", name="Nina Nachbarin")
    with town.request_context():
        project = marketplace.publish_idea(
            lena,
            marketplace.ProjectInput(
                title="Nachbarschaftsgarten Lindenstraße",
                pitch="Wir verwandeln die Brache hinter der Schule in einen Garten für alle.",
            ),
        )
        for person in (jonas, clara):
            db.session.add(
                Membership(project_id=project.id, user_id=person.id, role=TeamRole.MEMBER)
            )
        db.session.commit()


def _log_in(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    submit(page, "main form.stacked")


def test_a_team_plans_a_neighbourhood_garden(
    page: Any,
    browser: Any,
    live_server: Any,
    town_a: Town,
    check_page: Callable[[Any], None],
) -> None:
    _team(town_a)
    url = lambda path: live_server.url(town_a, "/projekte/1/plan" + path)  # noqa: E731
    _log_in(page, live_server, town_a, "lena@example.org")

    # The project page has a "Plan" tab; the plan starts with its first step.
    page.goto(live_server.url(town_a, "/projekte/1"))
    page.locator("nav.project-tabs a[href$='/projekte/1/plan']").click()
    page.wait_for_url(re.compile(r"/projekte/1/plan$"))
    progress = page.locator(".completeness progress")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("0", "17")
    check_page(page)

    # Profile: ten questions.
    page.locator(".next-step a").click()
    page.wait_for_url(re.compile(r"/plan/profil"))
    for name, text in PROFILE.items():
        page.fill(f"#{name}", text)
    submit(page, "main form.profile-form")
    assert page.locator("#goal").input_value() == PROFILE["goal"]
    check_page(page)

    # Work plan: three work packages, eight tasks, two milestones.
    for name, responsible in PACKAGES:
        page.goto(url("/eintraege/arbeitspakete/neu"))
        page.fill("#name", name)
        page.select_option("#responsible", label=responsible)
        submit(page)
    page.goto(url("/eintraege/aufgaben/neu"))
    check_page(page)
    for title, package, start, end in TASKS:
        page.goto(url("/eintraege/aufgaben/neu"))
        page.fill("#title", title)
        page.select_option("#work_package", label=PACKAGES[package][0])
        page.select_option("#responsible", label=PACKAGES[package][1])
        page.fill("#start", start)
        page.fill("#end", end)
        page.fill("#expected_result", f"{title}: erledigt")
        submit(page)
    for title, due in (("Beete fertig", "2026-05-01"), ("Erntefest", "2026-09-26")):
        page.goto(url("/eintraege/meilensteine/neu"))
        page.fill("#title", title)
        page.fill("#due", due)
        submit(page)
    page.goto(url("/arbeitsplan"))
    assert page.locator("section.work-package").count() == 3
    assert page.locator("li.task").count() == 8
    check_page(page)
    page.goto(url("/zeitplan"))
    assert page.locator("table.schedule thead th.month").count() == 8  # February to September
    assert page.locator("table.schedule tbody tr").count() == 10  # 8 tasks, 2 milestones
    check_page(page)

    # Resources: twelve lines; one typing mistake first.
    page.goto(url("/eintraege/ressourcen/neu"))
    page.fill("#description", "Lärchenholz für Hochbeete")
    page.fill("#cost", "12,3,4")
    submit(page)
    assert page.locator("#cost").input_value() == "12,3,4"
    assert page.locator("#description").input_value() == "Lärchenholz für Hochbeete"
    assert "1.234,56" in page.locator(".error-summary").inner_text()
    check_page(page)
    for description, kind, quantity, unit, cost, cost_type, source in RESOURCES:
        page.goto(url("/eintraege/ressourcen/neu"))
        page.fill("#description", description)
        page.select_option("#kind", kind)
        page.fill("#quantity", quantity)
        page.fill("#unit", unit)
        page.fill("#cost", cost)
        page.select_option("#cost_type", cost_type)
        page.select_option("#source", source)
        submit(page)
    page.goto(url("/ressourcen"))
    assert page.locator("li.requirement").count() == 12
    check_page(page)

    # Finance: three financing lines make it balance.
    for kind, description, amount in FINANCING:
        page.goto(url("/eintraege/finanzierung/neu"))
        page.select_option("#kind", kind)
        page.fill("#description", description)
        page.fill("#amount", amount)
        submit(page)
    page.goto(url("/finanzen"))
    assert page.locator("td.total-costs").inner_text() == TOTAL.replace(" ", "\xa0")
    assert page.locator("td.total-financing").inner_text() == TOTAL.replace(" ", "\xa0")
    assert page.locator("dd.balance .ok").count() == 1  # "balanced: costs equal financing"
    assert page.locator("dd.own-share").inner_text().startswith("17,94\xa0%")
    check_page(page)

    # History of the work plan, and the overview: complete, then public.
    page.goto(url("/arbeitsplan/versionen"))
    assert page.locator(".history-list > li").count() == 13
    check_page(page)
    page.goto(url(""))
    progress = page.locator(".completeness progress")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("17", "17")
    for name in ("profile", "work_plan", "resources", "finance"):
        page.check(f"#{name}")
    submit(page, "main form[action$='/sichtbarkeit']")
    check_page(page)

    # The PDF: A4, the town, the plan's totals.
    if not exports.pdf_available():
        if os.environ.get("CI"):
            pytest.fail("WeasyPrint cannot be loaded; PDF export is off")
        pytest.skip("WeasyPrint cannot be loaded here (Pango missing?); the rest passed")
    with page.expect_download() as download:
        page.locator("a[href$='/plan/export/pdf/erstellen']").click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    text = text.replace("\xa0", " ")
    assert "Stadt A" in text and "Nachbarschaftsgarten Lindenstraße" in text
    # Labels change with the catalogue, the figures do not: the total of the
    # costs and the total of the financing.
    assert text.count(TOTAL) == 2
    assert "2.500,00 €" in text and "17,94 %" in text
    assert "Hochbeete bauen" in text and "Pflanzerde" in text
    page.goto(url("/drucken"))
    check_page(page)

    # A neighbour sees the public plan and offers a room; Lena accepts.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    neighbour = context.new_page()
    try:
        _log_in(neighbour, live_server, town_a, "nachbar@example.org")
        neighbour.goto(url("/ressourcen"))
        neighbour.select_option("#kind", "room")
        neighbour.fill("#description", "Unser Vereinsheim für das Erntefest")
        neighbour.select_option("#requirement", label="Gemeinschaftsraum für Treffen")
        submit(neighbour, "main form.offer-form")
        assert "#angebote" in neighbour.url
        check_page(neighbour)
    finally:
        context.close()
    page.goto(url("/ressourcen"))
    with page.expect_navigation():
        page.locator("#angebote form[action$='/annehmen'] button").click()
    assert "Nina Nachbarin" in page.locator("li.requirement").nth(7).inner_text()
    check_page(page)
