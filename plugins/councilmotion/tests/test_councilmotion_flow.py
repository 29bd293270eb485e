"""The way to the council: council groups by mail link, filing, the clerk's steps,
notifications to the team and followers, the project's page."""

from __future__ import annotations

from councilmotion_support import Team, follow, make_team
from projektfabrik_councilmotion.models import GroupRequest

from projektfabrik.mail.outbox import deliver_due
from projektfabrik.testing import Mailbox, Town, links_in


def _send(team: Team, mailbox: Mailbox) -> tuple[str, str]:
    ref = team.ready()
    response = team.team.post(f"/antraege/{ref}/fraktionen", data={"groups": ["Fraktion Grün"]})
    assert response.status_code == 302
    deliver_due()
    message = mailbox.wait_for("gruen@rat.example")
    link = next(u for u in links_in(message) if "/antraege/fraktion/" in u)
    assert not mailbox.to("buerger@rat.example")  # only the group chosen
    return ref, link.split("stadt-a.test", 1)[1]


def test_a_group_reads_the_motion_without_an_account_and_takes_it_on(
    team_a: Team, mailbox: Mailbox
) -> None:
    ref, path = _send(team_a, mailbox)
    assert team_a.motion().state.value == "sent"
    guest = team_a.town.client()
    page = guest.get(path).get_data(as_text=True)
    assert "Der Stadtrat möge beschließen:" in page
    assert "Die Verwaltung wird beauftragt, den Platz umzugestalten." in page
    # no name: refused with a message, nothing changes
    response = guest.post(path, data={"name": "  "})
    assert response.status_code == 400
    assert "Bitte geben Sie Ihren Namen an." in response.get_data(as_text=True)
    assert guest.post(path, data={"name": "Rita Rätin"}).status_code == 302
    assert team_a.motion().state.value == "carried"
    project_page = team_a.team.get(f"/antraege/{ref}").get_data(as_text=True)
    assert "Fraktion Grün: trägt den Antrag (Rita Rätin" in project_page
    tab = team_a.town.client().get(f"/antraege/projekt/{team_a.project.ref}").get_data(as_text=True)
    assert "Von einer Fraktion getragen" in tab and "Fraktion Grün (Rita Rätin)" in tab


def test_a_wrong_or_foreign_group_link_is_404(team_a: Team, town_b: Town, mailbox: Mailbox) -> None:
    _ref, path = _send(team_a, mailbox)
    assert team_a.town.client().get(path + "x").status_code == 404
    make_team(town_b, prefix="b")
    assert town_b.client().get(path).status_code == 404
    assert town_b.client().post(path, data={"name": "Eve"}).status_code == 404


def test_sending_needs_a_group_and_a_complete_draft(team_a: Team) -> None:
    ref = team_a.draft()
    team_a.save(ref, justification="")
    team_a.team.post(f"/antraege/{ref}/fraktionen", data={"groups": ["Fraktion Grün"]})
    assert team_a.motion().state.value == "draft"
    team_a.save(ref, justification="Weil der Platz grau ist.")
    response = team_a.team.post(f"/antraege/{ref}/fraktionen", data={})
    assert response.status_code == 302
    assert team_a.motion().state.value == "draft"
    page = team_a.team.get(f"/antraege/{ref}").get_data(as_text=True)
    assert "Wählen Sie mindestens eine Fraktion." in page


def test_clerk_steps_from_filing_to_decision_tell_team_and_followers(
    team_a: Team, mailbox: Mailbox
) -> None:
    follower = team_a.town.user("fan@example.org", name="Fritz Fan")
    follow(team_a.town, team_a.project, follower)
    ref, path = _send(team_a, mailbox)
    team_a.town.client().post(path, data={"name": "Rita Rätin"})
    assert team_a.team.post(f"/antraege/{ref}/schritt", data={"state": "filed"}).status_code == 302
    assert team_a.motion().state.value == "filed"
    deliver_due()
    assert "Ein Stadtratsantrag wurde eingereicht" in str(
        mailbox.wait_for("clerk@example.org")["Subject"]
    )
    # the team cannot take the clerk's steps
    assert team_a.team.post(f"/antraege/verwaltung/{ref}/schritt").status_code == 403
    assert team_a.step(ref, "received", on="2026-12-01").status_code == 302
    # not admissible needs a reason; the form keeps what was typed
    response = team_a.step(ref, "inadmissible", link="https://rat.example/1")
    assert response.status_code == 400
    assert "Bitte geben Sie den Grund an, warum der Antrag unzulässig ist." in response.get_data(
        as_text=True
    )
    assert "https://rat.example/1" in response.get_data(as_text=True)
    assert team_a.step(ref, "admissible").status_code == 302
    assert team_a.step(ref, "referred", note="Bauausschuss").status_code == 302
    assert (
        team_a.step(
            ref, "on_agenda", note="Stadtrat, 15. Sitzung", link="https://rat.example/vorlage/7"
        ).status_code
        == 302
    )
    # a jump that the workflow does not know is refused
    response = team_a.step(ref, "received")
    assert response.status_code == 400
    assert team_a.step(ref, "accepted", on="2027-01-20").status_code == 302
    assert team_a.motion().state.value == "accepted"
    deliver_due()
    subjects = [str(m["Subject"]) for m in mailbox.to("fan@example.org")]
    assert any("Angenommen" in s for s in subjects), subjects
    assert any("Auf der Tagesordnung" in s for s in subjects), subjects
    bell = team_a.team.get("/benachrichtigungen").get_data(as_text=True)
    assert "Stadtratsantrag „Platz an der Bibliothek“: Angenommen" in bell
    page = team_a.town.client().get(f"/antraege/{ref}").get_data(as_text=True)
    assert "20.01.2027" in page and "Bauausschuss" in page
    assert 'href="https://rat.example/vorlage/7"' in page
    project = team_a.town.client().get(f"/projekte/{team_a.project.ref}").get_data(as_text=True)
    assert "Stadtratsantrag" in project and "Angenommen" in project


