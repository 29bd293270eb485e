"""Two app machines behind nginx, and what happens when a part fails.

One deployment of our own for the whole module (``projektfabrik.testing_cluster``):
a PostgreSQL cluster, Redis, an SMTP server, moto's S3 server, two gunicorns
(two workers each) on the same database, Redis and S3 bucket, nginx with the proxy settings
of ``deploy/nginx.conf``, and the mail worker; the demo towns seeded. The
machine's shared PostgreSQL and Redis are never touched.

First the checks across the two machines, then the faults in an order that
leaves the deployment usable for the next one (the standby's promotion last).
The figures each fault test measures are printed (``pytest -s``) and, with
``PROJEKTFABRIK_FAULT_FIGURES=file.json``, written to a file; they are in
docs/operations.md, "What happens when a part fails".

Runs in the PostgreSQL part of ``dev.py test`` (it needs PostgreSQL's programs,
and makes its own cluster with them), marked slow.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from projektfabrik.accounts import guards
from projektfabrik.outage import OUTAGE_PAUSE_SECONDS
from projektfabrik.testing_cluster import Cluster, Load, Person, cluster, wait_until

from .pausing_app import HEADER as PAUSE_HEADER

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cluster")]

HERE = Path(__file__).resolve().parent
PASSWORD = "demo-passwort"
#: Documented lag for visitors' cached pages (PAGE_CACHE_RECHECK_SECONDS, default 2).
RECHECK_SECONDS = 2.0
#: Pages the load asks for: the landing page, the marketplace, a project, a module.
LOAD_PATHS = ["/", "/projekte", "/projekte/1", "/pinnwand/", "/projekte/2"]
#: Seconds of load after the database is back, in which nothing may fail.
AFTER_THE_FAULT = 4.0
#: The mail worker's SMTP timeout in this deployment (testing_cluster sets it).
SMTP_TIMEOUT = 3.0


def _missing_programs() -> list[str]:
    wanted = ["nginx", "redis-server", "initdb", "pg_ctl", "pg_basebackup"]
    found = {
        name: shutil.which(name)
        or next(iter(Path("/usr/lib/postgresql").glob(f"*/bin/{name}")), None)
        or (Path("/usr/sbin") / name if (Path("/usr/sbin") / name).exists() else None)
        for name in wanted
    }
    return [name for name, path in found.items() if not path]


@pytest.fixture(scope="module")
def deployment() -> Iterator[Cluster]:
    if not os.environ.get("PROJEKTFABRIK_TEST_DATABASE_URL"):
        pytest.skip("runs in the PostgreSQL part of the tests (it starts its own cluster)")
    missing = _missing_programs()
    if missing:
        why = f"not installed: {', '.join(missing)} (.ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    pauses = Path(tempfile.mkdtemp(prefix="pf-pauses-"))
    extra = {"PYTHONPATH": str(HERE), "PF_TEST_PAUSE_DIR": str(pauses)}
    try:
        with cluster(wsgi="pausing_app:app", extra_env=extra) as made:
            yield made
    finally:
        shutil.rmtree(pauses, ignore_errors=True)


@pytest.fixture(scope="module")
def figures() -> Iterator[dict[str, Any]]:
    found: dict[str, Any] = {}
    yield found
    print("\nfault figures:\n" + json.dumps(found, indent=2))
    target = os.environ.get("PROJEKTFABRIK_FAULT_FIGURES")
    if target:
        Path(target).write_text(json.dumps(found, indent=2) + "\n")


def _host(deployment: Cluster, town: str = "musterstadt") -> str:
    return f"{town}.localhost:{deployment.nginx.port}"


def _address() -> str:
    """A client address of its own (TEST-NET-2), so rate limits count each person apart."""
    return f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"


def _person(deployment: Cluster, email: str | None = None, via: str | None = None) -> Person:
    """A browser through nginx (or ``via``). Signing in goes straight to an app
    server, with the person's own address: through nginx everyone here is
    127.0.0.1, and the login form allows 10 tries per address in 15 minutes."""
    person = Person(via or deployment.nginx.base, _host(deployment), address=_address())
    if email:
        person.login(email, PASSWORD, via=deployment.apps[0].base)
    return person


def _project_number(deployment: Cluster, title: str) -> int:
    return int(deployment.postgres.sql(f"SELECT number FROM project WHERE title = '{title}'"))


# --- two machines ------------------------------------------------------------------------


def test_a_login_made_on_one_machine_is_valid_on_the_other(deployment: Cluster) -> None:
    a, b = deployment.apps
    person = _person(deployment, via=a.base)
    assert person.get("/profil", via=b.base).status_code == 302  # not signed in yet
    person.login("lena@musterstadt.example", PASSWORD, via=a.base)
    page = person.get("/profil", via=b.base)
    assert page.status_code == 200 and "/abmelden" in page.text
    # Signing out on B ends the session for A too (it is a row in the database).
    person.post("/abmelden", {}, via=b.base, form_from="/profil")
    assert person.get("/profil", via=a.base).status_code == 302


def test_a_module_switched_on_one_machine_is_on_for_the_other(
    deployment: Cluster, figures: dict[str, Any]
) -> None:
    a, b = deployment.apps
    admin = _person(deployment, via=b.base)
    admin.login("admin@musterstadt.example", PASSWORD, via=b.base)
    member = _person(deployment, via=a.base)
    member.login("lena@musterstadt.example", PASSWORD, via=a.base)
    visitor = _person(deployment, via=a.base)
    assert visitor.get("/pinnwand/").status_code == 200
    lags = {}
    for position, status in (("0", 404), ("1", 200)):
        switched = admin.post(
            "/verwaltung/module/pinnwand/schalten", {"enabled": position},
            via=b.base, form_from="/verwaltung/module",
        )  # fmt: skip
        assert switched.status_code == 302, switched.text[:500]
        # Signed in: the next request on the other machine knows it.
        assert member.get("/pinnwand/").status_code == status
        # A visitor's cached page: within the documented recheck time.
        lags[position] = wait_until(
            lambda status=status: visitor.get("/pinnwand/").status_code == status,
            RECHECK_SECONDS + 5, "visitor sees the switch", step=0.05,
        )  # fmt: skip
    figures["module switch lag for visitors (s)"] = {
        "off": round(lags["0"], 2), "on": round(lags["1"], 2)
    }  # fmt: skip
    # Polling adds its own step; the recheck interval is the bound.
    assert max(lags.values()) <= RECHECK_SECONDS + 1.0


def test_a_page_cached_by_one_machine_is_ended_by_a_change_on_the_other(
    deployment: Cluster,
) -> None:
    a, b = deployment.apps
    number = _project_number(deployment, "Gemeinschaftsgarten am Hafen")
    page = f"/projekte/{number}?besuch={uuid.uuid4().hex[:8]}"
    visitor_a = _person(deployment, via=a.base)
    visitor_b = _person(deployment, via=b.base)
    assert visitor_a.get(page).headers.get("X-Page-Cache") == "miss"
    served = visitor_b.get(page)  # rendered by A, kept in Redis, served by B
    assert served.status_code == 200 and served.headers.get("X-Page-Cache") == "hit"

    words = f"Kommentar über Maschine B {uuid.uuid4().hex[:6]}"
    writer = _person(deployment, via=b.base)
    writer.login("jonas@musterstadt.example", PASSWORD, via=b.base)
    sent = writer.post(
        f"/projekte/{number}/kommentare", {"body": words},
        via=b.base, form_from=f"/projekte/{number}",
    )  # fmt: skip
    assert sent.status_code == 302, sent.text[:500]
    wait_until(lambda: words in visitor_a.get(page).text, RECHECK_SECONDS + 5, "new comment on A")


def test_rate_limits_are_counted_together(deployment: Cluster) -> None:
    limit = int(guards.LOGIN_PER_CLIENT.split()[0])
    address = "203.0.113.77"  # one client, as the proxy names it to both machines
    statuses = []
    for attempt in range(limit + 2):
        app = deployment.apps[attempt % 2]
        person = Person(app.base, _host(deployment), address=address)
        answer = person.post(
            "/anmelden", {"email": f"niemand{attempt}@example.org", "password": "falsch!"}
        )
        statuses.append(answer.status_code)
    # Counted per machine, each would allow ``limit``: 2 x limit in all.
    assert statuses == [200] * limit + [429, 429]


def test_a_file_uploaded_through_one_machine_is_downloaded_through_the_other(
    deployment: Cluster,
) -> None:
    a, b = deployment.apps
    number = _project_number(deployment, "Hausaufgabenhilfe im Nordviertel")
    lead = _person(deployment, via=a.base)
    lead.login("fatima@musterstadt.example", PASSWORD, via=a.base)
    content = f"Protokoll vom Treffen {uuid.uuid4().hex}\n".encode()
    files = f"/projekte/{number}/teamraum/dateien"
    sent = lead.post(
        files, {}, via=a.base, files={"file": ("protokoll.txt", content, "text/plain")}
    )
    assert sent.status_code == 302, sent.text[:1000]
    listing = lead.get(files, via=b.base).text
    link = re.search(rf'href="({re.escape(files)}/[^"/]+/protokoll\.txt)"', listing)
    assert link, listing[:2000]
    fetched = lead.get(link.group(1), via=b.base)
    assert fetched.status_code == 200 and fetched.content == content
    # It went through the shared bucket, not a folder the two happen to share.
    assert content in _bucket_contents(deployment, len(content))
    assert not (deployment.folder / "shared" / "uploads").exists()


def _bucket_contents(deployment: Cluster, size: int) -> list[bytes]:
    """The files of that size in the deployment's part of the bucket."""
    import boto3

    assert deployment.s3 is not None
    settings = deployment.s3.config("cluster")
    client = boto3.client(
        "s3", endpoint_url=settings["S3_ENDPOINT_URL"], region_name=settings["S3_REGION"],
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=settings["S3_BUCKET"], Prefix="cluster/"
    )
    return [
        client.get_object(Bucket=settings["S3_BUCKET"], Key=item["Key"])["Body"].read()
        for page in pages
        for item in page.get("Contents", [])
        if item["Size"] == size
    ]


