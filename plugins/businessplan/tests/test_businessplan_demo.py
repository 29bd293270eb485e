"""``projektfabrik demo`` gives Musterstadt's repair café a finished business plan, once."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from flask.cli import ScriptInfo
from projektfabrik_businessplan import services
from projektfabrik_businessplan.models import BusinessPlan
from sqlalchemy import func, select

from projektfabrik.app import create_app
from projektfabrik.cli import main
from projektfabrik.config import REPO_ROOT
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import Tenant


def test_the_demo_seeds_one_finished_plan_in_musterstadt(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    for _ in range(2):  # a second run adds nothing
        result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
        assert result.exit_code == 0, result.output
    with app.test_request_context(), app.app_context():
        town = db.session.scalar(select(Tenant).where(Tenant.slug == "musterstadt"))
        with tenant_context(town):
            assert db.session.scalar(select(func.count()).select_from(BusinessPlan)) == 1
            project = db.session.scalar(
                select(Project).where(Project.title == "Reparaturcafé Neustadt")
            )
            plan = services.find(project)
            assert plan is not None and plan.numbers["products"]
            assert all(v.text for v in services.sections(plan, project))
            result_ = services.compute(plan, project)
            assert result_.warnings == ()
            assert result_.capital.gap == 0
