"""40 people register at the same moment for 10 seats: 10 get one, 30 wait, none
too many; cancellations then promote in the order people came.

Runs on PostgreSQL (PROJEKTFABRIK_TEST_DATABASE_URL), each registration in its
own thread with its own session and connection, all released at once by a
barrier; each holds the workshop's row lock (SELECT … FOR UPDATE) while it counts.
"""

from __future__ import annotations

import threading

import pytest
from projektfabrik_workshops import services
from projektfabrik_workshops.models import Attendance, Registration, RegState, Workshop
from sqlalchemy import select
from workshops_support import Setup, make_workshop

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import tenant_context

PEOPLE = 40
SEATS = 10


def _register_at_once(setup: Setup, ref: str, user_ids: list[int]) -> list[str]:
    app = setup.town.app
    tenant = setup.town.tenant
    barrier = threading.Barrier(len(user_ids))
    results: list[str] = []
    lock = threading.Lock()

    def register(user_id: int) -> None:
        with (
            app.test_request_context(base_url=f"http://{setup.town.host}"),
            tenant_context(tenant),
        ):
            try:
                workshop = services.find(ref)
                person = db.session.get(User, user_id)
                assert workshop is not None and person is not None
                db.session.rollback()  # start the race with no transaction open
                barrier.wait(timeout=30)
                registration = services.register(
                    workshop,
                    user=person,
                    name=person.display_name or "",
                    email=person.email,
                    attendance=Attendance.ONSITE,
                )
                outcome = registration.state.value
                db.session.commit()
            except Exception as error:  # reported, so the test fails with the reason
                db.session.rollback()
                outcome = f"error: {error!r}"
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=register, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def test_forty_at_once_for_ten_seats(ws_a: Setup) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip(
            "concurrent registrations need real row locks and parallel connections: "
            "run with PROJEKTFABRIK_TEST_DATABASE_URL (PostgreSQL)"
        )
    workshop = make_workshop(ws_a.town, capacity=SEATS)
    user_ids = [ws_a.town.user(email=f"p{i:02d}@example.org").id for i in range(PEOPLE)]
    results = _register_at_once(ws_a, workshop.ref, user_ids)
    assert results.count("confirmed") == SEATS, results
    assert results.count("waiting") == PEOPLE - SEATS, results

    with ws_a.town.request_context():
        found = db.session.scalar(select(Workshop).where(Workshop.ref == workshop.ref))
        assert found is not None
        assert services.confirmed_count(found) == SEATS
        queue = services.waiting_list(found)
        assert [services.waiting_position(r) for r in queue] == list(range(1, PEOPLE - SEATS + 1))
        first_three = [r.id for r in queue[:3]]
        # Three people with a seat cancel: the first three waiting get their seats, in order.
        seated = list(
            db.session.scalars(
                select(Registration)
                .where(
                    Registration.workshop_id == found.id,
                    Registration.state == RegState.CONFIRMED,
                )
                .order_by(Registration.id)
                .limit(3)
            )
        )
        promoted = [services.withdraw(r) for r in seated]
        db.session.commit()
        assert [p.id for p in promoted if p is not None] == first_three
        assert services.confirmed_count(found) == SEATS
        assert services.waiting_count(found) == PEOPLE - SEATS - 3
        db.session.rollback()
