"""Notifications: each person's choice per kind, one-click unsubscribe, the daily digest."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from projektfabrik.accounts.models import User
from projektfabrik.cli import main
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.notifications import services
from projektfabrik.notifications.digest import send_digests
from projektfabrik.notifications.mentions import mentioned
from projektfabrik.notifications.models import Delivery, DigestSent, Notification
from projektfabrik.testing import Mailbox, Town, body_of, login


def _notify(town: Town, users: list[User], kind: str, text: str, link: str = "/projekte") -> None:
    with town.request_context():
        people = [db.session.get(User, u.id) for u in users]
        services.notify(people, kind, lambda: text, link)
        db.session.commit()


def _digest(app: Flask, *args: str) -> str:
    result = CliRunner().invoke(
        main, ["mail", "digest", *args], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code == 0, result.output
    return result.output


def _choose(town: Town, user: User, **choices: str) -> None:
    client = town.client()
    login(client, user.email)
    response = client.post("/benachrichtigungen/einstellungen", data=choices)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


# --- choices --------------------------------------------------------------------------


def test_the_settings_page_shows_and_saves_each_choice(town_a: Town) -> None:
    user = town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    page = client.get("/benachrichtigungen/einstellungen").get_data(as_text=True)
    # Defaults: new team posts daily, join requests right away; moderators' kind hidden.
    assert '<input checked id="team_post-1" name="team_post" type="radio" value="daily">' in page
    assert '<input checked id="join_request-0" name="join_request" type="radio"' in page
    assert 'name="report"' not in page
    client.post("/benachrichtigungen/einstellungen", data={"team_post": "off", "comment": "daily"})
    with town_a.context():
        prefs = services.preferences(db.session.get(User, user.id))
    assert prefs["team_post"] == Delivery.OFF and prefs["comment"] == Delivery.DAILY
    assert prefs["join_request"] == Delivery.IMMEDIATELY
    bad = client.post("/benachrichtigungen/einstellungen", data={"team_post": "sometimes"})
    assert bad.status_code == 400 and 'class="error-summary"' in bad.get_data(as_text=True)


def test_notify_honours_each_choice(town_a: Town, mailbox: Mailbox) -> None:
    now = town_a.user("now@example.org")
    daily = town_a.user("daily@example.org")
    never = town_a.user("never@example.org")
    _choose(town_a, now, comment="immediately")
    _choose(town_a, daily, comment="daily")
    _choose(town_a, never, comment="off")
    _notify(town_a, [now, daily, never], "comment", "Neuer Kommentar")
    from projektfabrik.mail.outbox import deliver_due

    deliver_due()
    assert mailbox.to("now@example.org") and not mailbox.to("daily@example.org")
    assert not mailbox.to("never@example.org")
    with town_a.context():
        rows = {
            n.user_id: (n.delivery, n.mailed_at is not None)
            for n in db.session.scalars(select(Notification))
        }
    # The bell shows it to everyone; only the mail differs.
    assert rows == {
        now.id: (Delivery.IMMEDIATELY, True),
        daily.id: (Delivery.DAILY, False),
        never.id: (Delivery.OFF, False),
    }


def test_every_notification_mail_can_be_unsubscribed_with_one_click(
    app: Flask, town_a: Town, mailbox: Mailbox
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the one-click POST has no token
    user = town_a.user("a@example.org")
    _notify(town_a, [user], "status_change", "Neuer Status")
    from projektfabrik.mail.outbox import deliver_due

    deliver_due()
    mail = mailbox.last_to("a@example.org")
    url = mail["List-Unsubscribe"].strip("<>")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert url in body_of(mail)
    assert url.startswith("http://stadt-a.test/benachrichtigungen/abbestellen/")
    path = url.removeprefix("http://stadt-a.test")
    client = town_a.client()
    confirm = client.get(path)  # a link scanner only looks: nothing changes
    assert confirm.status_code == 200 and "<form" in confirm.get_data(as_text=True)
    with town_a.context():
        assert (
            services.preferences(db.session.get(User, user.id))["status_change"]
            == Delivery.IMMEDIATELY
        )
    # The mail client's one-click POST (RFC 8058): no login, no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    with town_a.context():
        prefs = services.preferences(db.session.get(User, user.id))
    assert prefs["status_change"] == Delivery.OFF and prefs["comment"] == Delivery.IMMEDIATELY
    assert client.post(path).status_code == 200  # twice is harmless
    assert client.get(path[:-3] + "abc").status_code == 400


def test_mentions_match_whole_names_longest_first(town_a: Town) -> None:
    lena = town_a.user("l1@example.org", name="Lena")
    lena_l = town_a.user("l2@example.org", name="Lena Lindner")
    bob = town_a.user("b@example.org", name="Bob")
    people = [lena, lena_l, bob]
    names = lambda text: [u.display_name for u in mentioned(text, people)]  # noqa: E731
    assert names("Hallo @Lena Lindner!") == ["Lena Lindner"]
    assert names("@lena und @LENA LINDNER") == ["Lena", "Lena Lindner"]
    assert names("schreib an bob@example.org oder @Bobby") == []
    assert names("(@Bob) und @Bob") == ["Bob"]


def test_a_mention_in_a_comment_is_a_mention(town_a: Town, mailbox: Mailbox) -> None:
    owner = town_a.user("owner@example.org", name="Olga Owner")
    fan = town_a.user("fan@example.org", name="Fritz Fan")
    with town_a.request_context():
        project = marketplace.publish_idea(owner, marketplace.ProjectInput(title="P", pitch="p"))
        marketplace.add_comment(
            project, db.session.get(User, fan.id), "Frage an @Olga Owner: wann?"
        )
        db.session.commit()
    with town_a.context():
        kinds = db.session.scalars(
            select(Notification.kind).where(Notification.user_id == owner.id)
        ).all()
    assert kinds == ["mention"]  # not also "comment"


# --- the daily digest ----------------------------------------------------------------


@pytest.fixture
def readers(town_a: Town, town_b: Town) -> dict[str, User]:
    """Anna (town A) chose daily summaries for posts and comments and no mail for
    status changes; Ben (town A) keeps the defaults; Anna has an account in town B too."""
    anna = town_a.user("anna@example.org", name="Anna")
    ben = town_a.user("ben@example.org", name="Ben")
    anna_b = town_b.user("anna@example.org", name="Anna in B")
    _choose(town_a, anna, team_post="daily", comment="daily", status_change="off", mention="daily")
    _choose(town_b, anna_b, team_post="daily")
    return {"anna": anna, "ben": ben, "anna_b": anna_b}


def test_one_digest_per_person_and_day_with_everything_chosen_and_nothing_switched_off(
    app: Flask, town_a: Town, town_b: Town, readers: dict[str, User], mailbox: Mailbox
) -> None:
    anna, ben, anna_b = readers["anna"], readers["ben"], readers["anna_b"]
    _notify(
        town_a, [anna, ben], "team_post", "Neuer Beitrag im Garten-Team", "/projekte/1/teamraum"
    )
    _notify(town_a, [anna, ben], "comment", "Kommentar zum Sommerkino")
    _notify(town_a, [anna, ben], "status_change", "Status: Planung")
    _notify(town_a, [anna], "mention", "Erwähnt im Reparaturcafé")
    _notify(town_b, [anna_b], "team_post", "Beitrag in Stadt B")
    mailbox.clear()  # Ben's immediate mails (comment, status change) are not the digest

    output = _digest(app)
    assert "stadt-a: 2 digest(s)" in output and "stadt-b: 1 digest(s)" in output
    anna_mails = mailbox.to("anna@example.org")
    assert len(anna_mails) == 2  # one from each town, each her own account there
    from_a = next(m for m in anna_mails if "Stadt A" in m["Subject"])
    from_b = next(m for m in anna_mails if "Stadt B" in m["Subject"])
    text_a, text_b = body_of(from_a), body_of(from_b)
    for wanted in (
        "Neuer Beitrag im Garten-Team",
        "Kommentar zum Sommerkino",
        "Erwähnt im Reparaturcafé",
    ):
        assert wanted in text_a
    assert "http://stadt-a.test/projekte/1/teamraum" in text_a
    assert "Status: Planung" not in text_a  # she switched it off
    assert "Stadt B" not in text_a and "Beitrag in Stadt B" in text_b
    assert "Garten" not in text_b and "stadt-a.test" not in text_b  # never mixed
    assert from_a["List-Unsubscribe"].startswith(
        "<http://stadt-a.test/benachrichtigungen/abbestellen/"
    )
    assert from_b["List-Unsubscribe"].startswith("<http://stadt-b.test/")
    # Ben's defaults: posts daily, everything else right away (mailed before, not again).
    (ben_mail,) = mailbox.to("ben@example.org")
    assert "Neuer Beitrag im Garten-Team" in body_of(ben_mail)
    assert "Kommentar zum Sommerkino" not in body_of(ben_mail)

    # The same day again: nothing twice, and news waits for tomorrow.
    _notify(town_a, [anna], "team_post", "Noch ein Beitrag")
    mailbox.clear()
    output = _digest(app)
    assert "stadt-a: 0 digest(s)" in output and not mailbox.messages
    with town_a.context():
        assert db.session.scalar(select(func.count()).select_from(DigestSent)) == 2
    with town_a.context(), app.test_request_context(base_url="http://stadt-a.test"):
        assert send_digests(date(2099, 1, 1)) == 1  # "tomorrow"
        db.session.commit()
    from projektfabrik.mail.outbox import deliver_due

    deliver_due()
    (tomorrow,) = mailbox.to("anna@example.org")
    assert "Noch ein Beitrag" in body_of(tomorrow) and "Sommerkino" not in body_of(tomorrow)


def test_the_digest_leaves_out_what_was_switched_off_since(
    app: Flask, town_a: Town, readers: dict[str, User], mailbox: Mailbox
) -> None:
    anna = readers["anna"]
    _notify(town_a, [anna], "team_post", "Beitrag eins")
    _notify(town_a, [anna], "comment", "Kommentar eins")
    _choose(town_a, anna, team_post="off", comment="daily")
    mailbox.clear()
    _digest(app, "--tenant", "stadt-a")
    (mail,) = mailbox.to("anna@example.org")
    assert "Kommentar eins" in body_of(mail) and "Beitrag eins" not in body_of(mail)
    assert "1" in mail["Subject"]


def test_unsubscribing_from_the_digest_switches_off_every_daily_kind(
    app: Flask, town_a: Town, readers: dict[str, User], mailbox: Mailbox
) -> None:
    anna = readers["anna"]
    _notify(town_a, [anna], "team_post", "Beitrag")
    mailbox.clear()
    _digest(app, "--tenant", "stadt-a")
    mail = mailbox.last_to("anna@example.org")
    path = mail["List-Unsubscribe"].strip("<>").removeprefix("http://stadt-a.test")
    assert town_a.client().post(path).status_code == 200
    with town_a.context():
        prefs = services.preferences(db.session.get(User, anna.id))
    assert prefs["team_post"] == prefs["comment"] == prefs["mention"] == Delivery.OFF
    assert prefs["join_request"] == Delivery.IMMEDIATELY  # not a daily kind: untouched


def test_digest_for_an_unknown_town_is_refused(app: Flask) -> None:
    result = CliRunner().invoke(
        main, ["mail", "digest", "--tenant", "nirgendwo"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code != 0 and "nirgendwo" in result.output
