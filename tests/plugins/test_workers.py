"""A switch made in one worker is seen by every other worker on its next request.

First with two app instances in this process over the same database (fast),
then with two real gunicorn servers, each one worker process, where the
switch is made through the first one's admin page.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask

from projektfabrik.accounts.models import Role
from projektfabrik.app import create_app
from projektfabrik.testing import TEST_PASSWORD, HostClient, Town, free_port, login, use_plugin


def test_two_app_instances_share_nothing_but_the_database(
    app: Flask, app_config: dict[str, Any], town_a: Town
) -> None:
    use_plugin(town_a, "pinnwand", enabled=False)
    admin = town_a.user(role=Role.ADMIN)
    other_app = create_app(app_config)
    other_app.test_client_class = HostClient
    other = Town(tenant=town_a.tenant, host=town_a.host, app=other_app)

    reader = other.client()
    assert reader.get("/pinnwand/").status_code == 404  # warm: the other "worker" has served
    writer = town_a.client()
    login(writer, admin.email)
    assert (
        writer.post("/verwaltung/module/pinnwand/schalten", data={"enabled": "1"}).status_code
        == 302
    )
    assert reader.get("/pinnwand/").status_code == 200
    assert 'href="/pinnwand/"' in reader.get("/").get_data(as_text=True)
    writer.post("/verwaltung/module/pinnwand/schalten", data={"enabled": "0"})
    assert reader.get("/pinnwand/").status_code == 404
    assert 'href="/pinnwand/"' not in reader.get("/").get_data(as_text=True)


# --- real gunicorn -----------------------------------------------------------------


@dataclass
class Browser:
    """Just enough HTTP for a form login: one host, cookies, no redirects followed."""

    port: int
    host: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Any:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response

    def csrf(self, path: str) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.request("GET", path).text)
        assert match, f"no form on {path}"
        return match.group(1)


@pytest.fixture
def gunicorn_pair(app: Flask, app_config: dict[str, Any], tmp_path: Path) -> Iterator[list[int]]:
    env = {
        **os.environ,
        "PROJEKTFABRIK_DATABASE_URL": app_config["DATABASE_URL"],
        "PROJEKTFABRIK_SECRET_KEY": "shared-by-every-worker",
        "PROJEKTFABRIK_TENANTS_DIR": app_config["TENANTS_DIR"],
        "PROJEKTFABRIK_UPLOADS_DIR": app_config["UPLOADS_DIR"],
        "PROJEKTFABRIK_RATELIMIT_ENABLED": "false",
        "PROJEKTFABRIK_SMTP_URL": app_config["SMTP_URL"],
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
            + ["--chdir", str(tmp_path), "projektfabrik.wsgi:app"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_until_up(port, server, tmp_path / f"gunicorn-{port}.log")
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def _wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn on {port} did not come up: {log.read_text()}")


@pytest.mark.slow
def test_a_switch_through_one_gunicorn_worker_is_seen_by_the_other(
    town_a: Town, gunicorn_pair: list[int]
) -> None:
    use_plugin(town_a, "pinnwand", enabled=False)
    admin = town_a.user(role=Role.ADMIN)
    first, second = (Browser(port, town_a.host) for port in gunicorn_pair)

    assert second.request("GET", "/pinnwand/").status == 404

    token = first.csrf("/anmelden")
    form = {"csrf_token": token, "email": admin.email, "password": TEST_PASSWORD}
    assert first.request("POST", "/anmelden", form).status == 302
    token = first.csrf("/verwaltung/module")
    form = {"csrf_token": token, "enabled": "1"}
    assert first.request("POST", "/verwaltung/module/pinnwand/schalten", form).status == 302

    assert second.request("GET", "/pinnwand/").status == 200
    assert 'href="/pinnwand/"' in second.request("GET", "/").text

    form = {"csrf_token": first.csrf("/verwaltung/module"), "enabled": "0"}
    assert first.request("POST", "/verwaltung/module/pinnwand/schalten", form).status == 302
    assert second.request("GET", "/pinnwand/").status == 404
    assert 'href="/pinnwand/"' not in second.request("GET", "/").text
