"""Funding pots, applications, their audit trail, juror assignments and ratings.

Every table is tenant-scoped; money is integer cents; URLs use a random
``ref`` per row (never a row id).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.api import Event, Model, TenantScoped, User, UTCDateTime, ref_column, utcnow
from projektfabrik.api import enum_type as _enum


class PotState(enum.StrEnum):
    INACTIVE = "inactive"
    ACTIVE = "active"
    FINISHED = "finished"


class Body(enum.StrEnum):
    """Who decides on the pot's applications (see README: "committee")."""

    ADMIN = "admin"
    JURY = "jury"
    COMMITTEE = "committee"


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    FORMAL_CHECK = "formal_check"
    INFO_REQUESTED = "info_requested"
    RATING = "rating"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"
    PROOF_SUBMITTED = "proof_submitted"
    PROOF_CHECKED = "proof_checked"
    CLOSED = "closed"
    RECLAIMED = "reclaimed"


#: States whose approved amount counts against the pot's budget.
COMMITTED_STATES = (
    State.APPROVED,
    State.PAID,
    State.PROOF_SUBMITTED,
    State.PROOF_CHECKED,
    State.CLOSED,
)


class Pot(TenantScoped, Model):
    """A funding pot (Fördertopf)."""

    __tablename__ = "funding_pot"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    sponsor: Mapped[str] = mapped_column(String(200), default="")
    budget_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    min_grant_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    max_grant_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Minimum own contribution in hundredths of a percent (1000 = 10 %).
    min_own_share_bp: Mapped[int] = mapped_column(Integer, default=0)
    #: Cost types (planning's CostType values) the pot pays for; empty = all.
    eligible_cost_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    criteria: Mapped[str] = mapped_column(Text, default="")
    #: [{"question": str, "help": str, "max_length": int}, ...]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    body: Mapped[Body] = mapped_column(_enum(Body), default=Body.ADMIN)
    jurors_per_application: Mapped[int] = mapped_column(Integer, default=2)
    #: Jury ratings that must be in before a decision on a jury pot; 0: every assigned juror's.
    ratings_required: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: [{"name": str, "weight": int}, ...]
    jury_criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    rating_ends_on: Mapped[date | None] = mapped_column(Date)
    #: Names of the attachments every applicant must name (see README: not uploaded yet).
    required_attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[PotState] = mapped_column(_enum(PotState), default=PotState.INACTIVE)
    show_funded: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Open to the region: teams of the other towns taking part may apply (regional.py).
    regional: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Juror(TenantScoped, Model):
    """A town user the admin assigned to rate a pot's applications."""

    __tablename__ = "funding_juror"
    __table_args__ = (UniqueConstraint("pot_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("funding_pot.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship()


class Application(TenantScoped, Model):
    """A funding application (Förderantrag) of one project to one pot."""

    __tablename__ = "funding_application"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    pot_id: Mapped[int] = mapped_column(ForeignKey("funding_pot.id", ondelete="CASCADE"))
    #: ``None`` for an application from another town of the region (no project here).
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), nullable=True
    )
    #: For a regional application: the applying town's name, id and its own ref of the
    #: application (the outcome is sent back there); empty for the town's own projects.
    regional_town: Mapped[str] = mapped_column(String(200), default="", server_default="")
    regional_town_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenant.id", ondelete="SET NULL")
    )
    regional_ref: Mapped[str] = mapped_column(String(24), default="", server_default="")
    state: Mapped[State] = mapped_column(_enum(State), default=State.DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    requested_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # applicant
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    legal_form: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    signatory: Mapped[str] = mapped_column(String(200), default="")
    iban: Mapped[str] = mapped_column(String(34), default="")
    #: {"0": "answer to question 0", ...}
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: Names of required attachments the team says it has attached.
    attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    declarations: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The frozen application at the last submission (plan, finance, applicant, answers).
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    #: The snapshots of earlier submissions, oldest first (kept when the team resubmits).
    earlier_snapshots: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    info_request: Mapped[str] = mapped_column(Text, default="")
    approved_cents: Mapped[int | None] = mapped_column(BigInteger)
    conditions: Mapped[str] = mapped_column(Text, default="")
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_cents: Mapped[int | None] = mapped_column(BigInteger)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proof_report: Mapped[str] = mapped_column(Text, default="")
    proof_participants: Mapped[int | None] = mapped_column(Integer)
    #: Actual figures in the finance plan's structure: {"costs": {type: cents}, "financing": {kind: cents}}
    proof_actuals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reclaimed_cents: Mapped[int | None] = mapped_column(BigInteger)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pot: Mapped[Pot] = relationship()
    #: The marketplace's project, named by its mapped class name (not imported from the core).
    project: Mapped[Any] = relationship("Project")


class AuditEntry(TenantScoped, Model):
    """One state change of an application: who, when, from what to what."""

    __tablename__ = "funding_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("funding_application.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class Rating(TenantScoped, Model):
    """A juror assigned to one application, and their scores (0–10 per criterion)."""

    __tablename__ = "funding_rating"
    __table_args__ = (UniqueConstraint("application_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("funding_application.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: {"criterion name": score}
    scores: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    #: None while the juror is assigned but has not rated yet.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    juror: Mapped[User] = relationship()


class DocumentKind(enum.StrEnum):
    ATTACHMENT = "attachment"  # one of the pot's required attachments
    RECEIPT = "receipt"  # a receipt for the proof of use
    ANSWER = "answer"  # sent with the team's answer to the town's request for information


class Document(TenantScoped, Model):
    """A file uploaded to an application; stored under the town's uploads folder."""

    __tablename__ = "funding_document"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    application_id: Mapped[int] = mapped_column(
        ForeignKey("funding_application.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind))
    #: For attachments: the name of the required attachment it is.
    label: Mapped[str] = mapped_column(String(200), default="")
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NeighbourPot(TenantScoped, Model):
    """A read-only copy of another town's pot that is open to the region, as that town
    sent it ("funding.pot" messages, regional.py). Never edited here."""

    __tablename__ = "funding_neighbour_pot"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ref"),
        UniqueConstraint("tenant_id", "from_town_id", "pot_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    from_town_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    from_town: Mapped[str] = mapped_column(String(200))
    #: The pot's ref in its own town (the application names it).
    pot_ref: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    sponsor: Mapped[str] = mapped_column(String(200), default="")
    budget_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    min_grant_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    max_grant_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    criteria: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: The pot's public page on its own town's site.
    url: Mapped[str] = mapped_column(String(500), default="")
    #: Open to the region and active, as last heard; a closed copy is not shown.
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    #: When the owning town sent this state (an older message never overwrites a newer one).
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RegionalApplication(TenantScoped, Model):
    """This town's record of an application one of its projects sent to a neighbour's
    pot: the frozen snapshot as sent, the message's ref, and the outcome sent back."""

    __tablename__ = "funding_regional_application"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    neighbour_pot_id: Mapped[int] = mapped_column(
        ForeignKey("funding_neighbour_pot.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message_ref: Mapped[str] = mapped_column(String(24), default="")
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: "" until the owning town decides; then "approved" or "rejected".
    outcome: Mapped[str] = mapped_column(String(10), default="")
    approved_cents: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    pot: Mapped[NeighbourPot] = relationship()


@dataclass(frozen=True)
class ApplicationSubmitted(Event):
    application_ref: str
    pot_ref: str
    project_ref: str
    resubmission: bool


@dataclass(frozen=True)
class ApplicationDecided(Event):
    application_ref: str
    pot_ref: str
    approved: bool
    amount_cents: int