# --- faults --------------------------------------------------------------------------------


def _queue_reset_mails(deployment: Cluster, people: list[str]) -> list[float]:
    """Ask for a new password for each person (one mail each); the pages' durations.

    Straight at the app servers in turn, each from its own client address: through
    nginx every request comes from 127.0.0.1, and these forms are rate limited."""
    durations = []
    for local in people:
        app = deployment.apps[len(local) % 2]
        asker = Person(app.base, _host(deployment), address=_address())
        started = time.monotonic()
        answer = asker.post("/passwort-vergessen", {"email": f"{local}@musterstadt.example"})
        durations.append(time.monotonic() - started)
        assert answer.status_code == 302, answer.text[:500]
    return durations


def _outbox(deployment: Cluster, after_id: int) -> list[tuple[str, int, bool]]:
    """This test's mail: (recipient, attempts, sent) per row."""
    rows = deployment.postgres.sql(
        "SELECT recipient, attempts, sent_at IS NOT NULL FROM outbox_message"
        f" WHERE id > {after_id} ORDER BY id"
    )
    found = []
    for line in rows.splitlines():
        recipient, attempts, sent = line.split("|")
        found.append((recipient, int(attempts), sent == "t"))
    return found


def test_mail_server_down_then_hanging_then_back(
    deployment: Cluster, figures: dict[str, Any]
) -> None:
    smtp = deployment.smtp
    first = int(deployment.postgres.sql("SELECT coalesce(max(id), 0) FROM outbox_message"))
    smtp.down()
    down = _queue_reset_mails(deployment, ["lena", "jonas", "fatima"])

    def tried(count: int) -> bool:
        rows = _outbox(deployment, first)
        return len(rows) == count and all(attempts >= 1 and not sent for _, attempts, sent in rows)

    wait_until(lambda: tried(3), 30, "the worker tried and failed")
    smtp.hang()
    hanging = _queue_reset_mails(deployment, ["tischlerei", "baeckerei", "moderation"])
    wait_until(lambda: tried(6), 90, "the worker timed out")
    # The pages answered without waiting for the mail server: well inside the
    # worker's SMTP timeout, which any page talking to SMTP would have waited for.
    assert max(down + hanging) < SMTP_TIMEOUT
    smtp.mailbox.clear()

    smtp.up()
    # Their next attempt is due in 2 minutes (the back-off); move it to now, as if
    # the time had passed, and wake the worker as a new mail would.
    deployment.postgres.sql(
        f"UPDATE outbox_message SET next_attempt_at = now() WHERE id > {first};"
        " NOTIFY projektfabrik_outbox"
    )
    back = time.monotonic()
    wait_until(lambda: all(sent for *_, sent in _outbox(deployment, first)), 60, "all sent")
    delivered = time.monotonic() - back
    time.sleep(3)  # room for a mail sent twice to show up
    recipients = sorted(str(m["To"]).split("@")[0] for m in smtp.mailbox.messages)
    assert recipients == sorted(
        ["lena", "jonas", "fatima", "tischlerei", "baeckerei", "moderation"]
    )
    ids = [str(m["Message-ID"]) for m in smtp.mailbox.messages]
    assert len(set(ids)) == len(ids)
    figures["mail"] = {
        "page with the form, SMTP down, slowest (s)": round(max(down), 2),
        "page with the form, SMTP hanging, slowest (s)": round(max(hanging), 2),
        "all six delivered after it came back (s)": round(delivered, 2),
        "lost": 0,
        "sent twice": 0,
    }


