"""Sending one message: over SMTP, or printed to the console for the demo."""

from __future__ import annotations

import smtplib
import ssl
import sys
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit


class Transport:
    def send(self, message: EmailMessage) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleTransport(Transport):
    """Prints the mail; the demo's way of showing verification links."""

    def send(self, message: EmailMessage) -> None:
        # Decoded, not as sent: quoted-printable would break links across lines.
        headers = "\n".join(
            f"{k}: {v}" for k, v in message.items() if k != "Content-Transfer-Encoding"
        )
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        print(
            f"\n----- mail -----\n{headers}\n\n{text}\n----------------",
            file=sys.stdout,
            flush=True,
        )


class SMTPTransport(Transport):
    """``smtp://`` plain, ``smtp+starttls://`` upgraded, ``smtps://`` TLS from the start."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtp+starttls", "smtps"}:
            raise ValueError(f"unsupported SMTP URL scheme: {parts.scheme!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        if self.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.scheme == "smtp+starttls":
                client.starttls(context=ssl.create_default_context())
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)


def transport_from_config(smtp_url: str) -> Transport:
    return SMTPTransport(smtp_url) if smtp_url else ConsoleTransport()
