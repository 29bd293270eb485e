"""A small OpenID Connect provider for the test suite, served on loopback.

It is a real HTTP server (werkzeug) with discovery, JWKS, authorize, token,
userinfo and end-session endpoints, and it signs real ID tokens (RS256,
joserfc). It checks what a real provider checks (registered redirect URIs,
client secret, single-use codes, PKCE S256), and it can misbehave on purpose
so the tests can see the platform refuse: ``tamper`` overrides claims of the
next ID token (another town's audience, a foreign nonce), ``down`` makes every
endpoint answer 503.

The authorize endpoint signs in whoever the test put in ``person`` without a
login page: the tests are about the platform, not about the provider's UI.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Client:
    secret: str
    redirect_uris: set[str]


@dataclass
class OidcTestProvider:
    issuer: str = ""
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-1"})
    )
    clients: dict[str, Client] = field(default_factory=dict)
    #: The claims of whoever signs in next (``sub`` and ``email`` at least).
    person: dict[str, Any] = field(default_factory=dict)
    #: Claims of the next ID token replaced by these (then cleared).
    tamper: dict[str, Any] = field(default_factory=dict)
    down: bool = False
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    logouts: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.clients.clear()
            self.person = {}
            self.tamper = {}
            self.down = False
            self.codes.clear()
            self.tokens.clear()
            self.logouts.clear()

    def register(self, client_id: str, secret: str, redirect_uri: str) -> None:
        self.clients[client_id] = Client(secret=secret, redirect_uris={redirect_uri})

    # --- WSGI --------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if self.down:
            return Response("down for maintenance", status=503)
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/userinfo": self.userinfo,
            "/logout": self.logout,
        }
        handler = routes.get(request.path)
        if handler is None:
            return Response("not found", status=404)
        return handler(request)

    @staticmethod
    def _json(data: Any, status: int = 200) -> Response:
        import json

        return Response(json.dumps(data), status=status, mimetype="application/json")

    def discovery(self, request: Request) -> Response:
        return self._json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "end_session_endpoint": f"{self.issuer}/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def jwks(self, request: Request) -> Response:
        public = self.key.as_dict(private=False)
        public.update({"kid": "test-1", "use": "sig", "alg": "RS256"})
        return self._json({"keys": [public]})

    def authorize(self, request: Request) -> Response:
        args = request.args
        client = self.clients.get(args.get("client_id", ""))
        if client is None or args.get("redirect_uri") not in client.redirect_uris:
            return Response("unknown client or redirect URI", status=400)
        if (
            args.get("response_type") != "code"
            or "openid" not in args.get("scope", "").split()
            or args.get("code_challenge_method") != "S256"
            or not args.get("code_challenge")
        ):
            return Response("bad request", status=400)
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = {
                "client_id": args["client_id"],
                "redirect_uri": args["redirect_uri"],
                "nonce": args.get("nonce"),
                "challenge": args["code_challenge"],
                "person": dict(self.person),
            }
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def _client_auth(self, request: Request) -> tuple[str, str]:
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            raw = base64.b64decode(header[6:]).decode()
            client_id, _sep, secret = raw.partition(":")
            from urllib.parse import unquote

            return unquote(client_id), unquote(secret)
        return request.form.get("client_id", ""), request.form.get("client_secret", "")

    def token(self, request: Request) -> Response:
        client_id, secret = self._client_auth(request)
        client = self.clients.get(client_id)
        if client is None or not secrets.compare_digest(client.secret, secret):
            return self._json({"error": "invalid_client"}, 401)
        with self.lock:
            grant = self.codes.pop(request.form.get("code", ""), None)  # codes work once
        if (
            grant is None
            or grant["client_id"] != client_id
            or grant["redirect_uri"] != request.form.get("redirect_uri")
        ):
            return self._json({"error": "invalid_grant"}, 400)
        verifier = request.form.get("code_verifier", "")
        if not verifier or create_s256_code_challenge(verifier) != grant["challenge"]:
            return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["person"],
        }
        claims.update(self.tamper)
        self.tamper = {}
        id_token = jwt.encode({"alg": "RS256", "kid": "test-1"}, claims, self.key)
        access_token = secrets.token_urlsafe(16)
        with self.lock:
            self.tokens[access_token] = dict(grant["person"])
        return self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )

    def userinfo(self, request: Request) -> Response:
        header = request.headers.get("Authorization", "")
        person = self.tokens.get(header.removeprefix("Bearer ").strip())
        if person is None:
            return self._json({"error": "invalid_token"}, 401)
        return self._json(person)

    def logout(self, request: Request) -> Response:
        self.logouts.append(dict(request.args))
        after = request.args.get("post_logout_redirect_uri")
        if after:
            return Response(status=302, headers={"Location": after})
        return Response("signed out")


def serve() -> Iterator[OidcTestProvider]:
    """Start a provider on a free loopback port; stop it when the generator closes."""
    provider = OidcTestProvider()
    server: BaseWSGIServer = make_server("127.0.0.1", 0, provider, threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(timeout=5)
