"""The team space: board, mentions, team mail with replies by mail, files, meetings."""

from __future__ import annotations

import io
import re
import zipfile
from email.message import EmailMessage

import pytest
from PIL import Image
from sqlalchemy import select

from projektfabrik import workercache
from projektfabrik.accounts.models import Kind
from projektfabrik.extensions import db
from projektfabrik.notifications.models import Delivery, Notification
from projektfabrik.teams.models import PostSource, TeamFile, TeamMeeting, TeamPost
from projektfabrik.testing import Mailbox, body_of, stored_bytes, stored_names

from .teamkit import Team, add_member, person, run_cli, shown


def _posts(team: Team) -> list[TeamPost]:
    db.session.expire_all()
    with team.town.context():
        return list(db.session.scalars(select(TeamPost).order_by(TeamPost.id)))


def _notes(team: Team, user_id: int) -> list[Notification]:
    db.session.expire_all()
    with team.town.context():
        return list(
            db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        )


# --- board -------------------------------------------------------------------------


def test_posting_on_the_board_tells_members_as_they_chose(team: Team, mailbox: Mailbox) -> None:
    response = team.owner_client.post(
        "/projekte/1/teamraum/beitraege", data={"body": "Treffen am Samstag?"}
    )
    assert response.status_code == 302 and "#beitrag-" in response.headers["Location"]
    assert "Treffen am Samstag?" in team.member_client.get("/projekte/1/teamraum").get_data(
        as_text=True
    )
    # New posts are a daily summary by default: on the bell now, no mail yet.
    (note,) = _notes(team, team.member.id)
    assert note.kind == "team_post" and note.delivery == Delivery.DAILY and note.mailed_at is None
    assert not mailbox.to("max@example.org")
    # Max wants them right away.
    team.member_client.post(
        "/benachrichtigungen/einstellungen",
        data={"team_post": "immediately", "mention": "immediately"},
    )
    team.owner_client.post("/projekte/1/teamraum/beitraege", data={"body": "Ich bringe Kuchen."})
    mail = mailbox.last_to("max@example.org")
    assert "Ich bringe Kuchen." in body_of(mail)
    assert mail["Reply-To"].startswith("team+stadt-a.1.")  # replies reach the board
    assert not mailbox.to("olga@example.org")  # not told about one's own post


def test_a_mention_notifies_the_person_once(team: Team, mailbox: Mailbox) -> None:
    lena = team.town.user("lena@example.org", name="Lena Lindner")
    add_member(team.town, team.project, lena)
    team.owner_client.post(
        "/projekte/1/teamraum/beitraege",
        data={
            "body": "@lena lindner, kannst du die Kasse machen? Mail an x@Max Member geht nicht."
        },
    )
    mail = mailbox.last_to("lena@example.org")
    subject = mail["Subject"]
    assert subject == shown(
        team.town.app,
        "%(name)s mentioned you on the board of “%(title)s”.",
        name="Olga Owner",
        title="Garten am Hafen",
    )
    kinds = [n.kind for n in _notes(team, lena.id)]
    assert kinds == ["mention"]  # the mention replaces the team_post notification
    assert [n.kind for n in _notes(team, team.member.id)] == ["team_post"]  # x@Max is no mention


def test_an_empty_post_is_refused_and_only_authors_or_owners_delete(team: Team) -> None:
    assert (
        team.member_client.post("/projekte/1/teamraum/beitraege", data={"body": " "}).status_code
        == 400
    )
    team.owner_client.post("/projekte/1/teamraum/beitraege", data={"body": "Von Olga"})
    (item,) = _posts(team)
    assert (
        team.member_client.post(f"/projekte/1/teamraum/beitraege/{item.ref}/loeschen").status_code
        == 403
    )
    team.member_client.post("/projekte/1/teamraum/beitraege", data={"body": "Von Max"})
    mine = _posts(team)[-1]
    assert (
        team.owner_client.post(f"/projekte/1/teamraum/beitraege/{mine.ref}/loeschen").status_code
        == 302
    )
    assert [p.body for p in _posts(team)] == ["Von Olga"]


def test_the_board_pages_and_costs_the_same_queries(team: Team, count_queries) -> None:  # type: ignore[no-untyped-def]
    team.owner_client.post("/projekte/1/teamraum/beitraege", data={"body": "erster"})

    def count() -> int:
        # Both counts start with nothing kept (the bell's count is kept per
        # person after the first page, workercache.person_value).
        workercache.init_app(team.town.app)
        with count_queries() as counter:
            assert team.member_client.get("/projekte/1/teamraum").status_code == 200
        return len(counter)

    few = count()
    for i in range(12):
        other = team.town.user(f"p{i}@example.org", name=f"Person {i}")
        add_member(team.town, team.project, other)
        with team.town.context():
            db.session.add(
                TeamPost(project_id=team.project.id, author_id=other.id, body=f"Post {i}")
            )
            db.session.commit()
    assert count() == few
    with team.town.context():
        for i in range(40):
            db.session.add(
                TeamPost(project_id=team.project.id, author_id=team.owner.id, body=f"x{i}")
            )
        db.session.commit()
    page = team.member_client.get("/projekte/1/teamraum").get_data(as_text=True)
    assert 'rel="next"' in page
    assert "erster" in team.member_client.get("/projekte/1/teamraum?seite=2").get_data(as_text=True)


