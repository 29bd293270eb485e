"""Server-side messages between two towns of one region: a transactional outbox.

:func:`send` adds a :class:`SentMessage` row behind the wall of the sending
town, in the caller's transaction, and returns the message's ``ref``. Only once
that transaction commits is the message delivered (a rollback drops it with
the row): at the end of the request or CLI command, in a fresh app context
(so a fresh database session) that first ends the caller's transaction, which
keeps SQLite from waiting on itself. Delivery then

1. re-reads the row in the sending town and checks that both towns are
   members of the same region, not suspended, and opted in *now*; otherwise
   the row is marked ``refused`` with the reason and nothing crosses;
2. hands the receiver registered for the purpose (:func:`receiver`) a frozen
   :class:`TownMessage` (purpose, the sending town as a :class:`SendingTown`,
   the payload as read-only JSON values) under the *target* town's context,
   never an ORM object of the sender (the sender's session is closed by then);
3. records the ``ref`` in the target town (:class:`ReceivedMessage`, unique per
   sending town and ref), in the receiver's transaction, so a replay stores
   nothing twice; the receiver's work and that row are committed together;
4. marks the sender's row ``delivered`` (or ``refused`` when the receiver
   raised :class:`~projektfabrik.refusal.Refusal`) with the time.

Each step is audited: ``region.message.sent`` and ``…delivered`` /
``…refused`` in the sender's log, ``region.message.received`` in the
target's. A receiver that fails otherwise leaves the message ``pending``;
:func:`deliver_pending` (``projektfabrik region deliver`` and the worker's
loop) tries again, up to :data:`MAX_ATTEMPTS`.

The payload is JSON (checked on :func:`send`): an ORM object cannot be put in
it. What a purpose carries is decided by its sender's code; the receiver
decides what it keeps. docs/architecture.md, "What crosses between towns".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from projektfabrik.audit import services as audit
from projektfabrik.db import UTCDateTime, ref_column, utcnow
from projektfabrik.extensions import Model, db
from projektfabrik.refusal import Refusal
from projektfabrik.regions import readmodel
from projektfabrik.tenancy.context import current_tenant, tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS, TenantScoped
from projektfabrik.tenancy.models import Tenant, TenantState

log = logging.getLogger(__name__)

PENDING, DELIVERED, REFUSED = "pending", "delivered", "refused"
#: After this many failed deliveries (the receiver raised, not refused) the message is refused.
MAX_ATTEMPTS = 10
#: A receiver may send a message itself (an answer); those are delivered too, up to this depth.
MAX_DEPTH = 3

#: Why a message was refused (stored on the sender's row; docs/architecture.md).
NOT_SAME_REGION = "not_same_region"
SUSPENDED = "suspended"
SENDER_NOT_OPTED_IN = "sender_not_opted_in"
TARGET_NOT_OPTED_IN = "target_not_opted_in"
NO_RECEIVER = "no_receiver"
RECEIVER_REFUSED = "receiver_refused"
GAVE_UP = "gave_up"

_PENDING_KEY = "projektfabrik.town_messages.pending"
_READY_KEY = "projektfabrik.town_messages.ready"
_depth: ContextVar[int] = ContextVar("projektfabrik_town_message_depth", default=0)


class SentMessage(TenantScoped, Model):
    """A message the town sent to another town of its region (the sender's outbox)."""

    __tablename__ = "town_message_sent"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(nbytes=12)
    purpose: Mapped[str] = mapped_column(String(63))
    #: Not a foreign key to the target's rows: only the town is named.
    to_town_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    #: One of the reason codes above when refused; the receiver's own words after ": ".
    reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReceivedMessage(TenantScoped, Model):
    """A message this town received: the key that makes a replay store nothing twice."""

    __tablename__ = "town_message_received"
    __table_args__ = (UniqueConstraint("tenant_id", "from_town_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24))
    from_town_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(63))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class SendingTown:
    """The sending town as the receiver sees it: enough to name it and to answer."""

    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class TownMessage:
    """What a receiver gets: no ORM object, nothing to follow back into the sender."""

    ref: str
    purpose: str
    sender: SendingTown
    #: Read-only JSON values: mappings are ``MappingProxyType``, lists are tuples.
    payload: Mapping[str, Any]
    sent_at: datetime

    def payload_copy(self) -> dict[str, Any]:
        """A plain, writable copy of the payload (e.g. to store in a JSON column)."""
        return json.loads(json.dumps(self.payload, default=_thaw))


@dataclass(frozen=True)
class MessageStatus:
    state: str
    reason: str
    settled_at: datetime | None


Receiver = Callable[[TownMessage], None]
_receivers: dict[str, Receiver] = {}


def receiver(purpose: str) -> Callable[[Receiver], Receiver]:
    """Register the function that receives messages of ``purpose`` in the target town.

    One receiver per purpose, deployment-wide, like a blueprint's routes: it runs
    in whichever town a message of that purpose is sent to. Raise ``Refusal`` to
    refuse a message (its reason is recorded on the sender's row).
    """
    if not purpose or len(purpose) > 63:
        raise ValueError(f"a purpose has 1 to 63 characters: {purpose!r}")

    def register(function: Receiver) -> Receiver:
        known = _receivers.get(purpose)
        if known is not None and _name(known) != _name(function):
            raise ValueError(f"purpose {purpose!r} has a receiver already: {_name(known)}")
        _receivers[purpose] = function
        return function

    return register


def _name(function: Receiver) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def send(purpose: str, to_town_id: int, payload: Mapping[str, Any]) -> str:
    """Send ``payload`` to town ``to_town_id`` once the current transaction commits.

    Returns the message's ref. Raises ``ValueError`` for a payload that is not
    JSON (an ORM object, a date) or for a message to the sending town itself.
    """
    sender = current_tenant()
    if to_town_id == sender.id:
        raise ValueError("a town sends messages to other towns only")
    try:
        frozen_payload = json.loads(json.dumps(dict(payload), allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ValueError(f"a message's payload must be JSON: {error}") from error
    row = SentMessage(purpose=purpose, to_town_id=to_town_id, payload=frozen_payload)
    db.session.add(row)
    db.session.flush()
    target = db.session.get(Tenant, to_town_id)
    audit.record(
        "region.message.sent",
        actor=None,
        target=row.ref,
        detail={"purpose": purpose, "to": target.slug if target else str(to_town_id)},
    )
    session = db.session()
    session.info.setdefault(_PENDING_KEY, []).append((sender.id, row.ref))
    return row.ref


def status(ref: str) -> MessageStatus | None:
    """The state of a message the current town sent."""
    row = db.session.scalar(select(SentMessage).where(SentMessage.ref == ref))
    if row is None:
        return None
    return MessageStatus(row.state, row.reason, row.settled_at)


# --- delivery after commit ------------------------------------------------------


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        session.info.setdefault(_READY_KEY, []).extend(pending)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # after _after_commit; what is left was rolled back
        session.info.pop(_PENDING_KEY, None)


def install(app: Flask, session_class: type[Session]) -> None:
    """Deliver committed messages at the end of each request and app context."""
    for name, listener in (
        ("after_commit", _after_commit),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not sa_event.contains(session_class, name, listener):
            sa_event.listen(session_class, name, listener)
    app.teardown_request(_deliver_at_teardown)
    app.teardown_appcontext(_deliver_at_teardown)
    app.extensions.setdefault("projektfabrik_worker_tasks", []).append(_worker_task)


def _deliver_at_teardown(exc: BaseException | None = None) -> None:
    try:
        deliver_ready()
    except Exception:  # never let delivery turn a finished request into an error
        log.exception("town message delivery failed; the worker tries again")


def deliver_ready() -> int:
    """Deliver the messages committed in this app context's session; how many were handled."""
    if not db.session.registry.has():
        return 0
    session = db.session()
    ready = session.info.pop(_READY_KEY, None)
    if not ready:
        return 0
    if _depth.get() >= MAX_DEPTH:
        log.error("town messages sent %d deep; left for the worker: %r", MAX_DEPTH, ready)
        return 0
    # What the caller changed after its commit was meant to be thrown away, and an
    # open read transaction would keep SQLite's writer (the fresh session) waiting.
    session.rollback()
    for sender_id, ref in ready:
        deliver(sender_id, ref)
    return len(ready)


def deliver_pending(limit: int = 100) -> int:
    """Try every pending message again (operator code: reads every town's outbox)."""
    with tenant_context(None):
        rows = db.session.execute(
            select(SentMessage.tenant_id, SentMessage.ref)
            .where(SentMessage.state == PENDING)
            .order_by(SentMessage.id)
            .limit(limit)
            .execution_options(**ALL_TENANTS)
        ).all()
    db.session.rollback()
    for sender_id, ref in rows:
        deliver(sender_id, ref)
    return len(rows)


def _worker_task(app: Flask) -> int:
    return deliver_pending()


def deliver(sender_id: int, ref: str) -> str:
    """Deliver one message in a fresh session; return its state afterwards."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    token = _depth.set(_depth.get() + 1)
    try:
        with app.app_context():
            try:
                return _deliver(sender_id, ref)
            except Exception:
                db.session.rollback()
                log.exception("town message %s could not be delivered", ref)
                return PENDING
    finally:
        _depth.reset(token)


def _deliver(sender_id: int, ref: str) -> str:
    sender = db.session.get(Tenant, sender_id)
    if sender is None:
        return REFUSED
    with tenant_context(sender):
        row = db.session.scalar(select(SentMessage).where(SentMessage.ref == ref))
        if row is None or row.state != PENDING:
            return row.state if row is not None else REFUSED
        target = db.session.get(Tenant, row.to_town_id)
        why = _why_refused(sender, target)
        if why is None and row.purpose not in _receivers:
            why = NO_RECEIVER
        if why is not None:
            return _settle(sender, ref, REFUSED, why)
        assert target is not None
        message = TownMessage(
            ref=row.ref,
            purpose=row.purpose,
            sender=SendingTown(sender.id, sender.slug, sender.name),
            payload=_freeze(row.payload),
            sent_at=row.created_at,
        )
        handle = _receivers[row.purpose]
        db.session.commit()  # end the sender's read before writing in the target
    outcome, reason = _receive(target, message, handle)
    if outcome == PENDING:
        return _attempt_failed(sender, ref, reason)
    return _settle(sender, ref, outcome, reason)


def _why_refused(sender: Tenant, target: Tenant | None) -> str | None:
    """Both towns members of one region, neither suspended, both opted in; else why not."""
    if target is None:
        return NOT_SAME_REGION
    region = readmodel.region_of(sender.id)
    if region is None or readmodel.region_of(target.id) is None:
        return NOT_SAME_REGION
    if readmodel.region_of(target.id).id != region.id:  # type: ignore[union-attr]
        return NOT_SAME_REGION
    if TenantState.SUSPENDED in (sender.state, target.state):
        return SUSPENDED
    taking_part = {p.tenant_id for p in readmodel.participants(region)}
    if sender.id not in taking_part:
        return SENDER_NOT_OPTED_IN
    if target.id not in taking_part:
        return TARGET_NOT_OPTED_IN
    return None


def _receive(target: Tenant, message: TownMessage, handle: Receiver) -> tuple[str, str]:
    with tenant_context(target):
        try:
            seen = db.session.scalar(
                select(ReceivedMessage.id).where(
                    ReceivedMessage.from_town_id == message.sender.id,
                    ReceivedMessage.ref == message.ref,
                )
            )
            if seen is not None:
                db.session.rollback()
                return DELIVERED, ""  # a replay: stored once already
            db.session.add(
                ReceivedMessage(
                    ref=message.ref, from_town_id=message.sender.id, purpose=message.purpose
                )
            )
            db.session.flush()  # a concurrent delivery of the same ref stops here
            handle(message)
            audit.record(
                "region.message.received",
                actor=None,
                target=message.ref,
                detail={"purpose": message.purpose, "from": message.sender.slug},
            )
            db.session.commit()
        except Refusal as refusal:
            db.session.rollback()
            return REFUSED, f"{RECEIVER_REFUSED}: {refusal.message}"
        except IntegrityError:
            db.session.rollback()
            return DELIVERED, ""  # the other delivery stored it
        except Exception as error:  # noqa: BLE001 - recorded and retried, never lost
            db.session.rollback()
            log.exception("receiver for %s failed in %s", message.purpose, target.slug)
            return PENDING, type(error).__name__
    return DELIVERED, ""


def _settle(sender: Tenant, ref: str, state: str, reason: str) -> str:
    with tenant_context(sender):
        row = db.session.scalar(select(SentMessage).where(SentMessage.ref == ref))
        if row is None:
            return state
        row.state = state
        row.reason = reason
        row.settled_at = utcnow()
        row.attempts += 1
        target = db.session.get(Tenant, row.to_town_id)
        audit.record(
            f"region.message.{state}",
            actor=None,
            target=ref,
            detail={
                "purpose": row.purpose,
                "to": target.slug if target else str(row.to_town_id),
                **({"reason": reason} if reason else {}),
            },
        )
        db.session.commit()
    return state


def _attempt_failed(sender: Tenant, ref: str, error: str) -> str:
    with tenant_context(sender):
        row = db.session.scalar(select(SentMessage).where(SentMessage.ref == ref))
        if row is None:
            return PENDING
        if row.attempts + 1 >= MAX_ATTEMPTS:
            db.session.rollback()
            return _settle(sender, ref, REFUSED, f"{GAVE_UP}: {error}")
        row.attempts += 1
        row.reason = error
        db.session.commit()
    return PENDING


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, MappingProxyType):
        return dict(value)
    raise TypeError(type(value).__name__)
