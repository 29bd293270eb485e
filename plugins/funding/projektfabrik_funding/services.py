"""What the funding module does, without HTTP. Callers commit.

Every change of an application's state goes through :func:`transition`: it
checks that the change is allowed from that state for that role and writes
the audit row. Approval (:func:`approve`) additionally holds the pot's row
lock while it recomputes the committed sum, so the approved amounts never
exceed the budget.

The work is split by use case; this module gathers their public names so
views, templates and tests have one place to import from:

* ``errors``: the refusals (``FundingError``, ``OverBudget``).
* ``labels``: states, bodies, legal forms and plan lines in the person's language.
* ``iban``: normalising, checking and masking an IBAN.
* ``access``: finding applications; who is team, admin or juror; who may see what.
* ``pots``: pots, their open period, jurors, money figures and the budget lock.
* ``workflow``: the declared states and steps, their guards (the pot's rules for deciding),
  ``transition``, the audit trail and what the person is told after each step.
* ``notifications``: telling the team and the town's admins.
* ``applications``: the draft, its problems, submission, the snapshot, asking back and
  the team's answer.
* ``rating``: the jury's part.
* ``decisions``: approving and rejecting.
* ``payouts``: payout (and the full IBAN for its clerk), proof of use, closing, reclaiming.
* ``status``: the project's public status following its funding.
* ``exports``: CSV and XLSX of a pot's applications.
* ``documents``: uploaded attachments and receipts.
* ``deletion``: what a person's account deletion keeps and deletes.
"""

from __future__ import annotations

from projektfabrik_funding.access import (
    ADMIN,
    TEAM,
    applications,
    find_application,
    is_admin,
    is_team,
    may_see_ratings,
    may_view,
    project_of,
    rating_of,
    roles_of,
)
from projektfabrik_funding.applications import (
    answer_info_request,
    freeze,
    problems,
    request_info,
    start,
    submit,
)
from projektfabrik_funding.decisions import approve, reject
from projektfabrik_funding.deletion import account_deletion, started_by
from projektfabrik_funding.documents import (
    DOCUMENT_KINDS,
    UPLOAD_AREA,
    add_document,
    check_document,
    documents,
    find_document,
    store_document,
    stored_document,
)
from projektfabrik_funding.errors import FundingError, OverBudget
from projektfabrik_funding.exports import as_csv, as_xlsx, export_columns, export_rows
from projektfabrik_funding.iban import iban_valid, mask_iban, normalise_iban
from projektfabrik_funding.labels import (
    LEGAL_FORMS,
    body_label,
    legal_form_label,
    line_label,
    pot_state_label,
    profile_labels,
    state_label,
)
from projektfabrik_funding.notifications import ADMIN_KIND, TEAM_KIND, notify_admins, tell_team
from projektfabrik_funding.payouts import (
    check_proof,
    close,
    impact_label,
    may_see_iban,
    planned_figures,
    proof_impact_fields,
    reclaim,
    record_payout,
    reveal_iban,
    submit_proof,
)
from projektfabrik_funding.pots import (
    PotFigures,
    committed_cents,
    figures,
    find_pot,
    funded_projects,
    is_open,
    jurors,
    lock_pot,
    pots,
    set_jurors,
)
from projektfabrik_funding.rating import (
    juror_applications,
    rate,
    ratings,
    start_rating,
    weighted_score,
)
from projektfabrik_funding.status import (
    FUNDED_STATUSES,
    funded_status,
    mark_applied,
    mark_funded,
    mark_rejected,
)
from projektfabrik_funding.workflow import (
    DONE_MESSAGES,
    WORKFLOW,
    audit,
    done_message,
    may,
    next_steps,
    ratings_needed,
    transition,
)

__all__ = [
    "account_deletion",
    "started_by",
    "answer_info_request",
    "check_document",
    "store_document",
    "may_see_iban",
    "reveal_iban",
    "FUNDED_STATUSES",
    "funded_status",
    "mark_applied",
    "mark_rejected",
    "mark_funded",
    "DONE_MESSAGES",
    "done_message",
    "ratings_needed",
    "ADMIN",
    "ADMIN_KIND",
    "DOCUMENT_KINDS",
    "export_columns",
    "LEGAL_FORMS",
    "TEAM",
    "TEAM_KIND",
    "UPLOAD_AREA",
    "WORKFLOW",
    "FundingError",
    "OverBudget",
    "PotFigures",
    "add_document",
    "applications",
    "approve",
    "as_csv",
    "as_xlsx",
    "audit",
    "body_label",
    "check_proof",
    "close",
    "committed_cents",
    "stored_document",
    "documents",
    "export_rows",
    "figures",
    "find_application",
    "find_document",
    "find_pot",
    "freeze",
    "funded_projects",
    "iban_valid",
    "is_admin",
    "is_open",
    "is_team",
    "juror_applications",
    "jurors",
    "legal_form_label",
    "line_label",
    "lock_pot",
    "mask_iban",
    "may",
    "may_see_ratings",
    "may_view",
    "next_steps",
    "normalise_iban",
    "notify_admins",
    "planned_figures",
    "pot_state_label",
    "pots",
    "problems",
    "profile_labels",
    "project_of",
    "rate",
    "rating_of",
    "ratings",
    "reclaim",
    "record_payout",
    "reject",
    "request_info",
    "roles_of",
    "set_jurors",
    "start",
    "start_rating",
    "state_label",
    "submit",
    "submit_proof",
    "proof_impact_fields",
    "impact_label",
    "tell_team",
    "transition",
    "weighted_score",
]
