"""Messages between two towns of a region (projektfabrik/regions/messages.py):
delivered only after the sender's commit, only between opted-in members of one
region, once per ref, as frozen values, audited in both towns."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from projektfabrik.audit import services as audit
from projektfabrik.audit.models import AuditEntry
from projektfabrik.extensions import Model, db
from projektfabrik.mail.worker import Worker
from projektfabrik.refusal import Refusal
from projektfabrik.regions import messages
from projektfabrik.regions.messages import ReceivedMessage, SentMessage, TownMessage
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.models import Tenant, TenantState
from projektfabrik.testing import Town, make_region, make_town, take_part_in_region

#: What the test receivers saw: (town slug the receiver ran in, the message).
SEEN: list[tuple[str, TownMessage]] = []
#: Set by a test to make the "test.flaky" receiver fail.
FAIL = {"flaky": True}


@messages.receiver("test.echo")
def _echo(message: TownMessage) -> None:
    SEEN.append((current_tenant().slug, message))
    audit.record("test.echo", actor=None, target=message.ref, detail=message.payload_copy())


@messages.receiver("test.refuse")
def _refuse(message: TownMessage) -> None:
    raise Refusal("Dieser Topf nimmt keine Anträge an.")


@messages.receiver("test.flaky")
def _flaky(message: TownMessage) -> None:
    if FAIL["flaky"]:
        raise RuntimeError("the receiver's database table is being migrated")
    audit.record("test.flaky", actor=None, target=message.ref)


@pytest.fixture(autouse=True)
def _clear() -> None:
    SEEN.clear()
    FAIL["flaky"] = True


@pytest.fixture
def town_c(app: Flask) -> Town:
    return make_town(app, "stadt-c", "Stadt C", ["stadt-c.test"])


@pytest.fixture
def region(town_a: Town, town_b: Town, town_c: Town) -> Any:
    found = make_region("testkreis", "region-test.test", ("stadt-a", "stadt-b"))
    take_part_in_region(town_a)
    take_part_in_region(town_b)
    return found


def _send(sender: Town, to: Town, purpose: str = "test.echo", **payload: Any) -> str:
    """Send in a request of the sender's, committed; delivery runs when the request ends."""
    with sender.request_context():
        ref = messages.send(purpose, to.tenant.id, payload or {"text": "Hallo"})
        db.session.commit()
    return ref


def _sent(town: Town, ref: str) -> SentMessage:
    with town.context():
        row = db.session.scalar(select(SentMessage).where(SentMessage.ref == ref))
        assert row is not None
        db.session.expunge(row)
        return row


def _log(town: Town, action: str) -> list[AuditEntry]:
    with town.context():
        rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        db.session.rollback()
        return rows


def test_a_message_is_delivered_after_commit_and_audited_in_both_towns(
    region: Any, town_a: Town, town_b: Town
) -> None:
    ref = _send(town_a, town_b, text="Hallo Stadt B")
    row = _sent(town_a, ref)
    assert row.state == messages.DELIVERED
    assert row.settled_at is not None
    assert [e.detail for e in _log(town_b, "test.echo")] == [{"text": "Hallo Stadt B"}]
    assert SEEN[0][0] == "stadt-b"  # under the target town's context
    assert [e.target for e in _log(town_a, "region.message.sent")] == [ref]
    assert [e.target for e in _log(town_a, "region.message.delivered")] == [ref]
    received = _log(town_b, "region.message.received")
    assert [(e.target, e.detail["from"]) for e in received] == [(ref, "stadt-a")]
    # The sending town never sees the receiver's rows, and the other way round.
    assert _log(town_a, "test.echo") == []
    assert _log(town_b, "region.message.sent") == []


def test_a_rolled_back_message_is_never_delivered(region: Any, town_a: Town, town_b: Town) -> None:
    with town_a.request_context():
        messages.send("test.echo", town_b.tenant.id, {"text": "nie"})
        db.session.rollback()
    assert SEEN == []
    with town_a.context():
        assert db.session.scalars(select(SentMessage)).all() == []
    assert _log(town_b, "test.echo") == []


def test_nothing_is_delivered_before_the_commit(region: Any, town_a: Town, town_b: Town) -> None:
    with town_a.request_context():
        messages.send("test.echo", town_b.tenant.id, {"text": "gleich"})
        db.session.flush()
        assert messages.deliver_ready() == 0  # not committed yet
        assert SEEN == []
        db.session.commit()
    assert len(SEEN) == 1


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("outside", messages.NOT_SAME_REGION),
        ("target_out", messages.TARGET_NOT_OPTED_IN),
        ("sender_out", messages.SENDER_NOT_OPTED_IN),
        ("suspended", messages.SUSPENDED),
    ],
)
def test_a_message_outside_the_taking_part_towns_is_refused_with_its_reason(
    region: Any, town_a: Town, town_b: Town, town_c: Town, case: str, reason: str
) -> None:
    target = town_c if case == "outside" else town_b
    if case == "target_out":
        take_part_in_region(town_b, opted_in=False)
    if case == "sender_out":
        take_part_in_region(town_a, opted_in=False)
    if case == "suspended":
        db.session.execute(
            update(Tenant).where(Tenant.id == town_b.tenant.id).values(state=TenantState.SUSPENDED)
        )
        db.session.commit()
    ref = _send(town_a, target, text="GEHEIM")
    row = _sent(town_a, ref)
    assert (row.state, row.reason) == (messages.REFUSED, reason)
    assert row.settled_at is not None
    assert SEEN == []
    assert _log(target, "test.echo") == []
    assert _log(target, "region.message.received") == []
    refused = _log(town_a, "region.message.refused")
    assert [(e.target, e.detail["reason"]) for e in refused] == [(ref, reason)]


