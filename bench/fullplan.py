"""A full plan for one project: what the plan benchmarks measure.

12 work packages, 80 tasks, 20 milestones, 60 resource requirements, 25
further costs and 8 financing lines, every profile field a paragraph long.
``pubtools_sheet.py`` and ``profile_pages.py`` build it with this function.
Call inside the town's context and a request context; the caller commits.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


def fill_plan(project: Any, owner: Any) -> None:
    from projektfabrik.extensions import db
    from projektfabrik.planning import services as planning
    from projektfabrik.planning.models import (
        CostItem,
        CostType,
        FinancingKind,
        FinancingLine,
        Milestone,
        Requirement,
        ResourceKind,
        Source,
        Task,
        WorkPackage,
    )

    text = "Ein ganzer Absatz über das Vorhaben, wie ihn Teams tatsächlich schreiben. " * 8
    planning.save_profile(project, owner, {name: text for name in planning.PROFILE_FIELDS}, 0)
    start = date(2027, 1, 1)
    packages = [
        planning.add_item(
            project, owner, WorkPackage, planning.WorkPackageInput(f"Paket {i}", text[:200])
        )
        for i in range(12)
    ]
    db.session.flush()
    for i in range(80):
        planning.add_item(
            project,
            owner,
            Task,
            planning.TaskInput(
                f"Aufgabe {i}: etwas Bestimmtes erledigen",
                work_package=packages[i % 12].ref,
                start=start + timedelta(days=i),
                end=start + timedelta(days=i + 14),
            ),
        )
    for i in range(20):
        planning.add_item(
            project,
            owner,
            Milestone,
            planning.MilestoneInput(f"Meilenstein {i}", start + timedelta(days=30 * i)),
        )
    for i in range(60):
        planning.add_item(
            project,
            owner,
            Requirement,
            planning.RequirementInput(
                f"Bedarf {i}",
                ResourceKind.MATERIAL,
                CostType.MATERIAL,
                Source.FUNDING,
                quantity=i + 1,
                unit="Stück",
                cost_cents=1000 * (i + 1),
            ),
        )
    for i in range(25):
        planning.add_item(
            project,
            owner,
            CostItem,
            planning.CostItemInput(f"Kosten {i}", CostType.RENT, 5000 * (i + 1)),
        )
    for i in range(8):
        planning.add_item(
            project,
            owner,
            FinancingLine,
            planning.FinancingInput(FinancingKind.OWN_FUNDS, 10_000 * (i + 1), f"Quelle {i}"),
        )
