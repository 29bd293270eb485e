"""The buttons of an application's page come from the plugin's workflow."""

from __future__ import annotations

from funding_support import Round, make_pot


def test_each_role_sees_only_the_steps_it_may_take_now(round_a: Round) -> None:
    pot = make_pot(round_a.town)
    ref = round_a.submitted(pot)
    step = f"/foerderung/antraege/{ref}/schritt/"
    admin = round_a.admin.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert step + "pruefen" in admin and step + "nachfragen" in admin
    assert step + "bewilligen" not in admin and step + "auszahlen" not in admin
    team = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert step not in team
    # The team cannot take the administration's step either.
    assert round_a.team.post(step + "pruefen").status_code in (403, 404)
    round_a.admin.post(step + "pruefen")
    admin = round_a.admin.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert step + "bewilligen" in admin and step + "ablehnen" in admin
    assert step + "pruefen" not in admin
    assert step + "jury" not in admin  # the pot has no jury
