"""Staff sign-in with the town's own identity provider (OpenID Connect).

Authorization code flow with PKCE (S256), a ``state`` against forged
callbacks and a ``nonce`` against replayed ID tokens. Everything is per town:

- the provider, client id and secret are the town's (``SignInSettings``, set
  by the operator with ``projektfabrik tenant sso``; the secret is stored
  encrypted with a key derived for this town);
- state, nonce and the PKCE verifier live in the town's session (which is
  cleared on any other town's host) and name the town; the callback refuses
  them anywhere else;
- the ID token must name this town's provider as issuer and this town's
  client id as audience, so a token another town's client was given is refused.

The first sign-in links to an existing account with the same address only
after the person proves that account is theirs (its password or a link by
mail: :func:`link`); otherwise it creates a confirmed staff account.
Roles come from the group claim at every sign-in (:func:`apply_claims`).

Functions change the session and never commit. Network errors become
:class:`ProviderUnavailable`; everything the provider or the browser sends
that does not check out becomes :class:`SignInRefused`.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from projektfabrik.accounts.models import Kind, Role, SignInSettings, SsoIdentity, User
from projektfabrik.accounts.secondfactor import settings
from projektfabrik.accounts.services import find_by_email, send_templated_mail
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.plugins import secrets as encrypted
from projektfabrik.refusal import Refusal
from projektfabrik.tenancy.context import current_tenant

if TYPE_CHECKING:
    from authlib.integrations.requests_client import OAuth2Session

# The HTTP and token libraries (requests, Authlib, joserfc and the cryptography
# under them) are imported by the functions that talk to the provider: together
# about 17 MB in every worker, for a sign-in few requests ever start
# (docs/benchmarks.md, "Worker memory").

log = logging.getLogger(__name__)

#: Seconds to wait for the provider before telling the person it is not reachable.
TIMEOUT = 5
#: A sign-in started longer ago than this is refused at the callback.
PENDING_MAX_AGE = 10 * 60
#: Clock difference tolerated in the ID token's times.
LEEWAY = 60
_SECRET_PURPOSE = "core-sso"
_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]


class ProviderUnavailable(Refusal):
    """The provider did not answer (or answered nonsense)."""


class SignInRefused(Refusal):
    """The callback, the token or the person does not check out."""


@dataclass(frozen=True)
class Claims:
    """What the platform takes from the provider (kept in the session while a
    link waits for confirmation, so only plain values)."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str
    groups: tuple[str, ...]
    organisation: str
    staff: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "subject": self.subject,
            "email": self.email,
            "email_verified": self.email_verified,
            "name": self.name,
            "groups": list(self.groups),
            "organisation": self.organisation,
            "staff": self.staff,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claims:
        return cls(
            issuer=str(data["issuer"]),
            subject=str(data["subject"]),
            email=str(data["email"]),
            email_verified=bool(data["email_verified"]),
            name=str(data["name"]),
            groups=tuple(str(g) for g in data["groups"]),
            organisation=str(data["organisation"]),
            staff=bool(data["staff"]),
        )


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


# --- configuration (the operator's) -------------------------------------------------


def provider() -> SignInSettings | None:
    """The town's provider when SSO is configured and switched on, else ``None``."""
    row = settings()
    if row is None or not row.sso_enabled or not row.sso_issuer or not row.sso_client_id:
        return None
    return row


def encrypt_secret(tenant_id: int, secret: str) -> str:
    return encrypted.encrypt(tenant_id, _SECRET_PURPOSE, "client_secret", secret)[encrypted.MARKER]


def client_secret(row: SignInSettings) -> str:
    if not row.sso_client_secret:
        return ""
    value = encrypted.decrypt(
        row.tenant_id, _SECRET_PURPOSE, "client_secret", {encrypted.MARKER: row.sso_client_secret}
    )
    return str(value)


def _readable_secret(row: SignInSettings) -> str | None:
    try:
        return client_secret(row) or None
    except encrypted.SecretUnreadable as exc:
        # SECRET_KEY changed or the town moved: the operator sets it again.
        log.error("the SSO client secret of town %s cannot be decrypted", row.tenant_id)
        raise ProviderUnavailable(_unavailable()) from exc


