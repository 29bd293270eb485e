"""Replies by mail: the sender is who the town's mail server verified, and each
member has an own reply address that dies when they leave or rotate it (#20)."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.teams import board
from projektfabrik.teams.models import PostSource, TeamPost
from projektfabrik.testing import Mailbox, Town, login

from .teamkit import Team, add_member, run_cli


def _posts(team: Team) -> list[TeamPost]:
    with team.town.context():
        return list(db.session.scalars(select(TeamPost).order_by(TeamPost.id)))


def _mail_replies(team: Team) -> int:
    return sum(1 for p in _posts(team) if p.source == PostSource.MAIL_REPLY)


def _raw(to: str, from_header: str, auth: list[str] | None, **headers: str) -> bytes:
    lines = [f"Authentication-Results: {a}" for a in (auth or [])]
    lines += [f"From: {from_header}", f"To: {to}", "Subject: Re: Samstag"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\nHallo zusammen!\r\n").encode()


def _receive(team: Team, raw: bytes) -> int:
    return run_cli(team.town.app, "mail", "receive", input=raw).exit_code


def _address_of(team: Team, mailbox: Mailbox, email: str) -> str:
    team.owner_client.post("/projekte/1/teamraum/mail", data={"subject": "S", "body": "Text"})
    return mailbox.last_to(email)["Reply-To"]


GOOD = ["mx.test; dmarc=pass header.from=example.org"]


def test_the_sender_is_who_the_mail_server_verified(team: Team, mailbox: Mailbox) -> None:
    to = _address_of(team, mailbox, "max@example.org")
    # No verdict, another server's verdict, a failed one: refused.
    assert _receive(team, _raw(to, "max@example.org", None)) == 67
    assert (
        _receive(team, _raw(to, "max@example.org", ["mx.evil; dmarc=pass header.from=example.org"]))
        == 67
    )
    assert (
        _receive(team, _raw(to, "max@example.org", ["mx.test; dmarc=fail header.from=example.org"]))
        == 67
    )
    assert (
        _receive(
            team, _raw(to, "max@example.org", ["mx.test; dmarc=pass header.from=evil.example"])
        )
        == 67
    )
    # SPF vouches for the envelope address only, not for others of its domain.
    spf_other = ["mx.test; spf=pass smtp.mailfrom=evil@example.org"]
    assert _receive(team, _raw(to, "max@example.org", spf_other)) == 67
    # A DMARC failure is not outweighed by an SPF pass.
    mixed = ["mx.test; spf=pass smtp.mailfrom=max@example.org; dmarc=fail header.from=example.org"]
    assert _receive(team, _raw(to, "max@example.org", mixed)) == 67
    assert _mail_replies(team) == 0
    assert (
        _receive(
            team, _raw(to, "max@example.org", ["mx.test; spf=pass smtp.mailfrom=Max@Example.org"])
        )
        == 0
    )
    assert _receive(team, _raw(to, "Max <max@example.org>", GOOD)) == 0
    assert _mail_replies(team) == 2


def test_forged_ambiguous_or_multiple_senders_are_refused(team: Team, mailbox: Mailbox) -> None:
    to = _address_of(team, mailbox, "max@example.org")
    evil = ["mx.test; dmarc=pass header.from=evil.example"]
    # The comment trick: some parsers read this as max@example.org.
    assert _receive(team, _raw(to, "max@example.org)<evil@evil.example>", evil)) == 67
    assert _receive(team, _raw(to, "max@example.org)<evil@evil.example>", GOOD)) == 67
    assert _receive(team, _raw(to, "max@example.org, evil@evil.example", GOOD + evil)) == 67
    assert _receive(team, _raw(to, "Team: max@example.org;", GOOD)) == 67
    two_froms = _raw(to, "max@example.org", GOOD).replace(
        b"From: max@example.org", b"From: max@example.org\r\nFrom: evil@evil.example"
    )
    assert _receive(team, two_froms) == 67
    assert _receive(team, _raw(to, "max@example.org", GOOD, Sender="evil@evil.example")) == 67
    # Two different team addresses: which board is meant is unclear.
    lena = team.town.user("lena@example.org", name="Lena")
    add_member(team.town, team.project, lena)
    other = _address_of(team, mailbox, "lena@example.org")
    assert _receive(team, _raw(f"{to}, {other}", "max@example.org", GOOD)) == 67
    assert _mail_replies(team) == 0


def test_each_member_has_an_own_address_that_dies_when_they_leave(
    team: Team, mailbox: Mailbox
) -> None:
    lena = team.town.user("lena@example.org", name="Lena")
    add_member(team.town, team.project, lena)
    team.owner_client.post("/projekte/1/teamraum/mail", data={"subject": "S", "body": "Text"})
    max_to = mailbox.last_to("max@example.org")["Reply-To"]
    lena_to = mailbox.last_to("lena@example.org")["Reply-To"]
    assert max_to != lena_to
    # Lena's address does not take Max's reply, even verified.
    assert _receive(team, _raw(lena_to, "max@example.org", GOOD)) == 67
    assert _receive(team, _raw(max_to, "max@example.org", GOOD)) == 0
    # Max leaves: his address is dead; joining again gives a new one.
    assert team.member_client.post("/projekte/1/team/verlassen").status_code == 302
    assert _receive(team, _raw(max_to, "max@example.org", GOOD)) == 67
    add_member(team.town, team.project, team.member)
    assert _receive(team, _raw(max_to, "max@example.org", GOOD)) == 67
    assert _mail_replies(team) == 1


def test_a_rotated_address_stops_working(team: Team, mailbox: Mailbox) -> None:
    old = _address_of(team, mailbox, "max@example.org")
    with team.town.context():
        board.rotate_reply_address(team.project, team.member)
        db.session.commit()
    assert _receive(team, _raw(old, "max@example.org", GOOD)) == 67
    new = _address_of(team, mailbox, "max@example.org")
    assert new != old
    assert _receive(team, _raw(new, "max@example.org", GOOD)) == 0


def test_a_members_key_does_not_open_another_towns_board(
    team: Team, town_b: Town, mailbox: Mailbox
) -> None:
    to = _address_of(team, mailbox, "max@example.org")
    key = to.split("@")[0].rsplit(".", 1)[1]
    # Town B has a project 1 with a member of the same address.
    from .teamkit import publish

    owner_b = town_b.user("olga-b@example.org")
    max_b = town_b.user("max@example.org")
    publish(town_b, owner_b)
    add_member(town_b, town_b_project := _first_project(town_b), max_b)
    assert town_b_project.number == 1
    forged = f"team+stadt-b.1.{key}@stadt-b.test"
    assert _receive(team, _raw(forged, "max@example.org", GOOD)) == 67


def _first_project(town: Town):  # type: ignore[no-untyped-def]
    from projektfabrik.projects.models import Project

    with town.context():
        return db.session.scalars(select(Project).order_by(Project.id)).first()


def test_the_address_in_a_message_object_is_lower_case(team: Team, mailbox: Mailbox) -> None:
    to = _address_of(team, mailbox, "max@example.org")
    message = EmailMessage()
    message["Authentication-Results"] = GOOD[0]
    message["From"] = "MAX@EXAMPLE.ORG"
    message["To"] = to.upper()
    message.set_content("Gern!")
    assert _receive(team, bytes(message)) == 0


def test_a_member_makes_a_new_reply_address_from_the_board(
    team: Team, mailbox: Mailbox, town_b: Town
) -> None:
    old = _address_of(team, mailbox, "max@example.org")
    page = team.member_client.get("/projekte/1/teamraum").get_data(as_text=True)
    assert "/projekte/1/teamraum/mail/neue-adresse" in page
    response = team.member_client.post("/projekte/1/teamraum/mail/neue-adresse")
    assert response.status_code == 302
    assert _receive(team, _raw(old, "max@example.org", GOOD)) == 67
    new = _address_of(team, mailbox, "max@example.org")
    assert new != old and _receive(team, _raw(new, "max@example.org", GOOD)) == 0
    # Nobody outside the team, and nobody of another town, can do it.
    outsider = team.town.client()
    assert outsider.post("/projekte/1/teamraum/mail/neue-adresse").status_code == 302  # log in
    stranger = town_b.client()
    town_b.user(email="max@example.org")
    login(stranger, "max@example.org")
    assert stranger.post("/projekte/1/teamraum/mail/neue-adresse").status_code == 404