def test_the_team_page_costs_the_same_queries(team: Team, count_queries) -> None:  # type: ignore[no-untyped-def]
    def count() -> int:
        with count_queries() as counter:
            assert team.owner_client.get("/projekte/1/team").status_code == 200
        return len(counter)

    def more(i: int) -> None:
        other, _client = person(team.town, f"p{i}@example.org", f"Person {i}")
        add_member(team.town, team.project, other)
        helper, helper_client = person(team.town, f"h{i}@example.org", f"Helfer {i}")
        helper_client.post(
            "/projekte/1/team/anfragen", data={"motivation": "Bitte", "skills": "Gärtnern"}
        )
        finder = team.town.user(f"f{i}@example.org", name=f"Finder {i}")
        with team.town.context():
            found = db.session.get(type(finder), finder.id)
            found.findable, found.skills = True, "Gärtnern, Kochen"
            db.session.commit()

    count()  # the first look makes the join code
    more(0)  # the baseline has one of everything: member, request, person to find
    team.owner_client.get("/projekte/1/team")  # the worker cache reads the changed town once
    few = count()
    for i in range(1, 11):
        more(i)
    page = team.owner_client.get("/projekte/1/team").get_data(as_text=True)
    assert page.count('class="card join-request"') == 11 and "Finder 10" in page
    assert count() == few


# --- team mail -----------------------------------------------------------------------


def _reply(to: str, sender: str, text: str, **headers: str) -> bytes:
    message = EmailMessage()
    # What the town's mail server (authserv-id "mx.test", testing.py) verified.
    domain = sender.rpartition("@")[2].lower()
    message["Authentication-Results"] = f"mx.test; dmarc=pass header.from={domain}"
    message["From"] = f"Someone <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: Samstag"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return bytes(message)


def test_the_team_mail_fields_have_labels_of_their_own(team: Team) -> None:
    """The board's post form and the team mail are on one page: each field's label
    points at that field (the mail's once pointed at the post's ``id="body"``)."""
    page = team.owner_client.get("/projekte/1/teamraum").get_data(as_text=True)
    for field_id in ("body", "mail-subject", "mail-body"):
        assert page.count(f'id="{field_id}"') == 1, field_id
        assert page.count(f'for="{field_id}"') == 1, field_id
    (mail_body,) = re.findall(r'<textarea[^>]*id="mail-body"[^>]*>', page)
    assert 'name="body"' in mail_body  # the form still posts "body"


def test_team_mail_reaches_everyone_without_addresses_and_replies_reach_the_board(
    team: Team, mailbox: Mailbox
) -> None:
    lena = team.town.user("lena@example.org", name="Lena Lindner", kind=Kind.ADMINISTRATION)
    add_member(team.town, team.project, lena)
    response = team.owner_client.post(
        "/projekte/1/teamraum/mail",
        data={"subject": "Samstag", "body": "Wir treffen uns um 10 Uhr."},
    )
    assert response.status_code == 302
    for address in ("max@example.org", "lena@example.org"):
        (mail,) = mailbox.to(address)
        raw = mail.as_string()
        assert mail["To"] == address  # one mail each, to that person alone
        assert "Cc" not in mail and "Bcc" not in mail
        others = {"olga@example.org", "max@example.org", "lena@example.org"} - {address}
        assert not any(o in raw for o in others)
        assert "Samstag" in mail["Subject"] and "Wir treffen uns um 10 Uhr." in body_of(mail)
        assert mail["From"].endswith("<noreply@stadt-a.test>")
        assert mail["Reply-To"].endswith("@stadt-a.test")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not mailbox.to("olga@example.org")
    (item,) = _posts(team)
    assert item.source == PostSource.TEAM_MAIL and item.subject == "Samstag"

    # Lena answers from her mail program; the MTA pipes it into `mail receive`.
    reply_to = mailbox.last_to("lena@example.org")["Reply-To"]
    quoted = (
        "Ich komme gern und bringe Brötchen mit.\n\n"
        "Lena\n\n"
        "Am 14.05.2026 um 09:00 schrieb Stadt A <noreply@stadt-a.test>:\n"
        "> Wir treffen uns um 10 Uhr.\n"
    )
    mailbox.clear()
    result = run_cli(
        team.town.app, "mail", "receive", input=_reply(reply_to, "Lena@Example.org", quoted)
    )
    assert result.exit_code == 0, result.output
    reply = _posts(team)[-1]
    assert reply.source == PostSource.MAIL_REPLY and reply.author_id == lena.id
    assert reply.body == "Ich komme gern und bringe Brötchen mit.\n\nLena"
    assert "Wir treffen uns um 10 Uhr" not in reply.body
    page = team.member_client.get("/projekte/1/teamraum").get_data(as_text=True)
    assert "Ich komme gern und bringe Brötchen mit." in page