def test_a_replayed_ref_is_stored_once(region: Any, town_a: Town, town_b: Town) -> None:
    ref = _send(town_a, town_b)
    with town_a.context():
        # As if the first delivery had died after the target's commit: pending again.
        db.session.execute(
            update(SentMessage).where(SentMessage.ref == ref).values(state=messages.PENDING)
        )
        db.session.commit()
    assert messages.deliver(town_a.tenant.id, ref) == messages.DELIVERED
    assert messages.deliver(town_a.tenant.id, ref) == messages.DELIVERED
    assert len(SEEN) == 1
    assert len(_log(town_b, "test.echo")) == 1
    with town_b.context():
        assert len(db.session.scalars(select(ReceivedMessage)).all()) == 1


def _values(value: Any) -> list[Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [value] + [
            v for f in dataclasses.fields(value) for v in _values(getattr(value, f.name))
        ]
    if isinstance(value, MappingProxyType | dict):
        return [value] + [v for item in value.values() for v in _values(item)]
    if isinstance(value, tuple | list):
        return [value] + [v for item in value for v in _values(item)]
    return [value]


def test_the_receiver_sees_frozen_values_and_no_orm_object(
    region: Any, town_a: Town, town_b: Town
) -> None:
    _send(town_a, town_b, nested={"list": [1, 2, {"deep": "x"}]}, text="t")
    [(_slug, message)] = SEEN
    assert not any(isinstance(v, Model) for v in _values(message))
    assert message.sender == messages.SendingTown(town_a.tenant.id, "stadt-a", "Stadt A")
    assert isinstance(message.payload, MappingProxyType)
    assert message.payload["nested"]["list"][2]["deep"] == "x"
    with pytest.raises(TypeError):
        message.payload["text"] = "changed"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.purpose = "other"  # type: ignore[misc]


def test_an_orm_object_cannot_be_sent(region: Any, town_a: Town, town_b: Town) -> None:
    with town_a.request_context():
        with pytest.raises(ValueError, match="JSON"):
            messages.send("test.echo", town_b.tenant.id, {"town": town_a.tenant})
        with pytest.raises(ValueError, match="other towns"):
            messages.send("test.echo", town_a.tenant.id, {})
        db.session.rollback()


def test_a_receivers_refusal_is_recorded_with_its_words(
    region: Any, town_a: Town, town_b: Town
) -> None:
    ref = _send(town_a, town_b, purpose="test.refuse")
    row = _sent(town_a, ref)
    assert row.state == messages.REFUSED
    assert row.reason == f"{messages.RECEIVER_REFUSED}: Dieser Topf nimmt keine Anträge an."
    # Refused inside the receiver's transaction: no receipt, so it could be sent again.
    with town_b.context():
        assert db.session.scalars(select(ReceivedMessage)).all() == []


def test_an_unknown_purpose_is_refused(region: Any, town_a: Town, town_b: Town) -> None:
    ref = _send(town_a, town_b, purpose="test.nobody-listens")
    assert _sent(town_a, ref).reason == messages.NO_RECEIVER


def test_a_failing_receiver_leaves_it_pending_for_the_cli_and_the_worker(
    app: Flask, region: Any, town_a: Town, town_b: Town
) -> None:
    ref = _send(town_a, town_b, purpose="test.flaky")
    row = _sent(town_a, ref)
    assert (row.state, row.attempts) == (messages.PENDING, 1)
    assert _log(town_b, "test.flaky") == []

    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from projektfabrik.cli import main

    result = CliRunner().invoke(main, ["region", "deliver"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "1 pending message(s) tried" in result.output
    assert _sent(town_a, ref).attempts == 2

    FAIL["flaky"] = False
    Worker(app, poll=0).round()
    assert _sent(town_a, ref).state == messages.DELIVERED
    assert len(_log(town_b, "test.flaky")) == 1


def test_a_receiver_failing_again_and_again_is_given_up(
    region: Any, town_a: Town, town_b: Town
) -> None:
    ref = _send(town_a, town_b, purpose="test.flaky")
    for _attempt in range(messages.MAX_ATTEMPTS):
        messages.deliver(town_a.tenant.id, ref)
    row = _sent(town_a, ref)
    assert row.state == messages.REFUSED
    assert row.reason.startswith(messages.GAVE_UP)


def test_a_request_that_sends_delivers_on_its_own(
    app: Flask, region: Any, town_a: Town, town_b: Town
) -> None:
    """A real request: the view commits, the teardown delivers (no deadlock on SQLite)."""

    @app.post("/_test/send")
    def _view() -> str:
        messages.send("test.echo", town_b.tenant.id, {"text": "aus einer Anfrage"})
        db.session.commit()
        return "ok"

    response = town_a.client().post("/_test/send")
    assert response.status_code == 200
    assert [e.detail for e in _log(town_b, "test.echo")] == [{"text": "aus einer Anfrage"}]


def test_one_receiver_per_purpose() -> None:
    with pytest.raises(ValueError, match="has a receiver"):
        messages.receiver("test.echo")(lambda message: None)
