"""A funding pot's approval becomes a grant in the business plan: learned from the
funding plugin's events (the plugin never imports the funding plugin)."""

from __future__ import annotations

from businessplan_support import Setup
from projektfabrik_businessplan import services
from projektfabrik_funding.models import ApplicationDecided, ApplicationSubmitted

from projektfabrik.extensions import db
from projektfabrik.plugins.events import deliver, emit
from projektfabrik.plugins.state import set_enabled
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town, use_plugin


def announce(town: Town, *events: object) -> None:
    with town.request_context():
        for event in events:
            emit(event)  # type: ignore[arg-type]
        db.session.commit()
        deliver()


def approved(setup: Setup) -> list[tuple[str, int]]:
    with setup.town.request_context():
        return services.approved_funding(str(setup.project.ref))


def test_an_approval_is_a_grant_while_funding_is_on(setup_a: Setup) -> None:
    use_plugin(setup_a.town, "funding")
    ref = str(setup_a.project.ref)
    announce(
        setup_a.town,
        ApplicationSubmitted(
            application_ref="abc123", pot_ref="pot1", project_ref=ref, resubmission=False
        ),
        ApplicationSubmitted(
            application_ref="other9", pot_ref="pot1", project_ref="999", resubmission=False
        ),
    )
    assert approved(setup_a) == []  # submitted, not decided
    announce(
        setup_a.town,
        ApplicationDecided(
            application_ref="abc123", pot_ref="pot1", approved=True, amount_cents=250_000
        ),
    )
    assert approved(setup_a) == [("Bewilligte Förderung (Antrag abc123)", 250_000)]
    setup_a.start()
    with setup_a.town.request_context():
        project = db.session.get(Project, setup_a.project.id)
        plan = services.find(project)
        assert plan is not None
        result = services.compute(plan, project)
    assert result.capital.grants == 250_000
    # Switched off by the town's admin: not counted.
    with setup_a.town.request_context():
        set_enabled("funding", False)
        db.session.commit()
    assert approved(setup_a) == []


def test_another_towns_approval_is_not_counted(setup_a: Setup, town_b: Town) -> None:
    use_plugin(setup_a.town, "funding")
    use_plugin(town_b, "funding")
    use_plugin(town_b, "businessplan")
    ref = str(setup_a.project.ref)
    announce(
        town_b,
        ApplicationSubmitted(
            application_ref="b1", pot_ref="p", project_ref=ref, resubmission=False
        ),
        ApplicationDecided(application_ref="b1", pot_ref="p", approved=True, amount_cents=99_00),
    )
    assert approved(setup_a) == []
