"""Security headers and cookie settings applied to every response."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

# No inline script or style anywhere: the town's colours come from a stylesheet
# generated per town (/branding/theme.css), not from a <style> block.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def policy_with_form_action(*origins: str) -> str:
    """The policy with more origins a form may submit to (through its redirects):
    the login page's button to the town's identity provider."""
    return CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", " ".join(["form-action 'self'", *origins])
    )


#: Set on every response that does not set its own (a page may widen the policy).
_DEFAULT_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
_HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _add_headers(response: Response) -> Response:
    # One look at the headers there are, then appends: Werkzeug's setdefault
    # searches the list and raises a KeyError for each absent name (15 µs
    # against 4 µs, about 3 % of a page served from the page cache).
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    wanted = (*_DEFAULT_HEADERS, _HSTS) if request.is_secure else _DEFAULT_HEADERS
    for name, value in wanted:
        if name.lower() not in present:
            headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    secure = app.config["PREFERRED_URL_SCHEME"] == "https"
    # Flask's own defaults exist for these keys, so set them, not setdefault.
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_SECURE", secure)
    app.after_request(_add_headers)