def test_replies_from_strangers_forged_or_foreign_addresses_are_refused(
    team: Team,
    town_b,
    mailbox: Mailbox,  # type: ignore[no-untyped-def]
) -> None:
    team.owner_client.post("/projekte/1/teamraum/mail", data={"subject": "S", "body": "Text"})
    reply_to = mailbox.last_to("max@example.org")["Reply-To"]
    local, domain = reply_to.split("@")
    outsider, _ = person(team.town, "outsider@example.org")
    town_b.user("max-b@example.org")  # an account of town B only

    def receive(to: str, sender: str, **headers: str) -> int:
        return run_cli(
            team.town.app, "mail", "receive", input=_reply(to, sender, "Hallo!", **headers)
        ).exit_code

    assert receive(reply_to, "outsider@example.org") == 67  # not a member
    assert receive(reply_to, "max-b@example.org") == 67  # unknown in town A
    assert receive(reply_to, "nobody@example.org") == 67
    # A forged signature: change its last character (to one it is not already).
    forged = local[:-1] + ("y" if local.endswith("x") else "x")
    assert receive(f"{forged}@{domain}", "max@example.org") == 67
    assert receive(local.replace(".1.", ".2.") + "@" + domain, "max@example.org") == 67
    assert receive(f"{local}@stadt-b.test", "max@example.org") == 67  # another town's domain
    forged_town = local.replace("stadt-a", "stadt-b")
    assert receive(f"{forged_town}@stadt-b.test", "max@example.org") == 67
    # An out-of-office answer is dropped without a bounce and without a post.
    assert receive(reply_to, "max@example.org", Auto_Submitted="auto-replied") == 0
    assert [p.source for p in _posts(team)] == [PostSource.TEAM_MAIL]
    assert receive(reply_to, "max@example.org") == 0
    assert [p.source for p in _posts(team)] == [PostSource.TEAM_MAIL, PostSource.MAIL_REPLY]


def test_a_team_mail_needs_subject_and_text_and_keeps_them(team: Team, mailbox: Mailbox) -> None:
    response = team.owner_client.post(
        "/projekte/1/teamraum/mail", data={"subject": "Nur Betreff", "body": ""}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Nur Betreff"' in page and "<details" in page and " open>" in page
    assert not mailbox.messages


# --- files ---------------------------------------------------------------------------


def _png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(data, "PNG")
    return data.getvalue()


def _docx() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return data.getvalue()


def _odt() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return data.getvalue()


def _upload(client, content: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/projekte/1/teamraum/dateien",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("content", "name", "stored_as", "mimetype"),
    [
        (b"%PDF-1.4\n%test\n", "Plan.pdf", "Plan.pdf", "application/pdf"),
        (_png(), "foto.png", "foto.png", "image/png"),
        (_png(), "foto.jpg", "foto.png", "image/png"),  # the name lies; the content decides
        (
            _docx(),
            "Antrag.docx",
            "Antrag.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (_odt(), "Protokoll", "Protokoll.odt", "application/vnd.oasis.opendocument.text"),
        (b"Einkaufsliste: Erde, Samen\n", "liste.txt", "liste.txt", "text/plain"),
        (b"%PDF-1.7", "../../etc/passwd.pdf", "passwd.pdf", "application/pdf"),
    ],
)
@pytest.mark.storage
def test_files_are_checked_by_content(
    team: Team, content: bytes, name: str, stored_as: str, mimetype: str
) -> None:
    response = _upload(team.member_client, content, name)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    with team.town.context():
        item = db.session.scalar(select(TeamFile))
    assert (item.filename, item.mimetype, item.size) == (stored_as, mimetype, len(content))
    assert stored_bytes(team.town.app, team.town.tenant.id, "team-files", item.stored_name) == (
        content
    )
    download = team.owner_client.get(f"/projekte/1/teamraum/dateien/{item.ref}/{item.filename}")
    assert download.status_code == 200 and download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.mimetype == mimetype
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03" + bytes(100), "programm.pdf"),  # a Windows program called PDF
        (b"<html><script>alert(1)</script></html>\x00", "seite.txt"),
        (b"PK\x03\x04" + bytes(30), "kaputt.docx"),  # a broken ZIP
        (b"\x89PNG\r\n\x1a\nnot really", "bild.png"),
        (b"", "leer.txt"),
    ],
)
@pytest.mark.storage
def test_files_of_other_kinds_are_refused_with_a_message(
    team: Team, content: bytes, name: str
) -> None:
    response = _upload(team.member_client, content, name)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    with team.town.context():
        assert db.session.scalar(select(TeamFile)) is None
    assert stored_names(team.town.app, team.town.tenant.id, "team-files") == []


