"""Short codes on the sheets and the QR codes that carry them.

A code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L),
printed as ``ABCD-EFGH``: legible in a pub, easy to read out and to type.

- A prefilled sheet's code is random and stored (``PrintedSheet``), so it is
  looked up through the tenant wall: on another town's host it names nothing.
- A blank sheet's code is the town's own "new idea" code. It is derived from
  the app's secret and the town's slug (HMAC), so printing blank sheets, which
  anyone may do, writes nothing, another town's host does not know it, and
  cards printed before the town moved (tenant export and import, same secret)
  still work.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import segno
from flask import current_app
from markupsafe import Markup

from projektfabrik.api import current_tenant, external_url_for

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str:
    """What people type: any case, with spaces or dashes."""
    return "".join(c for c in (raw or "").upper() if c.isalnum())[:32]


def well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def blank_code() -> str:
    """The current town's code for blank sheets and postcards (leads to "new idea")."""
    town = current_tenant()
    key = str(current_app.config["SECRET_KEY"]).encode()
    # The slug, not the database id: printed cards must keep working when the town
    # is exported and imported (it gets new ids; the slug and the secret stay).
    digest = hmac.new(key, f"pubtools-blank:{town.slug}".encode(), hashlib.sha256)
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest.digest()[:LENGTH])


def is_blank_code(code: str) -> bool:
    return hmac.compare_digest(code, blank_code())


def code_url(code: str) -> str:
    """The absolute address a code opens, on the town's canonical host."""
    return external_url_for("pubtools.open_code", code=code)


def join_url(join_code: str) -> str:
    """The team's join page with its join code filled in, on the town's canonical host."""
    return external_url_for("teams.join_by_code", code=join_code)


def qr_svg(url: str, label: str) -> Markup:
    """An inline SVG QR code (no data: URL: the PDF renderer fetches none), labelled
    for screen readers and the PDF's structure tree."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", title=label, omitsize=True)
    # role and label so that the picture has a text alternative in HTML and in the PDF
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" ', 1))