def test_the_clerk_stores_the_councils_paper(team_a: Team, mailbox: Mailbox) -> None:
    ref, _path = _send(team_a, mailbox)
    bad = team_a.clerk.post(
        f"/antraege/verwaltung/{ref}/vorlage",
        data={"paper_reference": "V-12/2027", "paper_url": "javascript:alert(1)"},
    )
    assert bad.status_code == 400 and "V-12/2027" in bad.get_data(as_text=True)
    good = team_a.clerk.post(
        f"/antraege/verwaltung/{ref}/vorlage",
        data={"paper_reference": "V-12/2027", "paper_url": "https://ris.example/paper/12"},
    )
    assert good.status_code == 302
    page = team_a.town.client().get(f"/antraege/{ref}").get_data(as_text=True)
    assert '<a href="https://ris.example/paper/12" rel="noopener">V-12/2027</a>' in page


def test_the_index_filters_by_state_and_hides_drafts(team_a: Team, mailbox: Mailbox) -> None:
    guest = team_a.town.client()
    ref = team_a.draft()
    assert ref not in guest.get("/antraege/").get_data(as_text=True)
    team_a.save(ref, resolution="Die Verwaltung wird beauftragt, den Platz umzugestalten.")
    team_a.team.post(f"/antraege/{ref}/fraktionen", data={"groups": ["Fraktion Grün"]})
    assert ref in guest.get("/antraege/?stand=sent").get_data(as_text=True)
    assert ref not in guest.get("/antraege/?stand=collecting").get_data(as_text=True)
    assert ref in guest.get("/antraege/?stand=kaputt").get_data(as_text=True)


def test_group_requests_are_per_town(team_a: Team, town_b: Town, mailbox: Mailbox) -> None:
    from projektfabrik.extensions import db

    _send(team_a, mailbox)
    with town_b.context():
        assert db.session.query(GroupRequest).count() == 0


def test_the_marketplace_filters_projects_by_their_motions_state(
    team_a: Team, mailbox: Mailbox
) -> None:
    from councilmotion_support import publish

    other = publish(team_a.town, team_a.owner, title="Ohne Antrag")
    guest = team_a.town.client()
    page = guest.get("/projekte").get_data(as_text=True)
    assert '<label for="antrag">Stadtratsantrag</label>' in page
    assert "Platz an der Bibliothek" in page and "Ohne Antrag" in page
    ref = team_a.draft()
    page = guest.get("/projekte?antrag=alle").get_data(as_text=True)
    assert "Platz an der Bibliothek" not in page  # a draft is no public motion
    team_a.save(ref, resolution="Die Verwaltung wird beauftragt, den Platz umzugestalten.")
    team_a.team.post(f"/antraege/{ref}/fraktionen", data={"groups": ["Fraktion Grün"]})
    page = guest.get("/projekte?antrag=sent").get_data(as_text=True)
    assert "Platz an der Bibliothek" in page and other.title not in page
    assert "Stadtratsantrag: An Fraktionen gesendet" in page  # the chip
    assert '<option value="sent" selected>' in page
    page = guest.get("/projekte?antrag=accepted").get_data(as_text=True)
    assert "Platz an der Bibliothek" not in page
    # an unknown value is ignored, not an error
    page = guest.get("/projekte?antrag=kaputt")
    assert page.status_code == 200 and "Ohne Antrag" in page.get_data(as_text=True)


def test_the_team_takes_a_sent_motion_back_but_not_one_with_signatures(
    team_a: Team, mailbox: Mailbox
) -> None:
    ref, _path = _send(team_a, mailbox)
    page = team_a.team.get(f"/antraege/{ref}").get_data(as_text=True)
    assert "Antrag zurücknehmen, um ihn zu ändern" in page
    assert team_a.team.post(f"/antraege/{ref}/schritt", data={"state": "draft"}).status_code == 302
    motion = team_a.motion()
    assert motion.state.value == "draft" and motion.path is None
    assert team_a.town.client().get(f"/antraege/{ref}").status_code == 404  # a draft again
    assert team_a.save(ref, title="Geänderter Titel").status_code == 302
    assert (
        team_a.team.post(f"/antraege/{ref}/schritt", data={"state": "collecting"}).status_code
        == 302
    )
    team_a.clerk.post(f"/antraege/verwaltung/{ref}/listen", data={"count": "3"})
    page = team_a.team.get(f"/antraege/{ref}").get_data(as_text=True)
    assert "Antrag zurücknehmen" not in page
    team_a.team.post(f"/antraege/{ref}/schritt", data={"state": "draft"})
    assert team_a.motion().state.value == "collecting"