def test_the_size_limit(team: Team) -> None:
    team.town.app.config["TEAM_FILE_MAX_MB"] = 1
    response = _upload(team.member_client, b"%PDF-" + b"x" * (1024 * 1024), "gross.pdf")
    assert response.status_code == 400
    assert "1 MB" in response.get_data(as_text=True)
    assert _upload(team.member_client, b"%PDF-" + b"x" * 1000, "klein.pdf").status_code == 302


@pytest.mark.storage
def test_only_uploader_or_owner_deletes_a_file(team: Team) -> None:
    _upload(team.owner_client, b"%PDF-1.4", "a.pdf")
    db.session.expire_all()
    with team.town.context():
        item = db.session.scalar(select(TeamFile))
    assert stored_names(team.town.app, team.town.tenant.id, "team-files") == [item.stored_name]
    assert (
        team.member_client.post(f"/projekte/1/teamraum/dateien/{item.ref}/loeschen").status_code
        == 403
    )
    assert (
        team.owner_client.post(f"/projekte/1/teamraum/dateien/{item.ref}/loeschen").status_code
        == 302
    )
    assert stored_names(team.town.app, team.town.tenant.id, "team-files") == []


# --- meetings ------------------------------------------------------------------------


def test_a_meeting_in_the_towns_time_zone_with_an_ics_download(
    team: Team, mailbox: Mailbox
) -> None:
    response = team.member_client.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Pflanzaktion", "day": "2030-05-14", "start": "18:30", "end": "20:00",
              "place": "Brache am Hafen", "video_url": "https://meet.example.org/garten",
              "description": "Handschuhe mitbringen"},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    with team.town.context():
        meeting = db.session.scalar(select(TeamMeeting))
    # 18:30 in Berlin in May (summer time) is 16:30 UTC.
    assert meeting.starts_at.isoformat() == "2030-05-14T16:30:00+00:00"
    page = team.owner_client.get("/projekte/1/teamraum/treffen").get_data(as_text=True)
    assert "Pflanzaktion" in page and "18:30" in page and "Brache am Hafen" in page
    assert "Pflanzaktion" in mailbox.last_to("olga@example.org")["Subject"]
    ics = team.owner_client.get(f"/projekte/1/teamraum/treffen/{meeting.ref}.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert ics.headers["Content-Disposition"].startswith("attachment")
    text = ics.get_data(as_text=True)
    assert "DTSTART:20300514T163000Z" in text and "DTEND:20300514T180000Z" in text
    assert f"UID:{meeting.ref}@stadt-a.test" in text
    assert "LOCATION:Brache am Hafen" in text
    # Winter time: 18:30 is 17:30 UTC.
    team.member_client.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Winter", "day": "2030-12-01", "start": "18:30", "place": "Rathaus"},
    )
    with team.town.context():
        winter = db.session.scalar(select(TeamMeeting).where(TeamMeeting.title == "Winter"))
    assert winter.starts_at.isoformat() == "2030-12-01T17:30:00+00:00"


def test_a_meeting_with_bad_input_keeps_what_was_typed(team: Team) -> None:
    response = team.member_client.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Plenum", "day": "2030-05-14", "start": "20:00", "end": "19:00",
              "place": "", "video_url": "javascript:alert(1)"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Plenum"' in page and 'value="2030-05-14"' in page
    assert 'class="error-summary"' in page
    with team.town.context():
        assert db.session.scalar(select(TeamMeeting)) is None
    response = team.member_client.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Plenum", "day": "31.02.2030", "start": "20:00", "place": "Hier"},
    )
    assert response.status_code == 400  # no such day
    response = team.member_client.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Plenum", "day": "14.05.2030", "start": "20:00", "place": "Hier"},
    )
    assert response.status_code == 302  # a date as people write it is taken


def test_only_the_planner_or_an_owner_cancels(team: Team) -> None:
    team.owner_client.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Plenum", "day": "2030-05-14", "start": "20:00", "place": "Hier"},
    )
    with team.town.context():
        meeting = db.session.scalar(select(TeamMeeting))
    assert (
        team.member_client.post(f"/projekte/1/teamraum/treffen/{meeting.ref}/absagen").status_code
        == 403
    )
    assert (
        team.owner_client.post(f"/projekte/1/teamraum/treffen/{meeting.ref}/absagen").status_code
        == 302
    )
    db.session.expire_all()
    with team.town.context():
        assert db.session.scalar(select(TeamMeeting)) is None