@dataclass(frozen=True)
class Configuration:
    issuer: str
    client_id: str
    client_secret: str | None = None  # None: keep the stored one
    staff_domains: str = ""
    staff_claim: str = ""
    group_claim: str = "groups"
    admin_groups: str = ""
    moderator_groups: str = ""
    organisation_claim: str = ""
    provider_mfa: bool = False
    trust_email: bool = False
    enabled: bool = True


def configure(config: Configuration) -> SignInSettings:
    """Set the current town's provider (operator code: the CLI)."""
    from projektfabrik.accounts.secondfactor import settings_for_update

    issuer = config.issuer.strip().rstrip("/")
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise Refusal("The issuer must be an https:// address.", "issuer")
    if config.staff_claim and "=" not in config.staff_claim:
        raise Refusal("The staff claim is written claim=value, e.g. groups=staff.", "staff_claim")
    row = settings_for_update()
    row.sso_enabled = config.enabled
    row.sso_issuer = issuer
    row.sso_client_id = config.client_id.strip()
    if config.client_secret is not None:
        row.sso_client_secret = encrypt_secret(current_tenant().id, config.client_secret)
    row.sso_staff_domains = ",".join(d.lower().lstrip("@") for d in _list(config.staff_domains))
    row.sso_staff_claim = config.staff_claim.strip()
    row.sso_group_claim = config.group_claim.strip() or "groups"
    row.sso_admin_groups = ",".join(_list(config.admin_groups))
    row.sso_moderator_groups = ",".join(_list(config.moderator_groups))
    row.sso_organisation_claim = config.organisation_claim.strip()
    row.sso_provider_mfa = config.provider_mfa
    row.sso_trust_email = config.trust_email
    return row


# --- talking to the provider ----------------------------------------------------------


def _get_json(url: str, **kwargs: Any) -> dict[str, Any]:
    import requests

    try:
        response = requests.get(url, timeout=TIMEOUT, **kwargs)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(_unavailable()) from exc
    if not isinstance(data, dict):
        raise ProviderUnavailable(_unavailable())
    return data


def _unavailable() -> str:
    return _(
        "The town's sign-in service cannot be reached at the moment. Please try again "
        "later. If you have a password for this site, you can log in with it."
    )


def discover(row: SignInSettings) -> dict[str, Any]:
    """The provider's metadata (OpenID Connect Discovery), checked against its issuer."""
    data = _get_json(f"{row.sso_issuer}/.well-known/openid-configuration")
    if str(data.get("issuer", "")).rstrip("/") != row.sso_issuer:
        raise ProviderUnavailable(_unavailable())
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(data.get(key), str):
            raise ProviderUnavailable(_unavailable())
    return data


