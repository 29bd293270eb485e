"""Two administrators approve at the same moment: the pot is never overspent.

Runs on PostgreSQL (PROJEKTFABRIK_TEST_DATABASE_URL), where each approval
holds the pot's row lock (SELECT … FOR UPDATE) while it counts.
"""

from __future__ import annotations

import threading

import pytest
from funding_support import Round, make_pot
from projektfabrik_funding import services
from projektfabrik_funding.models import Application, Pot, State
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import tenant_context


def _is_postgres(round_a: Round) -> bool:
    return db.engine.dialect.name == "postgresql"


def _applications(round_a: Round, pot: Pot, count: int) -> list[str]:
    refs = []
    with round_a.town.context():
        for _ in range(count):
            application = Application(
                pot_id=pot.id,
                project_id=round_a.project.id,
                state=State.FORMAL_CHECK,
                title="Gleichzeitig",
                requested_cents=600_000,
            )
            db.session.add(application)
            db.session.flush()
            refs.append(application.ref)
        db.session.commit()
    return refs


def _approve_at_once(round_a: Round, refs: list[str], amount: int) -> list[str]:
    app = round_a.town.app
    tenant = round_a.town.tenant
    barrier = threading.Barrier(len(refs))
    results: list[str] = []
    lock = threading.Lock()
    with round_a.town.context():  # read here: the test's objects belong to this thread's session
        admin_id = db.session.scalar(select(User.id).where(User.email == round_a.admin_user.email))

    def approve(ref: str) -> None:
        with (
            app.test_request_context(base_url=f"http://{round_a.town.host}"),
            tenant_context(tenant),
        ):
            try:
                application = db.session.scalar(select(Application).where(Application.ref == ref))
                admin = db.session.get(User, admin_id)
                assert application is not None and admin is not None
                barrier.wait(timeout=10)
                services.approve(application, admin, amount)
                db.session.commit()
                outcome = "approved"
            except services.OverBudget:
                db.session.rollback()
                outcome = "over budget"
            except Exception as error:  # reported, so the test fails with the reason
                db.session.rollback()
                outcome = f"error: {error!r}"
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=approve, args=(ref,)) for ref in refs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results)


def test_two_approvals_at_the_same_moment_never_overspend(round_a: Round) -> None:
    if not _is_postgres(round_a):
        pytest.skip("row locks are tested on PostgreSQL (PROJEKTFABRIK_TEST_DATABASE_URL)")
    for attempt in range(5):
        pot = make_pot(round_a.town, name=f"Topf {attempt}", budget_cents=1_000_000)
        refs = _applications(round_a, pot, 2)
        results = _approve_at_once(round_a, refs, 600_000)
        assert results == ["approved", "over budget"], results
        with round_a.town.context():
            found = db.session.get(Pot, pot.id)
            assert found is not None
            assert services.committed_cents(found) == 600_000
            db.session.rollback()


def test_many_approvals_at_once_stop_exactly_at_the_budget(round_a: Round) -> None:
    if not _is_postgres(round_a):
        pytest.skip("row locks are tested on PostgreSQL (PROJEKTFABRIK_TEST_DATABASE_URL)")
    pot = make_pot(round_a.town, budget_cents=1_000_000)
    refs = _applications(round_a, pot, 6)
    results = _approve_at_once(round_a, refs, 300_000)
    assert results.count("approved") == 3 and results.count("over budget") == 3, results
    with round_a.town.context():
        found = db.session.get(Pot, pot.id)
        assert found is not None
        assert services.committed_cents(found) == 900_000
        db.session.rollback()
