"""Encryption at rest for plugin settings declared secret (an API key, a code).

A town admin's secret value is stored in ``tenant_plugin.settings`` as
``{"encrypted": "<Fernet token>"}`` instead of the plain value, so a database
dump or backup does not give it away. Values stored before encryption existed
are plain JSON values and are still read; :func:`is_encrypted` tells them apart
and the next save encrypts them.

The key is derived from the app's ``SECRET_KEY``: operators configure nothing
new, and the deployment already keeps that key identical on every machine.
Changing ``SECRET_KEY`` makes stored secrets unreadable; the admin enters them
again. Secrets in a town's ``tenant.toml`` (``tenant_plugin.defaults``) are the
operator's file, plain by nature, and are not touched here.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from flask import current_app

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

# cryptography is imported where a secret is opened or sealed: about 7 MB in a
# worker that may never need it (docs/benchmarks.md, "Worker memory").

#: The one key of the marker object that holds a token in the JSON column.
MARKER = "encrypted"

# Fixed, so the same SECRET_KEY always derives the same keys; it also keeps these
# keys apart from anything else that might ever be derived from SECRET_KEY.
_SALT = b"projektfabrik plugin secrets"


class SecretUnreadable(Exception):
    """A stored secret that this app cannot decrypt: ``SECRET_KEY`` changed, or
    the value was copied from another town, plugin or setting."""


def _fernet(tenant_id: int, plugin: str, key: str) -> Fernet:
    # Fernet has no associated data, so the binding goes into the key instead: one
    # key per (town, plugin, setting), derived with HKDF's info. A token copied to
    # another town's row, plugin or setting then fails Fernet's own HMAC check.
    # That is plainer than AESGCM with associated data, which would leave nonces,
    # the token format and its versioning to us; Fernet does all three.
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret = current_app.config["SECRET_KEY"]
    material = secret if isinstance(secret, bytes) else str(secret).encode()
    info = b"\0".join([b"v1", str(tenant_id).encode(), plugin.encode(), key.encode()])
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(material)
    return Fernet(base64.urlsafe_b64encode(derived))


def is_encrypted(stored: Any) -> bool:
    """Whether a stored value is the marker object (anything else is a plain old value)."""
    return isinstance(stored, dict) and set(stored) == {MARKER} and isinstance(stored[MARKER], str)


def encrypt(tenant_id: int, plugin: str, key: str, value: Any) -> dict[str, str]:
    """The marker object to store for ``value`` (any JSON value) of this town's setting."""
    plain = json.dumps(value, ensure_ascii=False).encode()
    return {MARKER: _fernet(tenant_id, plugin, key).encrypt(plain).decode("ascii")}


def decrypt(tenant_id: int, plugin: str, key: str, stored: Any) -> Any:
    """The value behind a stored secret; a plain (not yet encrypted) value as it is.

    Raises :class:`SecretUnreadable` when the token does not open with this
    town's, plugin's and setting's key.
    """
    if not is_encrypted(stored):
        return stored
    from cryptography.fernet import InvalidToken

    try:
        plain = _fernet(tenant_id, plugin, key).decrypt(stored[MARKER].encode("ascii"))
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SecretUnreadable(f"{plugin}.{key}") from exc
    return json.loads(plain)
