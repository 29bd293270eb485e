"""Bad input never gives a server error: every route of the core and of every
installed plugin, anonymously, as a member and as an admin.

The routes come from ``app.url_map``, so a new route (or a new plugin) is
covered without touching this file. Good values for the URL variables and the
fields of each route's forms come from crawling the demo town (Musterstadt,
both plugins switched on); each variable and each field then gets bad values
in turn: NUL bytes, CR/LF, numbers beyond the database's range, negative
numbers, overlong strings, bytes that are not UTF-8, lists where one value is
expected. A fixed sweep covers every route with every kind of bad value;
hypothesis adds random combinations on top. Any 5xx fails the test, with the
request that caused it.
"""

from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from projektfabrik.app import create_app
from projektfabrik.config import REPO_ROOT
from projektfabrik.demo import DEMO_PASSWORD, seed
from projektfabrik.inputguard import DB_INT_MAX
from projektfabrik.testing import HostClient, login

HOST = "musterstadt.localhost"
ADMIN = "admin@musterstadt.example"
MEMBER = "lena@musterstadt.example"  # owner of a demo project, an ordinary member of the town

#: Bad values for a URL variable, already URL-encoded as they appear in the path.
BAD_PATH = {
    "int": ["99999999999999999999", str(DB_INT_MAX + 1)],
    "text": ["%00", "a%0D%0Ab", "x" * 3000],
}
#: Bad values for a query parameter or form field (plain text; encoded when sent).
BAD_VALUES = [
    "a\x00b",
    "/\r\nLocation: http://evil.example",
    "99999999999999999999",
    "x" * 5000,
    "ä€😀\u202e",
    "null",
]
#: Raw query strings and form bodies that are not UTF-8 (the guard must answer 400).
NOT_UTF8 = "%FF%FE%C3%28"
#: Routes that change who is logged in or switch things off: run after all others.
DISRUPTIVE = {
    "accounts.logout",
    "accounts.delete_account",
    "accounts.change_password",
    "accounts.change_email",
    "admin.switch_module",
    "teams.leave",
    "teams.close",
    "teams.step_down",
    "teams.hand_over",
    "marketplace.change_status",
}
#: Query parameters every route may be sent, besides its forms' fields.
COMMON_ARGS = ["next", "seite", "suche", "status", "sortierung", "format", "ref"]


# --- what the demo town offers ---------------------------------------------------


class FormParser(HTMLParser):
    """Links and forms (action, method, fields with their values) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._form: tuple[str, str, dict[str, str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = (a.get("action", ""), a.get("method", "get").upper(), {})
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self._form[2].setdefault(a["name"], "")
            elif a.get("type") != "file":
                self._form[2][a["name"]] = a.get("value", "")
            if tag == "select":
                self._select = a["name"]
        elif (
            tag == "option"
            and self._form is not None
            and self._select
            and (not self._form[2].get(self._select) or "selected" in a)
        ):
            self._form[2][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class Known:
    """Good URL values per endpoint and the fields of its forms, from a crawl."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    fields: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def learn(self, app: Flask, url: str, method: str, form: dict[str, str] | None) -> None:
        adapter = app.url_map.bind(HOST)
        try:
            endpoint, values = adapter.match(urlsplit(url).path, method=method)
        except HTTPException:
            return
        except Exception:  # a redirect rule and the like: nothing to learn
            return
        self.values.setdefault(endpoint, {k: str(v) for k, v in values.items()})
        for name, value in values.items():
            self.by_name.setdefault(name, str(value))
        if form:
            self.fields[endpoint].update(form)


SKIP_CRAWL = re.compile(r"\.(pdf|csv|xlsx|json|atom|ics|png|jpg|css|js)$|^/static/|abmelden")


def crawl(app: Flask, client: HostClient, known: Known, limit: int) -> None:
    queue, seen = ["/"], set()
    while queue and len(seen) < limit:
        url = queue.pop(0).split("#")[0]
        if url in seen or SKIP_CRAWL.search(urlsplit(url).path):
            known.learn(app, url, "GET", None)
            continue
        seen.add(url)
        known.learn(app, url, "GET", None)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = FormParser()
        parser.feed(response.get_data(as_text=True))
        for action, method, fields in parser.forms:
            target = action or url
            known.learn(app, target, method, fields)
            if method == "GET":
                queue.append(target)
        queue += [link for link in parser.links if link.split("#")[0] not in seen]


def kind_of(rule: Rule, name: str) -> str:
    return "int" if type(rule._converters[name]).__name__.endswith("IntegerConverter") else "text"


