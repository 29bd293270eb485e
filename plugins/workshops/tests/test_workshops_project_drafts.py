"""An idea on the board becomes a project: the moderator offers it to the person
who had it; it is published, theirs, only when they confirm it."""

from __future__ import annotations

import re

from projektfabrik_workshops.models import CaptureItem, ProjectDraft
from sqlalchemy import select
from workshops_support import Setup, make_workshop

from projektfabrik.extensions import db
from projektfabrik.projects.models import Membership, Project, TeamRole
from projektfabrik.testing import Mailbox, body_of, login


def _offer(setup: Setup, mailbox: Mailbox) -> tuple[str, str, str]:
    workshop = make_workshop(setup.town)
    person = setup.town.user(email="ida@example.org", name="Ida Idee")
    client = setup.town.client()
    login(client, person.email)
    client.post(f"/werkstatt/{workshop.ref}/anmelden", data={"attendance": "onsite"})
    moderator = setup.town.client()
    login(moderator, setup.admin.email)
    moderator.post(
        f"/werkstatt/{workshop.ref}/tafel",
        data={"kind": "idea", "text": "Ein Bücherschrank am Marktplatz"},
    )
    with setup.town.context():
        item_ref = db.session.scalar(select(CaptureItem.ref))
        from projektfabrik_workshops.models import Registration

        reg_ref = db.session.scalar(select(Registration.ref))
    board = moderator.get(f"/werkstatt/{workshop.ref}/tafel").get_data(as_text=True)
    assert "Als Projekt anbieten" in board
    response = moderator.post(
        f"/werkstatt/{workshop.ref}/tafel/{item_ref}/projekt", data={"person": reg_ref}
    )
    assert response.status_code == 302
    mail = mailbox.wait_for("ida@example.org", count=2)
    assert mail["Subject"] == "Ihre Idee als Projekt: Ein Bücherschrank am Marktplatz"
    link = re.search(r"https?://[^/\s]+(/werkstatt/projektidee/\S+)", body_of(mail))
    assert link is not None
    return workshop.ref, link.group(1), item_ref


def test_the_person_confirms_and_leads_the_new_project(ws_a: Setup, mailbox: Mailbox) -> None:
    workshop_ref, path, _item = _offer(ws_a, mailbox)
    with ws_a.town.context():
        assert db.session.scalar(select(Project.id)) is None  # nothing published yet
    visitor = ws_a.town.client()
    assert "Melden Sie sich mit der Adresse an" in visitor.get(path).get_data(as_text=True)
    other = ws_a.town.user(email="jemand@example.org")
    someone = ws_a.town.client()
    login(someone, other.email)
    refused = someone.post(path)
    assert "einer anderen E-Mail-Adresse angeboten" in refused.get_data(as_text=True)
    with ws_a.town.context():
        assert db.session.scalar(select(Project.id)) is None  # not for someone else
    owner = ws_a.town.client()
    login(owner, "ida@example.org")
    response = owner.post(path)
    assert response.status_code == 302 and "/projekte/" in response.headers["Location"]
    with ws_a.town.context():
        project = db.session.scalar(select(Project))
        assert project is not None and project.title == "Ein Bücherschrank am Marktplatz"
        lead = db.session.scalar(select(Membership).where(Membership.project_id == project.id))
        assert lead is not None and lead.role == TeamRole.OWNER
        assert lead.user.email == "ida@example.org"
        number = project.number
        draft = db.session.scalar(select(ProjectDraft))
        assert draft is not None and draft.project_ref == str(number)
    # Twice is refused; the project page shows the workshop in its history.
    owner.post(path)
    with ws_a.town.context():
        assert len(list(db.session.scalars(select(Project.id)))) == 1
    page = ws_a.town.client().get(f"/projekte/{number}").get_data(as_text=True)
    assert "In Projektwerkstätten" in page


def test_the_offer_link_of_town_a_finds_nothing_on_town_b(
    ws_a: Setup, ws_b: Setup, mailbox: Mailbox
) -> None:
    workshop_ref, path, item_ref = _offer(ws_a, mailbox)
    client = ws_b.town.client()
    login(client, ws_b.admin.email)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert (
        client.post(
            f"/werkstatt/{workshop_ref}/tafel/{item_ref}/projekt", data={"person": "x"}
        ).status_code
        == 404
    )


def test_only_moderators_offer_and_only_ideas(ws_a: Setup, mailbox: Mailbox) -> None:
    workshop_ref, _path, item_ref = _offer(ws_a, mailbox)
    member = ws_a.town.user()
    client = ws_a.town.client()
    login(client, member.email)
    assert (
        client.post(
            f"/werkstatt/{workshop_ref}/tafel/{item_ref}/projekt", data={"person": "x"}
        ).status_code
        == 404
    )
    moderator = ws_a.town.client()
    login(moderator, ws_a.admin.email)
    response = moderator.post(
        f"/werkstatt/{workshop_ref}/tafel/{item_ref}/projekt",
        data={"person": "niemand"},
        follow_redirects=True,
    )
    assert "Bitte wählen Sie eine Person, die einen Platz hat." in response.get_data(as_text=True)
