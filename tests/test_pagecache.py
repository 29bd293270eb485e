"""The page cache for visitors and the town's content version it keys on."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from projektfabrik.accounts.models import User
from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.notifications.models import Notification
from projektfabrik.pagecache import EXTENSION, STATUS_HEADER, LocalStore
from projektfabrik.projects.models import Project
from projektfabrik.tenancy.models import Tenant
from projektfabrik.testing import Town, login, make_town, redis_available


def _publish(town: Town, author: User, title: str) -> Project:
    with town.request_context():
        project = services.publish_idea(
            author, services.ProjectInput(title=title, pitch="Eine gute Idee.")
        )
        db.session.commit()
        return project


def _version(town: Town) -> int:
    db.session.expire_all()
    return db.session.get(Tenant, town.tenant.id).content_version


def _get(client: Any, path: str) -> tuple[str | None, str]:
    response = client.get(path)
    assert response.status_code == 200
    return response.headers.get(STATUS_HEADER), response.get_data(as_text=True)


# --- serving -----------------------------------------------------------------------


def test_a_visitor_gets_the_second_view_from_the_cache(town_a: Town) -> None:
    _publish(town_a, town_a.user(), "Bücherschrank am Markt")
    first = town_a.client().get("/projekte")
    second = town_a.client().get("/projekte")
    assert first.headers[STATUS_HEADER] == "miss"
    assert second.headers[STATUS_HEADER] == "hit"
    assert first.get_data() == second.get_data()
    assert "Bücherschrank am Markt" in second.get_data(as_text=True)
    # Nothing of the visitor in either response: no cookie, same security headers.
    for response in (first, second):
        assert "Set-Cookie" not in response.headers
        assert response.headers["Content-Security-Policy"]
        assert response.mimetype == "text/html"


def test_a_visitor_who_comes_back_gets_a_304_until_the_page_changes(town_a: Town) -> None:
    author = town_a.user()
    _publish(town_a, author, "Bücherschrank am Markt")
    client = town_a.client()
    first = client.get("/projekte")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    for _ in range(2):  # the first (rendered) page and the cached one have one tag
        again = client.get("/projekte", headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.get_data() == b""
    _publish(town_a, author, "Repair-Café im Rathaus")
    changed = client.get("/projekte", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Repair-Café" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != tag
    # People who are logged in get no tag (their page is theirs) and no 304.
    login(client, author.email)
    own = client.get("/projekte", headers={"If-None-Match": tag})
    assert own.status_code == 200 and "ETag" not in own.headers


def test_a_hit_costs_only_the_town_lookup(town_a: Town, count_queries) -> None:  # type: ignore[no-untyped-def]
    _publish(town_a, town_a.user(), "Bücherschrank am Markt")
    client = town_a.client()
    client.get("/projekte")
    with count_queries() as counter:
        assert _get(client, "/projekte")[0] == "hit"
    assert len(counter) == 1, counter.statements


def test_a_change_shows_on_the_next_view(town_a: Town) -> None:
    author = town_a.user()
    _publish(town_a, author, "Bücherschrank am Markt")
    client = town_a.client()
    _get(client, "/projekte")
    assert _get(client, "/projekte")[0] == "hit"
    _publish(town_a, author, "Repair-Café im Rathaus")
    status, page = _get(client, "/projekte")
    assert status == "miss"
    assert "Repair-Café im Rathaus" in page


def test_by_default_visitors_see_a_change_within_the_recheck_time(
    town_a: Town, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    import projektfabrik.pagecache as pagecache

    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now[0])
    app.extensions[pagecache.EXTENSION].hosts.seconds = 2  # the production default
    author = town_a.user("a@example.org")
    _publish(town_a, author, "Bücherschrank am Markt")
    visitor = town_a.client()
    _get(visitor, "/projekte")
    _publish(town_a, author, "Repair-Café im Rathaus")
    now[0] += 1
    status, page = _get(visitor, "/projekte")
    assert status == "hit" and "Repair-Café" not in page  # within the 2 seconds
    member = town_a.client()
    login(member, author.email)
    assert "Repair-Café" in member.get("/projekte").get_data(as_text=True)  # at once
    now[0] += 1.5
    status, page = _get(visitor, "/projekte")
    assert status == "miss" and "Repair-Café" in page


def test_a_visitor_with_an_empty_session_cookie_still_gets_cached_pages(town_a: Town) -> None:
    _get(town_a.client(), "/projekte")
    client = town_a.client()
    client.set_cookie("session", "not-a-valid-session", domain=town_a.host)
    assert _get(client, "/projekte")[0] == "hit"
    head = town_a.client().head("/projekte")
    assert head.status_code == 200 and head.headers[STATUS_HEADER] == "hit"
    assert head.get_data() == b""


def test_a_supporter_raises_the_count_on_the_cached_project_page(town_a: Town) -> None:
    project = _publish(town_a, town_a.user(), "Bücherschrank am Markt")
    visitor = town_a.client()
    _get(visitor, f"/projekte/{project.number}")
    assert _get(visitor, f"/projekte/{project.number}")[0] == "hit"
    fan = town_a.user("fan@example.org")
    supporter = town_a.client()
    login(supporter, fan.email)
    assert supporter.post(f"/projekte/{project.number}/unterstuetzen").status_code == 302
    status, page = _get(visitor, f"/projekte/{project.number}")
    assert status == "miss"
    assert "1 Unterstützung" in page


def test_people_who_are_logged_in_always_get_a_fresh_page(town_a: Town) -> None:
    person = town_a.user("a@example.org")
    _publish(town_a, person, "Bücherschrank am Markt")
    town_a.client().get("/projekte")  # stored for visitors
    client = town_a.client()
    login(client, person.email)
    response = client.get("/projekte")
    assert STATUS_HEADER not in response.headers
    assert "Abmelden" in response.get_data(as_text=True)


def test_a_page_with_a_message_for_the_visitor_is_neither_served_nor_stored(
    town_a: Town,
) -> None:
    client = town_a.client()
    _get(client, "/projekte")
    with client.session_transaction(base_url=f"http://{town_a.host}") as session:
        session["_flashes"] = [("success", "Nur für Sie")]
    response = client.get("/projekte")
    assert STATUS_HEADER not in response.headers
    assert "Nur für Sie" in response.get_data(as_text=True)
    assert "Nur für Sie" not in town_a.client().get("/projekte").get_data(as_text=True)


def test_each_language_has_its_own_entry(town_a: Town) -> None:
    client = town_a.client()
    assert '<html lang="de">' in _get(client, "/projekte")[1]
    response = client.post("/language", data={"locale": "en", "next": "/projekte"})
    assert response.status_code == 302
    assert client.cookie_value() is None  # the choice is a cookie of its own, not a session
    status, page = _get(client, "/projekte")
    assert status == "miss"
    assert '<html lang="en">' in page
    assert _get(client, "/projekte")[0] == "hit"
    assert '<html lang="de">' in _get(town_a.client(), "/projekte")[1]


def test_pages_with_forms_for_visitors_are_not_stored(town_a: Town, app: Flask) -> None:
    # With CSRF on (as in production) the login form writes a token into the
    # session: that page must never be stored, or visitors would share a token.
    app.config["WTF_CSRF_ENABLED"] = True
    client = town_a.client()
    for _ in range(2):
        response = client.get("/anmelden")
        assert STATUS_HEADER not in response.headers
    # The marketplace has no form that needs a token; it stays cacheable.
    assert _get(town_a.client(), "/projekte")[0] == "miss"
    assert _get(town_a.client(), "/projekte")[0] == "hit"


def test_the_cache_can_be_switched_off(app: Flask, app_config: dict[str, Any]) -> None:
    application = create_app({**app_config, "PAGE_CACHE_SECONDS": 0})
    with application.app_context():
        town = make_town(application, "stadt-c", "Stadt C", ["stadt-c.test"])
        client = application.test_client()
        client.base_url = f"http://{town.host}"  # type: ignore[attr-defined]
        assert STATUS_HEADER not in client.get("/projekte").headers
        db.session.remove()


# --- towns apart ----------------------------------------------------------------------


def test_town_b_is_never_served_town_a_s_page(town_a: Town, town_b: Town) -> None:
    _publish(town_a, town_a.user(), "Nur in Stadt A")
    _publish(town_b, town_b.user(), "Nur in Stadt B")
    for path in ("/projekte", "/projekte/1", "/", "/impressum"):
        _get(town_a.client(), path)
        assert _get(town_a.client(), path)[0] == "hit"
        status, page = _get(town_b.client(), path)
        assert status == "miss", path
        assert "Stadt A" not in page, path
    page = _get(town_b.client(), "/projekte")[1]
    assert "Nur in Stadt B" in page and "Nur in Stadt A" not in page
    # Town A's session cookie sent to town B changes nothing.
    client_b = town_b.client()
    client_b.set_cookie("session", "forged", domain=town_b.host)
    assert "Nur in Stadt A" not in client_b.get("/projekte").get_data(as_text=True)


def test_aliases_and_unknown_hosts_never_get_a_cached_page(town_a: Town) -> None:
    _get(town_a.client(), "/projekte")
    assert _get(town_a.client(), "/projekte")[0] == "hit"
    alias = town_a.client(host="www.stadt-a.test").get("/projekte")
    assert alias.status_code == 308
    assert alias.headers["Location"] == "http://stadt-a.test/projekte"
    stranger = town_a.client(host="stadt-x.test").get("/projekte")
    assert stranger.status_code == 404 and STATUS_HEADER not in stranger.headers


def test_a_change_in_town_a_keeps_town_b_s_pages(town_a: Town, town_b: Town) -> None:
    author_b = town_b.user()
    _publish(town_b, author_b, "Nur in Stadt B")
    _get(town_b.client(), "/projekte")
    before_b = _version(town_b)
    _publish(town_a, town_a.user(), "Nur in Stadt A")
    assert _version(town_b) == before_b
    assert _get(town_b.client(), "/projekte")[0] == "hit"


# --- the content version --------------------------------------------------------------


def test_a_commit_that_changes_the_town_raises_its_version_once(town_a: Town) -> None:
    author = town_a.user()
    before = _version(town_a)
    project = _publish(town_a, author, "Bücherschrank am Markt")
    after_publish = _version(town_a)
    assert after_publish == before + 1  # one commit, one step, however many rows
    with town_a.context():
        db.session.get(Project, project.id).title = "Offener Bücherschrank"
        db.session.commit()
    assert _version(town_a) == after_publish + 1


def test_a_commit_without_changes_or_with_private_rows_keeps_the_version(town_a: Town) -> None:
    person = town_a.user()
    before = _version(town_a)
    with town_a.context():
        db.session.commit()
        db.session.add(Notification(user_id=person.id, kind="test", text="Hallo", link="/"))
        db.session.commit()
    assert _version(town_a) == before


def test_a_rolled_back_change_keeps_the_version(town_a: Town) -> None:
    author = town_a.user()
    before = _version(town_a)
    with town_a.request_context():
        services.publish_idea(author, services.ProjectInput(title="Verworfen", pitch="Nein."))
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    assert _version(town_a) == before


def test_a_savepoint_rolled_back_keeps_what_came_before_counted(town_a: Town) -> None:
    project = _publish(town_a, town_a.user(), "Bücherschrank am Markt")
    before = _version(town_a)
    with town_a.context():
        db.session.get(Project, project.id).title = "Offener Bücherschrank"
        db.session.flush()
        savepoint = db.session.begin_nested()
        db.session.get(Project, project.id).pitch = "Verworfen."
        db.session.flush()
        savepoint.rollback()
        db.session.commit()
    assert _version(town_a) == before + 1


def test_a_bulk_update_raises_the_version(town_a: Town) -> None:
    _publish(town_a, town_a.user(), "Bücherschrank am Markt")
    before = _version(town_a)
    with town_a.context():
        db.session.execute(update(Project).values(support_count=Project.support_count + 1))
        db.session.commit()
    assert _version(town_a) == before + 1


def test_changing_the_town_s_host_names_raises_its_version(town_a: Town) -> None:
    from projektfabrik.tenancy.models import TenantHost

    before = _version(town_a)
    db.session.add(TenantHost(tenant_id=town_a.tenant.id, host="neu.stadt-a.test"))
    db.session.commit()
    assert _version(town_a) == before + 1


def test_changing_the_town_itself_raises_its_version(town_a: Town) -> None:
    before = _version(town_a)
    db.session.get(Tenant, town_a.tenant.id).primary_color = "#7a0000"
    db.session.commit()
    assert _version(town_a) == before + 1
    assert db.session.scalars(select(Tenant.primary_color)).all()


# --- the stores -----------------------------------------------------------------------


def test_local_store_forgets_the_least_recently_used_beyond_its_budget() -> None:
    store = LocalStore(max_bytes=10)
    store.set("a", b"aaaa", ttl=60)
    store.set("b", b"bbbb", ttl=60)
    assert store.get("a") == b"aaaa"  # "a" is now the most recently used
    store.set("c", b"cccc", ttl=60)
    assert store.get("b") is None
    assert store.get("a") == b"aaaa" and store.get("c") == b"cccc"
    store.set("huge", b"x" * 11, ttl=60)
    assert store.get("huge") is None


def test_local_store_forgets_after_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import projektfabrik.pagecache as pagecache

    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now[0])
    store = LocalStore(max_bytes=100)
    store.set("a", b"page", ttl=60)
    now[0] += 59
    assert store.get("a") == b"page"
    now[0] += 2
    assert store.get("a") is None


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.xdist_group("redis-15")  # they share Redis database 15 and empty it
def test_with_redis_every_worker_shares_the_pages(app: Flask, app_config: dict[str, Any]) -> None:
    import redis

    url = "redis://127.0.0.1:6379/15"  # a database of its own, emptied first
    redis.Redis.from_url(url).flushdb()
    config = {**app_config, "REDIS_URL": url}
    worker_1, worker_2 = create_app(config), create_app(config)
    with worker_1.app_context():
        town = make_town(worker_1, "stadt-r", "Stadt R", ["stadt-r.test"])
        db.session.remove()
    for worker, expected in ((worker_1, "miss"), (worker_2, "hit")):
        with worker.app_context():
            client = worker.test_client()
            response = client.get("/projekte", base_url=f"http://{town.host}")
            assert response.headers[STATUS_HEADER] == expected
            db.session.remove()


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.xdist_group("redis-15")  # they share Redis database 15 and empty it
def test_with_redis_a_worker_serves_its_copy_until_the_entry_would_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The copy lives exactly as long as the Redis entry had left when it was taken."""
    import redis

    import projektfabrik.pagecache as pagecache

    url = "redis://127.0.0.1:6379/15"
    shared = redis.Redis.from_url(url)
    shared.flushdb()
    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now[0])
    store = pagecache.RedisStore(url, copy_bytes=1024)
    shared.set("pf:page:1:a", b"first", px=20_000)
    assert store.get("pf:page:1:a") == b"first"  # from Redis, now copied
    shared.set("pf:page:1:a", b"second", ex=60)  # keys never change content; a probe
    now[0] += 19
    assert store.get("pf:page:1:a") == b"first"  # the copy, no round trip
    now[0] += 2
    assert store.get("pf:page:1:a") == b"second"  # the copy ended with the entry
    assert store.get("pf:page:1:missing") is None


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.xdist_group("redis-15")  # they share Redis database 15 and empty it
def test_with_redis_a_change_ends_the_workers_copies_too(
    app: Flask, app_config: dict[str, Any]
) -> None:
    """Each worker's copy is keyed like the shared entry (the town's content
    version in it): a change in the town shows in both workers, and no copy
    goes to another town."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    redis.Redis.from_url(url).flushdb()
    config = {**app_config, "REDIS_URL": url, "PAGE_CACHE_RECHECK_SECONDS": 0}
    worker_1, worker_2 = create_app(config), create_app(config)
    with worker_1.app_context():
        town = make_town(worker_1, "stadt-k", "Stadt K", ["stadt-k.test"])
        other = make_town(worker_1, "stadt-l", "Stadt L", ["stadt-l.test"])
        town_id = town.tenant.id
        db.session.remove()

    def page(worker: Flask, host: str) -> tuple[str, str]:
        with worker.app_context():
            response = worker.test_client().get("/projekte", base_url=f"http://{host}")
            db.session.remove()
            return response.headers[STATUS_HEADER], response.get_data(as_text=True)

    assert page(worker_1, town.host)[0] == "miss"
    assert page(worker_2, town.host)[0] == "hit"  # from Redis, now also copied
    redis.Redis.from_url(url).flushdb()
    assert page(worker_2, town.host)[0] == "hit"  # the copy
    status, body = page(worker_2, other.host)
    assert status == "miss" and "Stadt L" in body and "Stadt K" not in body
    with worker_1.app_context():
        tenant = db.session.get(Tenant, town_id)
        assert tenant is not None
        tenant.name = "Stadt K neu"
        db.session.commit()
        db.session.remove()
    for worker in (worker_1, worker_2):
        status, body = page(worker, town.host)
        assert "Stadt K neu" in body
    assert page(worker_2, town.host)[0] == "hit"


def test_a_cache_outage_still_serves_the_page(app: Flask, app_config: dict[str, Any]) -> None:
    from projektfabrik.testing import free_port

    config = {**app_config, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    application = create_app(config)
    with application.app_context():
        town = make_town(application, "stadt-d", "Stadt D", ["stadt-d.test"])
        cache = application.extensions[EXTENSION]
        calls = []
        real_get = cache.store.get

        def counting_get(key: str) -> bytes | None:
            calls.append(key)
            return real_get(key)

        cache.store.get = counting_get
        client = application.test_client()
        for _ in range(5):
            response = client.get("/projekte", base_url=f"http://{town.host}")
            assert response.status_code == 200
            assert response.headers[STATUS_HEADER] == "miss"
        # After the first failure the store is left alone, not asked (and
        # waited for) on every request.
        assert len(calls) == 1
        db.session.remove()
