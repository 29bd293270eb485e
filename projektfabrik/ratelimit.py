"""Rate-limit keys that carry the town, so one town's traffic never counts for another."""

from __future__ import annotations

from flask_limiter.util import get_remote_address

from projektfabrik.tenancy.context import current_tenant_id_or_none


def rate_limit_key() -> str:
    return f"t{current_tenant_id_or_none() or '-'}:{get_remote_address()}"
