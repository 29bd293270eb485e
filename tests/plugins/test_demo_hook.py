"""``projektfabrik demo``: each plugin seeds its own demo content through ``pf_demo``,
only in the towns that have it on, and a second run adds nothing."""

from __future__ import annotations

import re
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
    # Other plugins of the repository may be on in Musterstadt too (businessplan, …).
    seeded = re.search(r"Musterstadt: demo content of the plugins (.+) is in place", first)
    assert seeded is not None and {"funding", "pinnwand"} <= set(seeded.group(1).split(", "))
    expected = (
        ["Regionaltopf Musterkreis", "Bürgerbudget"],
        [("Willkommen an der Pinnwand!", True)],
    )
    assert _content(app, "musterstadt") == expected
    # Beispielhausen has funding on (its teams apply to Musterstadt's regional pot),
    # the pin board off: the pin board's demo hook is not called there.
    assert _content(app, "beispielhausen") == (["Bürgerbudget"], [])
    _demo(app)
    assert _content(app, "musterstadt") == expected