def test_redis_goes_away_and_comes_back(deployment: Cluster, figures: dict[str, Any]) -> None:
    host = _host(deployment)
    targets = [deployment.nginx.base, *(app.base for app in deployment.apps)]
    load = Load(targets, host, LOAD_PATHS, threads=3, max_seconds=90).start()
    back = gone = 0.0
    try:
        time.sleep(2)
        deployment.redis.stop()
        gone = load.now()
        # Pages are rendered without the cache; signing in works (limits let it through).
        probe = _person(deployment)
        assert probe.get("/").status_code == 200
        probe.login("lena@musterstadt.example", PASSWORD, via=deployment.apps[1].base)
        assert probe.get("/profil").status_code == 200
        time.sleep(3)
        deployment.redis.start()
        back = load.now()
        # The app's clients reconnect on their own; a login counts in Redis again.
        probe.post("/abmelden", {}, form_from="/profil")
        probe.login("lena@musterstadt.example", PASSWORD, via=deployment.apps[1].base)
        # The page cache rests OUTAGE_PAUSE_SECONDS after a failure, then is used again.
        page = f"/?nach-redis={uuid.uuid4().hex[:6]}"
        visitor = _person(deployment, via=deployment.apps[0].base)

        def cached() -> bool:
            visitor.get(page)
            return bool(visitor.get(page).headers.get("X-Page-Cache") == "hit")

        recovered = wait_until(cached, OUTAGE_PAUSE_SECONDS + 15, "page cache used again")
        time.sleep(1)
    finally:
        outcomes = load.stop()
        if deployment.redis.process is None:  # leave it running for the next test
            deployment.redis.start()
    failed = load.failed()
    # Rate limits are counted in Redis again: one client's login posts, spread
    # over both machines, reach the limit together. Not at once: each worker's
    # Flask-Limiter asks Redis again after a back-off that doubles per failed
    # check (up to 32 s), so each round is a new client until one is counted
    # together (a round counted in memory lets all 11 through).
    limit = int(guards.LOGIN_PER_CLIENT.split()[0])
    rounds: list[list[int]] = []

    def counted_together() -> bool:
        address = f"203.0.113.{100 + len(rounds)}"
        rounds.append(
            [
                Person(deployment.apps[i % 2].base, host, address=address)
                .post("/anmelden", {"email": f"wer{i}@example.org", "password": "falsch!"})
                .status_code
                for i in range(limit + 1)
            ]
        )
        return rounds[-1] == [200] * limit + [429]

    limits_back = wait_until(counted_together, 60, "rate limits counted in Redis", step=1.0)
    # Before that, a round is all 200 (counted per worker), never anything else.
    assert all(r == [200] * (limit + 1) for r in rounds[:-1]), rounds
    figures["redis"] = {
        "requests": len(outcomes),
        "failed": len(failed),
        "down for (s)": round(back - gone, 1),
        "page cache used again after Redis was back (s)": round(recovered, 1),
        "rate limits counted in Redis again, after the checks (s)": round(limits_back, 1),
    }
    assert failed == [], failed[:5]


