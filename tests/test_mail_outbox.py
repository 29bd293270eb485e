"""The outbox: nothing is lost when SMTP is down, and every town's mail stays its own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.models import OutboxMessage
from projektfabrik.mail.outbox import MAX_ATTEMPTS, deliver_due, queue_mail
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS
from projektfabrik.testing import Mailbox, Town, free_port


def _all_rows() -> list[OutboxMessage]:
    with tenant_context(None):
        return list(
            db.session.scalars(
                select(OutboxMessage).order_by(OutboxMessage.id).execution_options(**ALL_TENANTS)
            )
        )


def _make_due() -> None:
    with tenant_context(None):
        db.session.execute(
            update(OutboxMessage)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
            .execution_options(**ALL_TENANTS)
        )
        db.session.commit()


def test_queued_mail_is_sent_with_the_towns_sender(
    town_a: Town, town_b: Town, mailbox: Mailbox
) -> None:
    with town_a.context():
        queue_mail("x@example.org", "Hallo A", "Text A")
        db.session.commit()
    with town_b.context():
        queue_mail("y@example.org", "Hallo B", "Text B")
        db.session.commit()
    assert deliver_due() == (2, 0)
    assert "Stadt A" in str(mailbox.last_to("x@example.org")["From"])
    assert "Stadt B" in str(mailbox.last_to("y@example.org")["From"])
    assert all(row.sent_at is not None for row in _all_rows())


def test_rolled_back_work_sends_no_mail(town_a: Town, mailbox: Mailbox) -> None:
    with town_a.context():
        queue_mail("x@example.org", "Hallo", "Text")
        db.session.rollback()
    assert deliver_due() == (0, 0)
    assert mailbox.messages == []


def test_smtp_outage_keeps_the_mail_and_retries_later(
    town_a: Town, mailbox: Mailbox, app: Any, smtp_server: tuple[str, Mailbox]
) -> None:
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens there
    with town_a.context():
        queue_mail("x@example.org", "Wichtig", "Bitte nicht verlieren")
        db.session.commit()
    assert deliver_due() == (0, 1)
    (row,) = _all_rows()
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > utcnow()
    assert deliver_due() == (0, 0)  # not due yet: backing off

    app.config["SMTP_URL"] = smtp_server[0]  # the server is back
    _make_due()
    assert deliver_due() == (1, 0)
    assert mailbox.last_to("x@example.org")["Subject"] == "Wichtig"


def test_gives_up_after_max_attempts(town_a: Town, app: Any) -> None:
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"
    with town_a.context():
        queue_mail("x@example.org", "S", "T")
        db.session.commit()
    for _ in range(MAX_ATTEMPTS + 2):
        _make_due()
        deliver_due()
    (row,) = _all_rows()
    assert row.attempts == MAX_ATTEMPTS
    assert row.given_up


def test_request_with_smtp_down_still_succeeds_and_keeps_the_mail(
    town_a: Town, app: Any, mailbox: Mailbox, smtp_server: tuple[str, Mailbox]
) -> None:
    town_a.user("a@example.org")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"
    response = town_a.client().post("/passwort-vergessen", data={"email": "a@example.org"})
    assert response.status_code == 302
    (row,) = _all_rows()
    assert row.sent_at is None and row.recipient == "a@example.org"

    app.config["SMTP_URL"] = smtp_server[0]
    _make_due()
    from click.testing import CliRunner

    from projektfabrik.cli import main

    result = CliRunner().invoke(main, ["mail", "send"], obj=_script_info(app))
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert "/passwort-neu/" in mailbox.last_to("a@example.org").get_content()


def _script_info(app: Any) -> Any:
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


@pytest.mark.parametrize("scheme", ["ftp", "http"])
def test_unsupported_smtp_url_is_refused(scheme: str) -> None:
    from projektfabrik.mail.transport import SMTPTransport

    with pytest.raises(ValueError):
        SMTPTransport(f"{scheme}://localhost")


def test_a_message_being_sent_is_not_sent_twice(
    town_a: Town, mailbox: Mailbox, app_config: dict[str, Any]
) -> None:
    """Two deliverers at once (a worker and the timer): the claimed row is skipped."""
    import threading

    from projektfabrik.app import create_app

    with town_a.context():
        queue_mail("x@example.org", "Einmal", "Nur einmal bitte")
        db.session.commit()
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite has a single writer")
    other = create_app(app_config)
    claimed, release = threading.Event(), threading.Event()

    def hold_the_row() -> None:
        with other.app_context():
            with tenant_context(None):
                db.session.scalar(
                    select(OutboxMessage).with_for_update().execution_options(**ALL_TENANTS)
                )
            claimed.set()
            release.wait(10)
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    assert claimed.wait(10)
    try:
        assert deliver_due() == (0, 0)  # locked by the other deliverer: skipped
    finally:
        release.set()
        holder.join(10)
    assert deliver_due() == (1, 0)
    assert len(mailbox.to("x@example.org")) == 1


def test_sent_and_given_up_mail_is_deleted_after_the_retention_period(
    town_a: Town, town_b: Town, app: Any, mailbox: Mailbox
) -> None:
    """Addresses and bodies are personal data: kept MAIL_RETENTION_DAYS, in every town."""
    from click.testing import CliRunner

    from projektfabrik.cli import main

    for town in (town_a, town_b):
        with town.context():
            for subject in ("old", "recent", "old-given-up", "waiting"):
                queue_mail(f"{subject}@example.org", subject, "Text")
            db.session.commit()
    long_ago = utcnow() - timedelta(days=31)
    changes: dict[str, dict[str, Any]] = {
        "old": {"sent_at": long_ago},
        "recent": {"sent_at": utcnow() - timedelta(days=29)},
        "old-given-up": {"attempts": MAX_ATTEMPTS, "next_attempt_at": long_ago},
        "waiting": {"next_attempt_at": utcnow() + timedelta(hours=1)},  # not due yet
    }
    with tenant_context(None):
        for subject, values in changes.items():
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.subject == subject)
                .values(**values)
                .execution_options(**ALL_TENANTS)
            )
        db.session.commit()
    app.config["MAIL_RETENTION_DAYS"] = 30
    result = CliRunner().invoke(main, ["mail", "send"], obj=_script_info(app))
    assert result.exit_code == 0, result.output
    assert "deleted 4 message(s)" in result.output
    assert sorted(r.subject for r in _all_rows()) == ["recent", "recent", "waiting", "waiting"]