def build_path(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with ``values`` put in as they are (already encoded)."""
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(r"<(?:[^:<>]+:)?" + re.escape(name) + r">", values[name], path)
    return path


def good_values(rule: Rule, known: Known) -> dict[str, str]:
    """Values the demo links to for this route; else values of the same name from
    other routes; else a plausible placeholder (tokens are mailed, never linked)."""
    found = known.values.get(rule.endpoint)
    if found is not None:
        return {k: quote(v, safe="/") for k, v in found.items()}
    return {
        name: quote(
            known.by_name.get(name, "1" if kind_of(rule, name) == "int" else "abc"), safe="/"
        )
        for name in rule.arguments
    }


# --- sending ---------------------------------------------------------------------


HEALTH_CHECKS = {"/healthz", "/readyz"}


@dataclass
class Prober:
    app: Flask
    client: HostClient
    email: str | None
    failures: list[str] = field(default_factory=list)
    sent: int = 0

    def send(self, method: str, path: str, **kwargs: Any) -> None:
        self.sent += 1
        if os.environ.get("BAD_INPUT_LOG"):
            with open(os.environ["BAD_INPUT_LOG"], "a") as log:
                log.write(f"{time.monotonic():.2f} {self.who} {method} {path[:80]}\n")
        try:
            response = self.client.open(path, method=method, **kwargs)
        except Exception as error:  # the test client re-raises what the app did not handle
            self.failures.append(f"{self.who} {method} {path} {_short(kwargs)}: raised {error!r}")
            return
        # The health checks answer 503 by design when the deployment is not ready (the
        # test database is made without Alembic's revisions); a crash is still 500.
        probe = path.split("?", 1)[0] in HEALTH_CHECKS and response.status_code == 503
        if response.status_code >= 500 and not probe:
            self.failures.append(
                f"{self.who} {method} {path} {_short(kwargs)}: {response.status_code}"
            )
        if self.email and method == "POST" and not self.client.get_cookie("session"):
            login(self.client, self.email, DEMO_PASSWORD)  # logged out by the probe

    @property
    def who(self) -> str:
        return self.email or "anonymous"


def _short(kwargs: dict[str, Any]) -> str:
    text = repr(kwargs)
    return text if len(text) < 300 else text[:300] + "…"


def methods_of(rule: Rule) -> list[str]:
    return sorted(m for m in rule.methods or () if m in ("GET", "POST"))


def sweep(
    prober: Prober, rules: list[Rule], known: Known, bad_values: list[str], each_field: bool
) -> None:
    """Every route: each URL variable with each bad value; its fields with bad values
    (all at once with each value; with ``each_field`` also one field at a time)."""
    for rule in rules:
        good = good_values(rule, known)
        fields = {**dict.fromkeys(COMMON_ARGS, ""), **known.fields.get(rule.endpoint, {})}
        for method in methods_of(rule):
            for name in sorted(rule.arguments):
                for bad in BAD_PATH[kind_of(rule, name)]:
                    prober.send(method, build_path(rule, {**good, name: bad}))
            path = build_path(rule, good)
            prober.send(method, path, environ_overrides={"PATH_INFO": path + "\xff"})
            prober.send(method, path, query_string=f"next={NOT_UTF8}")
            send = "data" if method == "POST" else "query_string"
            for bad in bad_values:
                values = dict.fromkeys(fields, bad)
                prober.send(method, path, **{send: values if send == "data" else urlencode(values)})
            if method == "POST":
                prober.send(method, path, data=dict.fromkeys(fields, [BAD_VALUES[0], "2"]))
                prober.send(
                    method,
                    path,
                    data=f"{next(iter(fields))}={NOT_UTF8}",
                    content_type="application/x-www-form-urlencoded",
                )
            if not each_field:
                continue
            for i, name in enumerate(fields):
                if name in COMMON_ARGS and method == "POST":
                    continue
                values = {**fields, name: BAD_VALUES[i % len(BAD_VALUES)]}
                prober.send(method, path, **{send: values if send == "data" else urlencode(values)})


def explore(prober: Prober, rules: list[Rule], known: Known, examples: int) -> None:
    """Random combinations (hypothesis): a route, a method, and values of any kind."""
    anything = st.one_of(
        st.text(max_size=50),
        st.integers().map(str),
        st.floats().map(str),
        st.sampled_from(BAD_VALUES),
        st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
    )

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        rule=st.sampled_from(rules),
        method=st.sampled_from(["GET", "POST"]),
        path_value=st.none() | anything,
        extra=st.dictionaries(st.text(max_size=10), anything, max_size=3),
        field_value=anything,
    )
    def one(
        rule: Rule,
        method: str,
        path_value: str | None,
        extra: dict[str, str],
        field_value: str,
    ) -> None:
        if method not in methods_of(rule):
            return
        good = good_values(rule, known)
        if rule.arguments and path_value is not None:
            name = sorted(rule.arguments)[0]
            good = {**good, name: quote(path_value, safe="")}
        fields = {**known.fields.get(rule.endpoint, {}), **extra}
        if fields:
            fields[sorted(fields)[0]] = field_value
        path = build_path(rule, good)
        if method == "GET":
            prober.send(method, path, query_string=urlencode(fields))
        else:
            prober.send(method, path, data=fields)

    one()


# --- the test --------------------------------------------------------------------


@pytest.fixture
def demo(app_config: dict[str, Any]) -> tuple[Flask, Known]:
    app = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    app.test_client_class = HostClient
    with app.app_context():
        list(seed())
    known = Known()
    for email in (ADMIN, MEMBER):
        client = app.test_client()
        client.base_url = f"http://{HOST}"  # type: ignore[attr-defined]
        login(client, email, DEMO_PASSWORD)
        crawl(app, client, known, limit=240)
    return app, known


def ordered_rules(app: Flask) -> list[Rule]:
    rules = [r for r in app.url_map.iter_rules() if methods_of(r)]
    return sorted(rules, key=lambda r: (r.endpoint in DISRUPTIVE, r.rule))


#: Who probes, and in how many parts: the admin reaches most and gets every field
#: one at a time, so that sweep is split in three. Each part is its own test with
#: its own demo town, so pytest-xdist spreads the ~10,000 requests over the workers
#: (as one test it held one worker for most of a CI pass).
SWEEPS = [(None, 0, 1), (MEMBER, 0, 1), (ADMIN, 0, 3), (ADMIN, 1, 3), (ADMIN, 2, 3)]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("email", "part", "parts"),
    SWEEPS,
    ids=[f"{email or 'anonymous'}-{part + 1}of{parts}" for email, part, parts in SWEEPS],
)
def test_no_route_answers_bad_input_with_a_server_error(
    demo: tuple[Flask, Known], email: str | None, part: int, parts: int
) -> None:
    app, known = demo
    every_rule = ordered_rules(app)
    # The crawl found real values for most routes with URL variables (the rest get
    # values of the same name or placeholders): a broken crawl would test only 404s.
    variable = [r for r in every_rule if r.arguments]
    crawled = [r for r in variable if r.endpoint in known.values]
    assert len(crawled) >= 0.5 * len(variable), sorted(
        r.rule for r in variable if r.endpoint not in known.values
    )
    # Every n-th route keeps the disruptive ones last in each part.
    rules = every_rule[part::parts]
    client = app.test_client()
    client.base_url = f"http://{HOST}"  # type: ignore[attr-defined]
    if email:
        login(client, email, DEMO_PASSWORD)
    prober = Prober(app, client, email)  # type: ignore[arg-type]
    # Most care where most is reachable: visitors mostly meet the login page.
    bad_values = BAD_VALUES if email == ADMIN else BAD_VALUES[: 3 if email else 2]
    sweep(prober, rules, known, bad_values, each_field=email == ADMIN)
    explore(prober, rules, known, examples=60 // parts)
    assert prober.sent > 1000 // parts
    assert not prober.failures, (
        f"{len(prober.failures)} of {prober.sent} requests gave a server error:\n"
        + "\n".join(prober.failures[:60])
    )


def test_the_sweep_reports_a_route_that_fails(app: Flask, town_a: Any) -> None:
    """The harness itself: a route that crashes on a long field is reported."""

    def fragile(n: int) -> str:
        from flask import request

        if len(request.values.get("next", "")) > 1000:
            raise RuntimeError("too long for me")
        return "ok"

    app.add_url_rule("/kaputt/<int:n>", "kaputt", fragile, methods=["GET", "POST"])
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "kaputt")
    client = town_a.client()
    prober = Prober(app, client, None)
    known = Known(values={"kaputt": {"n": "1"}})
    sweep(prober, [rule], known, BAD_VALUES, each_field=False)
    assert prober.failures and all("/kaputt/1" in f for f in prober.failures)
    assert not any("99999999999999999999" in f.split()[2] for f in prober.failures)