def test_a_worker_killed_mid_request_rolls_back_and_is_replaced(
    deployment: Cluster, figures: dict[str, Any]
) -> None:
    number = _project_number(deployment, "Gemeinschaftsgarten am Hafen")
    planner = _person(deployment, "lena@musterstadt.example")
    form = f"/projekte/{number}/plan/eintraege/arbeitspakete/neu"
    count = "SELECT count(*) FROM plan_work_package WHERE name = '{}'"
    versions = "SELECT count(*) FROM plan_version"
    name = f"Beete bauen {uuid.uuid4().hex[:6]}"
    before_versions = deployment.postgres.sql(versions)
    pauses = Path(deployment.extra_env["PF_TEST_PAUSE_DIR"])
    for marker in pauses.iterdir():
        marker.unlink()
    targets = [deployment.nginx.base, *(app.base for app in deployment.apps)]
    load = Load(targets, _host(deployment), LOAD_PATHS, threads=3, max_seconds=60).start()
    answer: dict[str, Any] = {}

    def save() -> None:
        answer["response"] = planner.post(
            form, {"name": name, "description": "", "responsible": ""},
            headers={PAUSE_HEADER: "30"},
        )  # fmt: skip

    try:
        saving = threading.Thread(target=save)
        saving.start()
        wait_until(lambda: any(pauses.iterdir()), 30, "the save paused after its flush")
        marker = next(pauses.iterdir())
        pid = int(marker.name)
        server = next(app for app in deployment.apps if pid in app.workers())
        killed = load.now()
        os.kill(pid, signal.SIGKILL)
        saving.join(40)
        replaced = wait_until(
            lambda: pid not in server.workers() and len(server.workers()) == 2,
            60, "worker replaced",
        )  # fmt: skip
        time.sleep(1)
    finally:
        load.stop()
    # nginx does not send a POST to the other machine once it reached one: 502.
    assert answer["response"].status_code == 502
    # Nothing of the killed request's transaction stayed.
    assert deployment.postgres.sql(count.format(name)) == "0"
    assert deployment.postgres.sql(versions) == before_versions
    # The person sends it again: saved once.
    again = planner.post(form, {"name": name, "description": "", "responsible": ""})
    assert again.status_code == 302, again.text[:500]
    assert deployment.postgres.sql(count.format(name)) == "1"
    failed = load.failed()
    figures["worker killed"] = {
        "requests": len(load.outcomes),
        "failed besides the killed one": len(failed),
        "worker replaced after (s)": round(replaced, 1),
        "killed at (s into the load)": round(killed, 1),
    }
    assert failed == [], failed[:5]


