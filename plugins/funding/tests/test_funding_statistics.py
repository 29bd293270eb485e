"""The funding module's figures on the admin's statistics page (pf_admin_statistics):
budget and committed money per pot, per town, in one query whatever the size."""

from __future__ import annotations

from funding_support import Round, make_pot, make_round
from projektfabrik_funding.models import Application, State
from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.plugins.runtime import admin_statistics
from projektfabrik.testing import QueryCounter, Town, use_plugin


def _commit_amount(round_: Round, pot_ref: str, cents: int) -> None:
    with round_.town.context():
        application = db.session.scalars(select(Application)).one()
        application.state = State.APPROVED
        application.approved_cents = cents
        db.session.commit()


def test_budget_and_committed_money_per_pot_on_the_page_and_in_the_csv(town_a: Town) -> None:
    round_ = make_round(town_a)
    pot = make_pot(town_a, name="Kiezfonds", budget_cents=2_000_000)
    make_pot(town_a, name="Jugendfonds", budget_cents=500_000)
    round_.submitted(pot)
    _commit_amount(round_, pot.ref, 750_000)
    page = round_.admin.get("/verwaltung/statistik").get_data(as_text=True)
    assert "Genutztes Budget pro Fördertopf" in page
    assert "Kiezfonds" in page and "20.000,00\xa0€" in page and "7.500,00\xa0€" in page
    assert "Jugendfonds" in page and "0,00\xa0€" in page
    csv = round_.admin.get("/verwaltung/statistik.csv").get_data(as_text=True)
    assert "Kiezfonds;20000,00;7500,00" in csv


def test_one_query_however_many_pots_and_another_town_sees_none(town_a: Town, town_b: Town) -> None:
    use_plugin(town_a, "funding")
    use_plugin(town_b, "funding")
    make_pot(town_b, name="Fonds von B")

    def tables() -> tuple[int, list[str]]:
        with town_a.request_context(), QueryCounter() as counter:
            found = [t for t in admin_statistics() if t.key == "funding-pots"]
        return len(counter), [name for name, _ in found[0].rows]

    tables()  # the first call loads what later ones find cached
    few, names = tables()
    assert names == []
    for i in range(5):
        make_pot(town_a, name=f"Fonds {i}")
    many, names = tables()
    assert many == few
    assert "Fonds von B" not in names and len(names) == 5


def test_a_town_without_the_module_shows_no_funding_figures(town_a: Town, town_b: Town) -> None:
    use_plugin(town_b, "funding")
    make_pot(town_b, name="Fonds von B")
    with town_a.request_context():
        assert [t.key for t in admin_statistics()] == ["participation"]
