"""Issue #23: the demo gives Musterstadt goals (climate, neighbourhood, education)
with its projects' contributions and a few reported results; running it again
adds nothing twice."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from projektfabrik.app import create_app
from projektfabrik.config import REPO_ROOT
from projektfabrik.demo import seed
from projektfabrik.extensions import db
from projektfabrik.strategy.models import Contribution, Goal, ReportedResult
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import Tenant
from projektfabrik.testing import HostClient


def test_musterstadt_has_goals_contributions_and_results(app_config: dict[str, Any]) -> None:
    app: Flask = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    app.test_client_class = HostClient
    with app.app_context():
        list(seed())
        list(seed())  # again: nothing twice
        town = db.session.scalar(select(Tenant).where(Tenant.slug == "musterstadt"))
        with tenant_context(town):
            titles = set(db.session.scalars(select(Goal.title)))
            contributions = db.session.scalar(select(func.count()).select_from(Contribution))
            results = db.session.scalar(select(func.count()).select_from(ReportedResult))
            confirmed = db.session.scalar(
                select(func.count())
                .select_from(ReportedResult)
                .where(ReportedResult.confirmed_at.is_not(None))
            )
    assert titles == {"Klimaschutz", "Lebendige Nachbarschaft", "Bildung für alle"}
    assert contributions == 6 and results == 5 and 0 < confirmed < results
    client = app.test_client()
    client.base_url = "http://musterstadt.localhost"  # type: ignore[attr-defined]
    page = client.get("/wirkung").get_data(as_text=True)
    assert "Gepflanzte Bäume" in page and "<svg" in page
    assert "Was die Projekte erreicht haben" in client.get("/").get_data(as_text=True)
