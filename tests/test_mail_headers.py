"""The headers of every mail as they go over the wire, read from the raw bytes the
loopback SMTP server received (a parsed message would decode what providers do not).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.models import OutboxMessage
from projektfabrik.mail.outbox import deliver_due, queue_mail
from projektfabrik.notifications import services
from projektfabrik.testing import Mailbox, Town


def _raw_headers(raw: bytes) -> dict[str, str]:
    """Header name -> value exactly as sent (folded lines joined, nothing decoded)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    unfolded = re.sub(r"\r\n[ \t]", " ", head)
    return dict(line.split(": ", 1) for line in unfolded.split("\r\n"))


def _raw_to(mailbox: Mailbox, address: str) -> bytes:
    found = [
        raw for raw, m in zip(mailbox.raw, mailbox.messages, strict=True) if address in str(m["To"])
    ]
    assert found, f"no mail to {address}"
    return found[-1]


def test_list_unsubscribe_is_sent_as_a_plain_url_a_provider_can_read(
    app: Flask, town_a: Town, mailbox: Mailbox
) -> None:
    user = town_a.user("a@example.org")
    with town_a.context(), app.test_request_context(base_url=f"http://{town_a.host}"):
        services.notify(
            [db.session.get(User, user.id)],
            "status_change",
            lambda: "Neuer Status – „Gemeinschaftsgarten“",
            "/projekte",
        )
        db.session.commit()
    deliver_due()
    raw = _raw_to(mailbox, "a@example.org")
    headers = _raw_headers(raw)
    value = headers["List-Unsubscribe"]
    # Longer than a folded line: the email package would have encoded it.
    assert len("List-Unsubscribe: " + value) > 78
    assert "=?" not in value, value
    assert re.fullmatch(r"<http://stadt-a\.test/benachrichtigungen/abbestellen/[^\s<>]+>", value)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Everything else is still encoded as mail must be: 7-bit, no line over 998.
    assert raw.isascii()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert message_from_bytes(raw, policy=policy.default)["List-Unsubscribe"] == value


def test_every_mail_has_date_and_a_message_id_of_its_town(
    town_a: Town, town_b: Town, mailbox: Mailbox
) -> None:
    before = utcnow() - timedelta(seconds=1)
    with town_a.context():
        queue_mail("x@example.org", "Hallo A", "Text A")
        db.session.commit()
    with town_b.context():
        queue_mail("y@example.org", "Hallo B", "Text B")
        db.session.commit()
    deliver_due()
    for address, host in (("x@example.org", "stadt-a.test"), ("y@example.org", "stadt-b.test")):
        headers = _raw_headers(_raw_to(mailbox, address))
        sent = parsedate_to_datetime(headers["Date"])
        assert sent.tzinfo is not None and before <= sent <= datetime.now(UTC)
        assert re.fullmatch(rf"<[0-9a-f]{{32}}@{re.escape(host)}>", headers["Message-ID"])
    ids = {_raw_headers(raw)["Message-ID"] for raw in mailbox.raw}
    assert len(ids) == 2


def test_a_retried_mail_keeps_its_message_id_and_date(
    town_a: Town, mailbox: Mailbox, app: Any, smtp_server: tuple[str, Mailbox]
) -> None:
    """Receivers drop a second copy with the same Message-ID (a send that timed out
    after the server had taken it is retried)."""
    with town_a.context():
        queue_mail("x@example.org", "Einmal", "Text")
        db.session.commit()
    deliver_due()
    first = _raw_headers(_raw_to(mailbox, "x@example.org"))
    with town_a.context():
        row = db.session.scalar(select(OutboxMessage))
        row.sent_at = None
        row.next_attempt_at = utcnow()
        db.session.commit()
    deliver_due()
    assert len(mailbox.raw) == 2
    second = _raw_headers(mailbox.raw[-1])
    assert second["Message-ID"] == first["Message-ID"]
    assert second["Date"] == first["Date"]