class Writer:
    """A signed-in person writing comments one after the other through nginx,
    remembering which were confirmed (answered 302): those must never be lost."""

    def __init__(self, deployment: Cluster, number: int) -> None:
        self.person = _person(deployment, "jonas@musterstadt.example")
        self.number = number
        self.confirmed: list[str] = []
        self.refused = 0
        #: Refusals that were not the app's 503 page (a 500, a 502, no answer).
        self.unclean: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Writer:
        self._thread.start()
        return self

    def _run(self) -> None:
        import requests

        while not self._stop.is_set():
            words = f"Schreibprobe {uuid.uuid4().hex[:10]}"
            try:
                sent = self.person.post(
                    f"/projekte/{self.number}/kommentare", {"body": words},
                    form_from=f"/projekte/{self.number}",
                )  # fmt: skip
            except requests.RequestException:
                self.refused += 1
                self.unclean.append(0)
                continue
            if sent.status_code == 302:
                self.confirmed.append(words)
            else:
                self.refused += 1
                # The form page itself may have been the 503 page: then the post
                # has no CSRF token (400, nothing saved); a 5xx must be the 503.
                if sent.status_code >= 500 and not (
                    sent.status_code == 503 and sent.headers.get("Retry-After")
                ):
                    self.unclean.append(sent.status_code)
            time.sleep(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(60)


def _database_fault(deployment: Cluster, figures: dict[str, Any], name: str, fault: Any) -> None:
    """Load and writes at both machines while ``fault`` runs; then the checks."""
    number = _project_number(deployment, "Reparaturcafé Neustadt")
    targets = [deployment.nginx.base, *(app.base for app in deployment.apps)]
    load = Load(targets, _host(deployment), LOAD_PATHS, threads=4, max_seconds=120).start()
    writer = Writer(deployment, number).start()
    try:
        time.sleep(2)  # every thread and the writer under way
        began = load.now()
        fault()
        back = load.now()
        # Long enough for every worker's pooled connections to be tried again
        # (~100 requests); a proxy that took both machines out would answer 502
        # from the first request on (nginx keeps them out for fail_timeout, 10 s).
        time.sleep(AFTER_THE_FAULT)
    finally:
        writer.stop()
        load.stop()
    failed = load.failed()
    after = load.failed(after=back)
    unclean = [o for o in failed if not o.clean]
    kept = deployment.postgres.sql(
        "SELECT body FROM comment WHERE body LIKE 'Schreibprobe %'"
    ).splitlines()
    lost = sorted(set(writer.confirmed) - set(kept))
    last_failure = max((o.started + o.seconds for o in failed), default=began)
    figures[name] = {
        "requests": len(load.outcomes),
        "failed": len(failed),
        "failed after the database was back": len(after),
        "statuses of the failed": sorted({o.status for o in failed}),
        "database away for (s)": round(back - began, 1),
        "last failure after the fault began (s)": round(last_failure - began, 1),
        "writes confirmed": len(writer.confirmed),
        "writes refused (to be sent again)": writer.refused,
        "statuses of the refused writes that were no 503 page": writer.unclean,
        "confirmed writes lost": len(lost),
    }
    assert unclean == [], unclean[:5]
    assert writer.unclean == [], writer.unclean
    assert after == [], after[:5]
    assert lost == []
    assert writer.confirmed, "no write got through at all"


def test_postgres_restarts(deployment: Cluster, figures: dict[str, Any]) -> None:
    _database_fault(deployment, figures, "postgres restart", deployment.postgres.restart)


def test_postgres_killed_then_started(deployment: Cluster, figures: dict[str, Any]) -> None:
    def fault() -> None:
        deployment.postgres.kill()
        deployment.postgres.start()

    _database_fault(deployment, figures, "postgres SIGKILL", fault)


def test_a_standby_is_promoted(deployment: Cluster, figures: dict[str, Any]) -> None:
    primary = deployment.postgres
    standby = primary.standby(deployment.standby_port)
    deployment.spare.append(standby)  # removed at the end, whatever happens here
    standby.start()
    wait_until(lambda: standby.sql("SELECT pg_is_in_recovery()") == "t", 60, "standby streaming")

    def fault() -> None:
        primary.stop("fast")  # a clean stop sends every committed change first
        standby.promote()
        deployment.spare.append(primary)
        deployment.postgres = standby

    _database_fault(deployment, figures, "standby promoted", fault)
    assert standby.sql("SELECT pg_is_in_recovery()") == "f"
