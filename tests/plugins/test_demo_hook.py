"""``projektfabrik demo``: each plugin seeds its own demo content through ``pf_demo``,
only in the towns that have it on, and a second run adds nothing."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from flask.cli import ScriptInfo
from projektfabrik_funding.models import Pot
from projektfabrik_pinnwand.models import Note
from sqlalchemy import select

from projektfabrik.app import create_app
from projektfabrik.cli import main
from projektfabrik.config import REPO_ROOT
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import Tenant


def _demo(app: Any) -> str:
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    return result.output


def _content(app: Any, slug: str) -> tuple[list[str], list[tuple[str, bool]]]:
    with app.app_context():
        town = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_context(town):
            pots = [p.name for p in db.session.scalars(select(Pot))]
            notes = [(n.text[:27], n.pinned) for n in db.session.scalars(select(Note))]
    return pots, notes


def test_each_enabled_plugin_seeds_its_demo_once(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    first = _demo(app)
    assert (
        "Musterstadt: demo content of the plugins funding, pinnwand, workshops is in place" in first
    )
    expected = (["Bürgerbudget"], [("Willkommen an der Pinnwand!", True)])
    assert _content(app, "musterstadt") == expected
    # Beispielhausen has neither plugin on: their demo hooks are not called there.
    assert _content(app, "beispielhausen") == ([], [])
    _demo(app)
    assert _content(app, "musterstadt") == expected
