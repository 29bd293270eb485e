"""Project planning, testable without a request. Callers commit.

Who may do what:

* **editors** (team members of any role, and the town's admins) change the
  plan and decide on offers;
* **managers** (team owners and town admins) also make sections public and
  bring back earlier versions;
* everyone else sees the sections the team made public, and may offer a
  resource when logged in.

Every change to a section raises its version by one (an atomic ``UPDATE``)
and stores a JSON snapshot of the whole section with author and time
(:class:`~projektfabrik.planning.models.PlanVersion`). Stale saves are
refused: the profile form posts the section's version, list items their own
revision (two people adding tasks at once do not conflict; two people editing
the same task do).

The work is split by use case; this module gathers their public names so
views, exports and ``projektfabrik.api`` have one place to import from:

* ``errors``: Refusals of the planning services.
* ``labels``: The plan's words in the person's language: section, field and choice labels.
* ``visibility``: Which sections of a plan a person may see; who may edit is ``projects.access``.
* ``queries``: Reading a plan's parts: the profile and the lists, in their order.
* ``versions``: Every change makes a version: numbers, snapshots, differences, restoring. Callers commit.
* ``items``: Saving the profile and the list items (work packages, tasks, …). Callers commit.
* ``offers``: Resources people offer to a project, and the team's decision. Callers commit.
* ``finance``: The finance plan's sums: costs, financing, shares, the gap.
* ``overview``: The plan at a glance: completeness, the next step, the schedule, the overview page.
"""

from __future__ import annotations

from projektfabrik.planning.errors import (
    PlanError,
    StaleEdit,
)
from projektfabrik.planning.finance import (
    FinanceSummary,
    finance_summary,
    summarise,
)
from projektfabrik.planning.items import (
    ITEM_KINDS,
    MAX_MONTHS,
    MODEL_OF,
    TEXT_MAX,
    CostItemInput,
    FinancingInput,
    ItemKind,
    ItemName,
    MilestoneInput,
    RequirementInput,
    TaskInput,
    WorkPackageInput,
    add_item,
    delete_item,
    item_values,
    move_item,
    save_profile,
    update_item,
)
from projektfabrik.planning.labels import (
    PROFILE_FIELDS,
    PROFILE_LABELS,
    cost_type_label,
    financing_label,
    kind_label,
    offer_status_label,
    section_label,
    source_label,
    task_status_label,
)
from projektfabrik.planning.offers import (
    OfferInput,
    covered_requirements,
    decide_offer,
    find_offer,
    offer_resource,
    offers,
    offers_by,
)
from projektfabrik.planning.overview import (
    Completeness,
    MilestoneRow,
    PlanView,
    Schedule,
    ScheduleRow,
    Step,
    build_schedule,
    completeness,
    plan_view,
)
from projektfabrik.planning.queries import (
    cost_items,
    financing_lines,
    find_item,
    item_project,
    milestones,
    profile,
    requirements,
    tasks,
    work_packages,
)
from projektfabrik.planning.versions import (
    LIST_NAMES,
    Change,
    changes,
    get_version,
    restore,
    section_version,
    set_public,
    snapshot,
    stale_section,
    versions,
)
from projektfabrik.planning.visibility import (
    can_view,
    public_sections,
    section_states,
    visible_sections,
)

__all__ = [
    "Change",
    "Completeness",
    "CostItemInput",
    "FinanceSummary",
    "FinancingInput",
    "ITEM_KINDS",
    "ItemKind",
    "ItemName",
    "LIST_NAMES",
    "MAX_MONTHS",
    "MODEL_OF",
    "MilestoneInput",
    "MilestoneRow",
    "OfferInput",
    "PROFILE_FIELDS",
    "PROFILE_LABELS",
    "PlanError",
    "PlanView",
    "RequirementInput",
    "Schedule",
    "ScheduleRow",
    "StaleEdit",
    "Step",
    "TEXT_MAX",
    "TaskInput",
    "WorkPackageInput",
    "add_item",
    "build_schedule",
    "can_view",
    "changes",
    "completeness",
    "cost_items",
    "cost_type_label",
    "covered_requirements",
    "decide_offer",
    "delete_item",
    "finance_summary",
    "financing_label",
    "financing_lines",
    "find_item",
    "find_offer",
    "get_version",
    "item_project",
    "item_values",
    "kind_label",
    "milestones",
    "move_item",
    "offer_resource",
    "offer_status_label",
    "offers",
    "offers_by",
    "plan_view",
    "profile",
    "public_sections",
    "requirements",
    "restore",
    "save_profile",
    "section_label",
    "section_states",
    "section_version",
    "set_public",
    "snapshot",
    "source_label",
    "stale_section",
    "summarise",
    "task_status_label",
    "tasks",
    "update_item",
    "versions",
    "visible_sections",
    "work_packages",
]