def _client(row: SignInSettings, redirect_uri: str) -> OAuth2Session:
    from authlib.integrations.requests_client import OAuth2Session

    return OAuth2Session(
        client_id=row.sso_client_id,
        client_secret=_readable_secret(row),
        scope="openid email profile",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def begin(row: SignInSettings, redirect_uri: str, next_url: str) -> tuple[str, dict[str, Any]]:
    """The provider's address to send the person to, and what the session keeps
    until the callback (state, nonce, PKCE verifier, the town)."""
    metadata = discover(row)
    state = secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    url, _state = _client(row, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
    )
    pending = {
        "tenant": current_tenant().id,
        "issuer": row.sso_issuer,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "started": int(time.time()),
        "next": next_url,
    }
    return url, pending


def _refused() -> SignInRefused:
    return SignInRefused(
        _("The sign-in with the town's service did not work. Please start it again.")
    )


def finish(
    row: SignInSettings, pending: dict[str, Any] | None, args: dict[str, str], redirect_uri: str
) -> Claims:
    """Check the callback and the tokens; return the person's claims."""
    import requests
    from authlib.oauth2 import OAuth2Error

    if (
        not isinstance(pending, dict)
        or pending.get("tenant") != current_tenant().id
        or pending.get("issuer") != row.sso_issuer
        or not isinstance(pending.get("started"), int)
        or time.time() - pending["started"] > PENDING_MAX_AGE
    ):
        raise _refused()
    if not hmac.compare_digest(str(args.get("state", "")), str(pending.get("state", ""))):
        raise _refused()
    if args.get("error") or not args.get("code"):
        raise _refused()
    metadata = discover(row)
    try:
        token = _client(row, redirect_uri).fetch_token(
            metadata["token_endpoint"],
            code=args["code"],
            code_verifier=pending["verifier"],
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise ProviderUnavailable(_unavailable()) from exc
    except (OAuth2Error, ValueError) as exc:
        raise _refused() from exc
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise _refused()
    claims = _check_id_token(row, metadata, id_token, str(pending["nonce"]))
    if isinstance(metadata.get("userinfo_endpoint"), str) and token.get("access_token"):
        info = _get_json(
            metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        if info.get("sub") != claims.get("sub"):
            raise _refused()
        claims = {**info, **claims}
    return _claims(row, claims)


def _check_id_token(
    row: SignInSettings, metadata: dict[str, Any], id_token: str, nonce: str
) -> dict[str, Any]:
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(_get_json(metadata["jwks_uri"]))  # type: ignore[arg-type]
    try:
        token = jwt.decode(id_token, keys, algorithms=_ALGORITHMS)
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": row.sso_issuer},
            sub={"essential": True},
            aud={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise _refused() from exc
    claims = dict(token.claims)
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    # Meant for this town's client, and (with several audiences) handed to it.
    if row.sso_client_id not in audiences:
        raise _refused()
    if len(audiences) > 1 and claims.get("azp") != row.sso_client_id:
        raise _refused()
    return claims


def _claims(row: SignInSettings, raw: dict[str, Any]) -> Claims:
    email = str(raw.get("email") or "").strip().lower()
    if not email or "@" not in email:
        raise SignInRefused(
            _("The town's sign-in service sent no e-mail address. Please ask your IT department.")
        )
    groups_raw = raw.get(row.sso_group_claim or "groups") or []
    if isinstance(groups_raw, str):
        groups_raw = [groups_raw]
    groups = tuple(str(g) for g in groups_raw if isinstance(g, (str, int)))
    name = str(raw.get("name") or "").strip()
    if not name:
        name = " ".join(str(raw.get(k) or "") for k in ("given_name", "family_name")).strip()
    organisation = ""
    if row.sso_organisation_claim:
        organisation = str(raw.get(row.sso_organisation_claim) or "").strip()[:200]
    return Claims(
        issuer=row.sso_issuer,
        subject=str(raw["sub"]),
        email=email,
        email_verified=raw.get("email_verified") is True or row.sso_trust_email,
        name=name[:100],
        groups=groups,
        organisation=organisation,
        staff=_is_staff(row, email, raw),
    )


def _is_staff(row: SignInSettings, email: str, raw: dict[str, Any]) -> bool:
    domains = _list(row.sso_staff_domains)
    claim, _sep, value = row.sso_staff_claim.partition("=")
    if not domains and not claim:
        return True  # the town's own directory: everyone in it is staff
    if domains and email.rpartition("@")[2] in domains:
        return True
    if claim:
        found = raw.get(claim.strip())
        wanted = value.strip()
        if isinstance(found, list):
            return wanted in [str(item) for item in found]
        return found is not None and str(found) == wanted
    return False


def end_session_url(row: SignInSettings, after: str) -> str | None:
    """Where to send the browser so the provider ends its session too (RP-initiated
    logout), if the provider offers it; ``None`` otherwise or when it is down.

    Without ``id_token_hint``: the ID token holds the person's name and address,
    which do not belong in a URL (browser history, the provider's access log).
    ``client_id`` names the client instead (OpenID Connect RP-Initiated Logout
    1.0); providers may then ask the person to confirm."""
    try:
        endpoint = discover(row).get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not isinstance(endpoint, str):
        return None
    query = urlencode(
        {
            "post_logout_redirect_uri": after,
            "client_id": row.sso_client_id,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


# --- accounts ---------------------------------------------------------------------------


class LinkNeeded(Exception):
    """An account with the provider's (verified) address exists: its owner must
    confirm before it is linked."""

    def __init__(self, user: User) -> None:
        super().__init__(user.ref)
        self.user = user


def _role(row: SignInSettings, groups: tuple[str, ...]) -> Role:
    if set(groups) & set(_list(row.sso_admin_groups)):
        return Role.ADMIN
    if set(groups) & set(_list(row.sso_moderator_groups)):
        return Role.MODERATOR
    return Role.MEMBER


def apply_claims(row: SignInSettings, user: User, claims: Claims) -> None:
    """Roles and staff confirmation from the provider, at every sign-in: someone
    taken out of the admin group is no admin from their next sign-in on."""
    user.role = _role(row, claims.groups)
    user.kind = Kind.ADMINISTRATION
    if user.staff_confirmed_at is None:
        user.staff_confirmed_at = utcnow()
    if claims.organisation:
        user.confirmed_organisation = claims.organisation


def identity_for(claims: Claims) -> SsoIdentity | None:
    return db.session.scalar(
        select(SsoIdentity).where(
            SsoIdentity.issuer == claims.issuer, SsoIdentity.subject == claims.subject
        )
    )


def is_linked(user: User) -> bool:
    return (
        db.session.scalar(select(SsoIdentity.id).where(SsoIdentity.user_id == user.id).limit(1))
        is not None
    )


def sign_in(row: SignInSettings, claims: Claims) -> User:
    """The account for these claims: the linked one, or a new staff account.
    Raises :class:`LinkNeeded` when an existing account must be confirmed first."""
    identity = identity_for(claims)
    if identity is not None:
        user = db.session.get(User, identity.user_id)
        if user is None or not user.is_active:
            raise SignInRefused(_("This account is deleted."))
        if not claims.staff:
            # No longer staff at the town: no rights from the provider any more.
            user.role = Role.MEMBER
            raise _not_staff()
        apply_claims(row, user, claims)
        return user
    if not claims.staff:
        raise _not_staff()
    existing = find_by_email(claims.email)
    if existing is not None:
        if not claims.email_verified or not existing.is_active:
            raise SignInRefused(
                _(
                    "An account of this site already uses your address, and the town's "
                    "sign-in service has not confirmed the address. Please log in with "
                    "your password, or ask your IT department."
                )
            )
        raise LinkNeeded(existing)
    user = User(
        email=claims.email,
        password_hash=None,
        display_name=claims.name or claims.email.partition("@")[0],
        kind=Kind.ADMINISTRATION,
        role=Role.MEMBER,
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(SsoIdentity(user_id=user.id, issuer=claims.issuer, subject=claims.subject))
    apply_claims(row, user, claims)
    return user


def _not_staff() -> SignInRefused:
    return SignInRefused(
        _(
            "Your account at the town's sign-in service is not marked as staff of the "
            "administration, so it cannot be used here. Please log in with your password."
        )
    )


def link(row: SignInSettings, user: User, claims: Claims) -> None:
    """Link a confirmed account to the person at the provider."""
    if identity_for(claims) is not None:
        raise _refused()
    db.session.add(SsoIdentity(user_id=user.id, issuer=claims.issuer, subject=claims.subject))
    apply_claims(row, user, claims)
    # The owner hears of it, so a link they did not make does not go unnoticed.
    send_templated_mail(user, "sso_linked")


def local_login_refused(user: User) -> str | None:
    """Accounts linked to the town's provider sign in there while it is on: a
    password (or a link by mail) would keep roles the provider has taken away."""
    if provider() is None or not is_linked(user):
        return None
    return _(
        "Your account signs in with the town's staff account. Please use the button "
        "“Log in with the town's staff account”."
    )


def configured_lists(row: SignInSettings) -> dict[str, list[str]]:
    """The operator's lists, for the town admin's read-only view."""
    return {
        "staff_domains": _list(row.sso_staff_domains),
        "admin_groups": _list(row.sso_admin_groups),
        "moderator_groups": _list(row.sso_moderator_groups),
    }


def origin(row: SignInSettings) -> str:
    """``scheme://host[:port]`` of the provider (for the login page's policy)."""
    parts = urlsplit(row.sso_issuer)
    return f"{parts.scheme}://{parts.netloc}"
