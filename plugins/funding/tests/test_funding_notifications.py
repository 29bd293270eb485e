"""Funding notifies through the core's notifications: each person's choice counts."""

from __future__ import annotations

from funding_support import Round, make_pot

from projektfabrik.mail.outbox import deliver_due
from projektfabrik.testing import Mailbox

SETTINGS = "/benachrichtigungen/einstellungen"


def test_the_kinds_are_offered_in_german_admins_kind_to_admins_only(round_a: Round) -> None:
    team_page = round_a.team.get(SETTINGS).get_data(as_text=True)
    assert "Förderanträge meiner Teams: Eingang, Rückfragen, Entscheidung" in team_page
    assert 'name="funding.submitted"' not in team_page
    admin_page = round_a.admin.get(SETTINGS).get_data(as_text=True)
    assert "Neue und erneut eingereichte Förderanträge (Verwaltung)" in admin_page


def test_people_who_chose_no_mail_get_none_but_see_it_on_the_bell(
    round_a: Round, mailbox: Mailbox
) -> None:
    for client, kind in (
        (round_a.team, "funding.application"),
        (round_a.admin, "funding.submitted"),
    ):
        assert client.post(SETTINGS, data={kind: "off"}).status_code == 302
    ref = round_a.submitted(make_pot(round_a.town))
    deliver_due()
    assert not mailbox.to("owner@example.org") and not mailbox.to("admin@example.org")
    bell = round_a.team.get("/benachrichtigungen").get_data(as_text=True)
    assert "Ihr Förderantrag ist eingegangen: Nachbarschaftsgarten" in bell
    assert f"/foerderung/antraege/{ref}" in bell
    admin_bell = round_a.admin.get("/benachrichtigungen").get_data(as_text=True)
    assert "Neuer Förderantrag: Nachbarschaftsgarten" in admin_bell
