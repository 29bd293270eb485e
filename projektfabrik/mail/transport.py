"""Sending messages: over SMTP, or printed to the console for the demo.

:meth:`Transport.batch` opens what sending needs once (one SMTP connection)
and gives a function that sends one message with it, so a batch of mail costs
one connection and one login, not one per message.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import sys
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

#: Failures of the connection itself (as opposed to one message's): the rest of a
#: batch would only wait for the same timeout again, so the batch stops.
CONNECTION_ERRORS = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


class Transport:
    def send(self, message: EmailMessage) -> None:
        with self.batch() as send:
            send(message)

    @contextlib.contextmanager
    def batch(self) -> Iterator[Callable[[EmailMessage], None]]:  # pragma: no cover
        raise NotImplementedError
        yield


class ConsoleTransport(Transport):
    """Prints the mail; the demo's way of showing verification links."""

    @contextlib.contextmanager
    def batch(self) -> Iterator[Callable[[EmailMessage], None]]:
        yield self._print

    def _print(self, message: EmailMessage) -> None:
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

    @contextlib.contextmanager
    def batch(self) -> Iterator[Callable[[EmailMessage], None]]:
        """One connection (and login) for every message sent in the ``with`` block."""
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

            def send(message: EmailMessage) -> None:
                client.send_message(message)

            yield send


def transport_from_config(smtp_url: str, timeout: float = 10.0) -> Transport:
    return SMTPTransport(smtp_url, timeout) if smtp_url else ConsoleTransport()
