"""/metrics: only with the operator's token; per route rule, never a town or a
person; summed over every gunicorn worker."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.mail.outbox import queue_mail
from projektfabrik.testing import HostClient, Town, free_port

TOKEN = "metrics-token-for-the-test"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "METRICS_TOKEN": TOKEN}


def _scrape(app: Flask, token: str | None = TOKEN) -> Any:
    client = app.test_client()
    client.base_url = "http://10.0.0.5"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/metrics", headers=headers)


def test_metrics_need_the_token_and_name_no_town(app: Flask, town_a: Town) -> None:
    assert _scrape(app, None).status_code == 404
    assert _scrape(app, "wrong").status_code == 404
    client = town_a.client()
    client.get("/")
    client.get("/projekte/999999")
    with town_a.context():
        queue_mail("a@example.org", "S", "T")
        db.session.commit()
    answer = _scrape(app)
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert (
        'projektfabrik_request_duration_seconds_count{method="GET",route="/",status="2xx"}' in text
    )
    assert 'route="/projekte/<int:number>",status="4xx"' in text
    assert re.search(r"^projektfabrik_mail_waiting\s+[1-9]", text, re.MULTILINE)
    assert "projektfabrik_mail_oldest_waiting_seconds" in text
    for private in (town_a.host, town_a.slug, "a@example.org", "/projekte/999999"):
        assert private not in text


def test_without_a_token_there_is_no_metrics_endpoint(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "METRICS_TOKEN": ""})
    app.test_client_class = HostClient
    assert _scrape(app).status_code == 404


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Connection": "close", **(headers or {})})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response.status, body


@pytest.mark.slow
def test_the_numbers_of_every_gunicorn_worker_add_up(
    app: Flask, app_config: dict[str, Any], tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PROJEKTFABRIK_DATABASE_URL": app_config["DATABASE_URL"],
        "PROJEKTFABRIK_SECRET_KEY": "shared",
        "PROJEKTFABRIK_TENANTS_DIR": app_config["TENANTS_DIR"],
        "PROJEKTFABRIK_UPLOADS_DIR": app_config["UPLOADS_DIR"],
        "PROJEKTFABRIK_METRICS_TOKEN": TOKEN,
        "PROJEKTFABRIK_BIND": f"127.0.0.1:{port}",
        "PROJEKTFABRIK_WORKERS": "3",
        # The test schema comes from create_all, without Alembic's revisions.
        "PROJEKTFABRIK_SCHEMA_CHECK": "0",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=open(log, "w"),  # noqa: SIM115
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        for _ in range(30):
            assert _get(port, "/healthz")[0] == 200
        status, text = _get(port, "/metrics", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200
        count = re.search(
            r'^projektfabrik_request_duration_seconds_count\{method="GET",route="/healthz",'
            r'status="2xx"\} (\d+)',
            text,
            re.MULTILINE,
        )
        assert count is not None, text[:2000]
        # 30 here plus those that found the server up; from all three workers.
        assert int(float(count.group(1))) >= 31
    finally:
        server.terminate()
        server.wait(timeout=30)
