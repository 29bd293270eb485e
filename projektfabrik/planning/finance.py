"""The finance plan's sums: costs, financing, shares, the gap."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from projektfabrik import workercache
from projektfabrik.extensions import db
from projektfabrik.planning.models import (
    CostItem,
    CostType,
    FinancingKind,
    FinancingLine,
    Requirement,
    Source,
)
from projektfabrik.planning.money import share_basis_points
from projektfabrik.projects.models import Project


@dataclass(frozen=True)
class FinanceSummary:
    """The finance plan's figures, all in integer cents.

    * costs: the resource plan's requirements (except those given in kind)
      plus the manual cost items, by cost type;
    * financing: the financing lines by kind;
    * ``balance`` = financing − costs (0 when the plan is balanced);
    * ``own_share_bp``: own funds / total costs in hundredths of a percent,
      rounded half up (``None`` while there are no costs).

    ``in_kind_cents`` is the value of what is given in kind: shown, not counted.
    """

    costs_by_type: Mapping[CostType, int]
    resource_costs: int
    manual_costs: int
    total_costs: int
    in_kind_cents: int
    costs_by_source: Mapping[Source, int]
    financing_by_kind: Mapping[FinancingKind, int]
    total_financing: int
    balance: int
    own_share_bp: int | None
    requested_funding: int
    notes: tuple[str, ...] = field(default=())

    @property
    def balanced(self) -> bool:
        return self.balance == 0


def summarise(
    requirement_costs: Iterable[tuple[CostType, Source, int]],
    manual_costs: Iterable[tuple[CostType, int]],
    financing: Iterable[tuple[FinancingKind, int]],
) -> FinanceSummary:
    """The arithmetic of the finance plan on plain values (see :class:`FinanceSummary`)."""
    by_type = dict.fromkeys(CostType, 0)
    by_source = dict.fromkeys(Source, 0)
    resource_total = in_kind = manual_total = 0
    for cost_type, source, cents in requirement_costs:
        by_source[Source(source)] += cents
        if Source(source) == Source.IN_KIND:
            in_kind += cents
            continue
        by_type[CostType(cost_type)] += cents
        resource_total += cents
    for cost_type, cents in manual_costs:
        by_type[CostType(cost_type)] += cents
        manual_total += cents
    by_kind = dict.fromkeys(FinancingKind, 0)
    for kind, cents in financing:
        by_kind[FinancingKind(kind)] += cents
    total_costs = resource_total + manual_total
    total_financing = sum(by_kind.values())
    return FinanceSummary(
        costs_by_type=by_type,
        resource_costs=resource_total,
        manual_costs=manual_total,
        total_costs=total_costs,
        in_kind_cents=in_kind,
        costs_by_source=by_source,
        financing_by_kind=by_kind,
        total_financing=total_financing,
        balance=total_financing - total_costs,
        own_share_bp=share_basis_points(by_kind[FinancingKind.OWN_FUNDS], total_costs),
        requested_funding=by_kind[FinancingKind.REQUESTED_FUNDING],
    )


def finance_summary(project: Project) -> FinanceSummary:
    """The project's finance plan in figures (public API: the funding module reads
    ``requested_funding`` and ``total_costs`` from here).

    Kept per project version (three statements otherwise)."""
    return workercache.town_result(
        "planning.finance", build=lambda: _read_summary(project), scope=project
    )


def _read_summary(project: Project) -> FinanceSummary:
    reqs = db.session.execute(
        select(Requirement.cost_type, Requirement.source, Requirement.cost_cents).where(
            Requirement.project_id == project.id
        )
    ).all()
    manual = db.session.execute(
        select(CostItem.cost_type, CostItem.amount_cents).where(CostItem.project_id == project.id)
    ).all()
    lines = db.session.execute(
        select(FinancingLine.kind, FinancingLine.amount_cents).where(
            FinancingLine.project_id == project.id
        )
    ).all()
    return summarise(
        [tuple(r) for r in reqs],  # type: ignore[misc]
        [tuple(m) for m in manual],  # type: ignore[misc]
        [tuple(f) for f in lines],  # type: ignore[misc]
    )
