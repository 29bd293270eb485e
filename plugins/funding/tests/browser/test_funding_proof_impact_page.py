"""The proof of use with achieved values for the project's goals, in a real browser:
refused with a bad value, shown again as typed; axe-core finds nothing, in German
and English, and it fits a phone. ``PF_SCREENSHOTS=<folder>`` keeps screenshots."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from funding_support import make_pot, make_round
from projektfabrik_funding.models import Application, State

from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.strategy import contributions, services
from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser


def test_the_proof_of_use_asks_for_achieved_values(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    team = make_round(town_a, clients=False)
    pot = make_pot(town_a)
    with town_a.request_context():
        goal = services.save_goal(
            None, title="Klimaschutz", summary="", source_url="", group=None, actor=None
        )
        db.session.flush()
        services.add_indicator(goal, name="Gepflanzte Bäume", unit="Bäume", actor=None)
        services.add_indicator(goal, name="CO₂ eingespart", unit="t", actor=None)
        project = db.session.get(Project, team.project.id)
        assert project is not None
        contributions.set_goals(project, {goal.id}, actor=None)
        application = Application(
            pot_id=pot.id,
            project_id=project.id,
            state=State.PAID,
            title="Nachbarschaftsgarten",
            approved_cents=800_000,
            paid_cents=800_000,
        )
        db.session.add(application)
        db.session.commit()
        ref = application.ref
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("input[name=email]", team.owner.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    page.goto(live_server.url(town_a, f"/foerderung/antraege/{ref}"))
    page.get_by_label("Erreicht: Gepflanzte Bäume (Bäume)").fill("120")
    page.get_by_label("Erreicht: CO₂ eingespart (t)").fill("viel")
    page.fill("#report", "Der Garten blüht.")
    with page.expect_navigation():
        page.get_by_role("button", name="Verwendungsnachweis einreichen").click()
    assert page.get_by_text("Das ist keine Zahl.").count()
    assert page.get_by_label("Erreicht: Gepflanzte Bäume (Bäume)").input_value() == "120"
    check_page(page)
    folder = os.environ.get("PF_SCREENSHOTS")
    if folder:
        page.locator("#proof-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(folder) / "proof-de-1280.png"), full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
        page.screenshot(path=str(Path(folder) / "proof-de-360.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    page.goto(live_server.url(town_a, f"/foerderung/antraege/{ref}"))
    assert page.get_by_label("Achieved: CO₂ eingespart (t)").count()
    check_page(page)
    if folder:
        page.screenshot(path=str(Path(folder) / "proof-en-360.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(folder) / "proof-en-1280.png"), full_page=True)
