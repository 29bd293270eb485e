"""Which plugins a town may use, which it has switched on, and their settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped


class TenantPlugin(TenantScoped, Model):
    """One plugin in one town.

    ``allowed`` mirrors the town's ``tenant.toml`` (the operator's list);
    ``enabled`` is the switch the town's admin (or the operator) sets. A plugin
    runs for a town only when it is installed, allowed and enabled. Switching
    off keeps this row and every row the plugin wrote, so switching on again
    brings everything back.
    """

    __tablename__ = "tenant_plugin"
    __table_args__ = (UniqueConstraint("tenant_id", "plugin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plugin: Mapped[str] = mapped_column(String(40))
    allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Defaults for this town from tenant.toml, over the plugin's own defaults.
    defaults: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the town's admin saved, over both.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<TenantPlugin {self.plugin} allowed={self.allowed} enabled={self.enabled}>"
