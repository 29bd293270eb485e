"""The audit log: record() adds to the caller's transaction, per town, never committing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from projektfabrik.accounts.models import Role
from projektfabrik.audit import services as audit
from projektfabrik.audit.models import AuditEntry
from projektfabrik.extensions import db
from projektfabrik.testing import Town


def test_record_is_kept_with_the_change_and_read_back_newest_first(town_a: Town) -> None:
    admin = town_a.user(role=Role.ADMIN, name="Ada Admin")
    person = town_a.user(name="Pia Person")
    with town_a.context():
        audit.record("role.changed", actor=admin, subject=person, detail={"to": "moderator"})
        audit.record("legal.saved", actor=admin, target="impressum")
        db.session.commit()
        rows = audit.entries()
        assert [r.action for r in rows] == ["legal.saved", "role.changed"]
        assert rows[1].actor is not None and rows[1].actor.display_name == "Ada Admin"
        assert rows[1].subject is not None and rows[1].subject.display_name == "Pia Person"
        assert rows[1].detail == {"to": "moderator"}
        assert rows[0].target == "impressum" and rows[0].subject is None
        assert rows[0].at is not None and rows[0].at.tzinfo is not None
        assert [r.action for r in audit.entries(before_id=rows[0].id)] == ["role.changed"]


def test_record_does_not_commit(town_a: Town) -> None:
    admin = town_a.user(role=Role.ADMIN)
    with town_a.context():
        audit.record("role.changed", actor=admin)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_system_entries_have_no_actor(town_a: Town) -> None:
    with town_a.context():
        audit.record("tenant.synced", actor=None)
        db.session.commit()
        (row,) = audit.entries()
        assert row.actor is None and row.actor_id is None


def test_a_bad_action_is_refused(town_a: Town) -> None:
    with town_a.context(), pytest.raises(ValueError):
        audit.record("", actor=None)
    with town_a.context(), pytest.raises(ValueError):
        audit.record("x" * 61, actor=None)


def test_one_town_never_sees_another_towns_log(town_a: Town, town_b: Town) -> None:
    admin_a = town_a.user(role=Role.ADMIN)
    with town_a.context():
        audit.record("role.changed", actor=admin_a)
        db.session.commit()
    with town_b.context():
        assert audit.entries() == []
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    with town_a.context():
        assert len(audit.entries()) == 1


def test_a_deleted_account_leaves_its_entries(town_a: Town) -> None:
    admin = town_a.user(role=Role.ADMIN)
    person = town_a.user()
    with town_a.context():
        audit.record("account.blocked", actor=admin, subject=person)
        db.session.commit()
        db.session.delete(db.session.get(type(person), person.id))
        db.session.commit()
        (row,) = audit.entries()
        assert row.subject_id is None and row.actor_id == admin.id
