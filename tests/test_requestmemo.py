"""The request's town and person from the worker's memory (requestmemo.py):
never another town's or another login's, and a change, a logout or a block
shows on the next request in every worker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from projektfabrik import requestmemo
from projektfabrik.accounts.models import User
from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.tenancy.models import Tenant, TenantHost
from projektfabrik.testing import (
    HostClient,
    QueryCounter,
    Town,
    login,
    page_text,
    redis_available,
    signed_in,
)

pytestmark = [
    pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379"),
    # One Redis database, emptied per test: two xdist workers must not share it.
    pytest.mark.xdist_group("redis-14"),
]

URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied per test


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    import redis

    redis.Redis.from_url(URL).flushdb()
    return {**app_config, "REDIS_URL": URL}


@pytest.fixture
def second_worker(app: Flask, app_config: dict[str, Any]) -> Iterator[Flask]:
    """Another worker of the same deployment: same database, same Redis, its own memory."""
    other = create_app(app_config)
    other.test_client_class = HostClient
    yield other
    with other.app_context():
        db.engine.dispose()


def _client_of(worker: Flask, town: Town, cookies_from: Any) -> Any:
    """A client of ``worker`` holding the cookies of another client (the same browser)."""
    client = worker.test_client()
    client.base_url = f"http://{town.host}"
    for cookie in cookies_from._cookies.values():
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return client


def _remembered_by(worker: Flask, town: Town) -> tuple[User, Any, Any]:
    """A person logged in through the first worker, whom ``worker`` has seen
    twice (so remembers): the person, the first client, the same browser on ``worker``."""
    person, client = signed_in(town)
    same_browser = _client_of(worker, town, client)
    assert _logged_in(same_browser)
    assert _logged_in(same_browser)
    return person, client, same_browser


#: In some full runs (3 of 5 on 2026-12-03, never alone) a town's token was
#: renewed between two requests of a test that wrote nothing between them; the
#: cause is not found (the rules: docs/architecture.md). Such a
#: renewal only costs a read. The two tests that need a quiet stretch try it
#: this often, and fail when the memory is never used.
TRIES = 3


def _logged_in(client: Any) -> bool:
    return "/abmelden" in page_text(client, "/projekte")


def _reads(statements: list[str], table: str) -> bool:
    return any(re.search(rf"\b{table}\b", s) for s in statements)


def test_a_remembered_request_reads_neither_town_nor_person(town_a: Town) -> None:
    _person, client = signed_in(town_a)
    town_a.app.extensions[requestmemo.EXTENSION].board.renew({town_a.tenant.id})
    with QueryCounter() as first:
        page_text(client, "/projekte")
    # The proof that the counter sees these reads when they happen.
    assert _reads(first.statements, "tenant_host"), first.statements
    assert _reads(first.statements, "user_account"), first.statements
    reads = []
    for _ in range(TRIES):
        with QueryCounter() as kept:
            assert _logged_in(client)
        reads.append(kept.statements)
        if not any(
            _reads(kept.statements, t) for t in ("tenant_host", "user_account", "login_session")
        ):
            break
    else:
        raise AssertionError(reads)


def test_another_town_never_gets_a_remembered_person(town_a: Town, town_b: Town) -> None:
    person, client = signed_in(town_a)
    page_text(client, "/projekte")
    assert _logged_in(client)
    # The same cookie on town B's host: nobody is logged in there.
    stolen = _client_of(town_a.app, town_b, client)
    assert not _logged_in(stolen)
    # Nor does the memory answer for B with A's entry, even asked directly.
    memo = town_a.app.extensions[requestmemo.EXTENSION]
    with town_a.app.app_context():
        token_b = memo.board.token(town_b.tenant.id)
    assert token_b is not None
    remembered = [key for key in memo._people if key[0] == town_a.tenant.id]
    assert remembered
    for _tenant, cookie in remembered:
        assert memo.person(town_b.tenant.id, cookie, token_b) is None


def test_logging_out_ends_the_session_in_every_worker(town_a: Town, second_worker: Flask) -> None:
    _person, client, same_browser = _remembered_by(second_worker, town_a)
    client.post("/abmelden")
    assert not _logged_in(same_browser)


def test_a_blocked_person_is_out_at_once_in_every_worker(
    town_a: Town, second_worker: Flask
) -> None:
    person, _client, same_browser = _remembered_by(second_worker, town_a)
    with town_a.context():
        found = db.session.get(User, person.id)
        assert found is not None
        found.blocked_at = db.func.now()
        db.session.commit()
    assert not _logged_in(same_browser)


def test_a_change_of_the_town_shows_at_once_in_every_worker(
    town_a: Town, second_worker: Flask
) -> None:
    _person, client = signed_in(town_a)
    same_browser = _client_of(second_worker, town_a, client)
    page_text(same_browser, "/projekte")
    assert "Stadt A" in page_text(same_browser, "/projekte")
    with town_a.context():
        tenant = db.session.get(Tenant, town_a.tenant.id)
        assert tenant is not None
        tenant.name = "Neustadt am Memo"
        db.session.commit()
    assert "Neustadt am Memo" in page_text(same_browser, "/projekte")


def test_a_write_around_the_orm_goes_unseen_until_the_token_changes(
    town_a: Town, second_worker: Flask
) -> None:
    """The bound the module documents, and the proof that the memory is used:
    raw SQL renews no token, so the remembered name stays until one is renewed."""
    _person, client = signed_in(town_a)
    same_browser = _client_of(second_worker, town_a, client)
    for attempt in range(TRIES):
        name = f"Stadt Roh {attempt}"
        page_text(same_browser, "/projekte")
        page_text(same_browser, "/projekte")
        with town_a.app.app_context():
            db.session.execute(
                text("UPDATE tenant SET name = :name WHERE id = :id"),
                {"name": name, "id": town_a.tenant.id},
            )
            db.session.commit()
        if name not in page_text(same_browser, "/projekte"):
            break
    else:
        raise AssertionError("the raw change showed at once in every try: nothing remembered")
    with town_a.app.app_context():
        town_a.app.extensions[requestmemo.EXTENSION].board.renew({town_a.tenant.id})
    assert name in page_text(same_browser, "/projekte")


def test_a_host_given_to_another_town_serves_that_town_next(town_a: Town, town_b: Town) -> None:
    alias = town_a.aliases[0]  # www.stadt-a.test: redirects to A's canonical host
    client = town_a.client(alias)
    assert "stadt-a.test" in client.get("/projekte").headers["Location"]
    assert "stadt-a.test" in client.get("/projekte").headers["Location"]
    with town_a.app.app_context():
        host = db.session.scalar(select(TenantHost).where(TenantHost.host == alias))
        assert host is not None
        host.tenant_id = town_b.tenant.id
        db.session.commit()
    assert "stadt-b.test" in client.get("/projekte").headers["Location"]


def test_redis_down_reads_the_database(app_config: dict[str, Any], town_a: Town) -> None:
    from projektfabrik.testing import free_port

    broken = create_app({**app_config, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    broken.test_client_class = HostClient
    person = town_a.user()
    client = broken.test_client()
    client.base_url = f"http://{town_a.host}"
    login(client, person.email)
    client.get("/")
    for _ in range(3):
        assert _logged_in(client)
    with broken.app_context():
        db.engine.dispose()


def test_a_remembered_object_is_the_requests_own(town_a: Town) -> None:
    """Changing a list of the town in one request does not change the next one's."""
    _person, client = signed_in(town_a)
    page_text(client, "/projekte")
    memo = town_a.app.extensions[requestmemo.EXTENSION]
    entry = memo._towns[town_a.host]
    assert entry.snapshot is not None
    with town_a.app.app_context():
        first = entry.snapshot.attach(db.session)
        first.admin_edited.append("name")
        db.session.remove()
        second = entry.snapshot.attach(db.session)
        assert "name" not in second.admin_edited
        db.session.remove()


def test_a_deleted_town_is_gone_at_once_in_every_worker(
    town_a: Town, town_b: Town, second_worker: Flask
) -> None:
    """The deletion goes around the ORM (Core statements); it ends the memory by hand."""
    from projektfabrik.tenancy import lifecycle

    _person, _client, same_browser = _remembered_by(second_worker, town_a)
    with town_a.app.app_context():
        tenant = db.session.get(Tenant, town_a.tenant.id)
        assert tenant is not None
        lifecycle.delete_town(tenant)
        db.session.commit()
    assert same_browser.get("/projekte").status_code == 404
    assert town_b.client().get("/projekte").status_code == 200
