"""Absolute links to a town's site, built from its canonical host.

Never from the request's Host header: a link in a mail must point to the town
even when someone sent a forged Host to trigger that mail.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.models import Tenant


def public_url(tenant: Tenant, path: str) -> str:
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    port = current_app.config.get("PUBLIC_PORT") or ""
    netloc = f"{tenant.canonical_host}:{port}" if port else tenant.canonical_host
    return f"{scheme}://{netloc}{path}"


def external_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` for mails: the current town's canonical host, whatever the request said."""
    return public_url(current_tenant(), url_for(endpoint, **values))
