"""Joining a project next door with one's account from the neighbouring town: the signed
handoffs between two towns (regions/handoff.py, regions/joining.py) and their pages.

Stadt A is the project's town (M), Stadt B the person's home town (B), Stadt D a
third town of the same region, Stadt C a town outside it. A ``Browser`` keeps
its cookies per host, as a real one does, and follows the round trip from host
to host.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import event, select

from projektfabrik.accounts.models import User
from projektfabrik.audit.models import AuditEntry
from projektfabrik.extensions import Model, db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.projects import access
from projektfabrik.projects.models import Project
from projektfabrik.regions import config, handoff, joining
from projektfabrik.regions.accountlinks import Side, TownLink
from projektfabrik.regions.handoff import HandoffNonce, HandoffRefused
from projektfabrik.regions.models import RegionalChoice
from projektfabrik.teams import services as teams
from projektfabrik.tenancy.isolation import TenantScoped
from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, links_in, login, make_town

ERIKA = "erika@example.org"


class Browser:
    """One person's browser: cookies stay with their host; absolute URLs change host."""

    def __init__(self, app: Flask, start: Town) -> None:
        self.client: Any = app.test_client()
        self.client.base_url = f"http://{start.host}"

    def open(self, url: str, method: str = "GET", **kw: Any) -> Any:
        parts = urlsplit(url)
        if parts.netloc:
            self.client.base_url = f"{parts.scheme}://{parts.netloc}"
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.client.open(path, method=method, **kw)

    def get(self, url: str, **kw: Any) -> Any:
        return self.open(url, **kw)

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.open(url, method="POST", data=data or {}, **kw)

    @property
    def host(self) -> str:
        return str(self.client.base_url).split("://", 1)[1]


@pytest.fixture
def town_c(app: Flask) -> Town:
    return make_town(app, "stadt-c", "Stadt C", ["stadt-c.test"])


@pytest.fixture
def town_d(app: Flask) -> Town:
    return make_town(app, "stadt-d", "Stadt D", ["stadt-d.test"])


def _opt_in(town: Town, opted_in: bool = True) -> None:
    with town.context():
        row = db.session.scalar(select(RegionalChoice))
        if row is None:
            db.session.add(RegionalChoice(opted_in=opted_in))
        else:
            row.opted_in = opted_in
        db.session.commit()


@pytest.fixture
def region(town_a: Town, town_b: Town, town_c: Town, town_d: Town) -> None:
    config.apply(
        config.RegionConfig(
            slug="testkreis",
            name="Landkreis Test",
            host="region-test.test",
            members=("stadt-a", "stadt-b", "stadt-d"),
            primary_color="#2e6b30",
            welcome_md="",
        )
    )
    db.session.commit()
    for town in (town_a, town_b, town_c, town_d):
        _opt_in(town)


@pytest.fixture
def project(region: None, town_a: Town) -> Project:
    author = town_a.user("lead@example.org", name="Lea Lead")
    with town_a.request_context():
        found = marketplace.publish_idea(
            author,
            marketplace.ProjectInput(
                title="Reparaturcafé", pitch="Wir reparieren", wanted_skills="Löten"
            ),
        )
        db.session.commit()
        return found


@pytest.fixture
def erika(town_b: Town) -> User:
    person = town_b.user(ERIKA, name="Erika Beispiel")
    with town_b.context():
        db.session.get(User, person.id).skills = "Löten, Nähen"  # type: ignore[union-attr]
        db.session.commit()
    return person


def _start(browser: Browser, town_a: Town, number: int, home: str = "stadt-b") -> Any:
    page = browser.get(f"http://{town_a.host}/projekte/{number}")
    assert page.status_code == 200
    assert f"/region/mitmachen/{number}/{home}" in page.get_data(as_text=True)
    return browser.get(f"http://{town_a.host}/region/mitmachen/{number}/{home}")


def _confirm_in_b(browser: Browser, away: Any, login_as: str = ERIKA, **share: str) -> Any:
    """From M's redirect to B: sign in on B (the normal login, then back), confirm."""
    assert away.status_code == 303
    to_b = away.headers["Location"]
    assert to_b.startswith("http://stadt-b.test/region/bestaetigen/")
    login_page = browser.get(to_b)
    assert login_page.status_code == 302 and "/anmelden" in login_page.headers["Location"]
    signed_in = browser.post(
        login_page.headers["Location"], {"email": login_as, "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:500]
    back = signed_in.headers["Location"]
    assert back.startswith("/region/bestaetigen/")
    page = browser.get(back)
    assert page.status_code == 200
    data = share or {"name": "y", "email": "y"}
    return browser.post(back, data), page


def _join(browser: Browser, town_a: Town, number: int, **share: str) -> Any:
    sealed, _page = _confirm_in_b(browser, _start(browser, town_a, number), **share)
    assert sealed.status_code == 303, sealed.get_data(as_text=True)[:500]
    return sealed.headers["Location"]


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def _linked(town: Town, email: str = ERIKA) -> User | None:
    with town.context():
        return db.session.scalar(select(User).where(User.email == email))


def _links(town: Town) -> list[TownLink]:
    with town.context():
        return list(db.session.scalars(select(TownLink)))


def _actions(town: Town) -> list[str]:
    with town.context():
        return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


# --- the whole round trip ------------------------------------------------------------


def test_joining_next_door_makes_a_linked_account_with_only_what_was_agreed(
    app: Flask, town_a: Town, town_b: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    # Confirmation page in B names the project and the town; skills not ticked.
    away = _start(browser, town_a, project.number)
    sealed, page = _confirm_in_b(browser, away, name="y", email="y")
    html = page.get_data(as_text=True)
    assert "Reparaturcafé" in html and "Stadt A" in html and ERIKA in html
    # The form's answer goes to the other town: the policy lets it, and only it.
    assert "form-action 'self' http://stadt-a.test" in page.headers["Content-Security-Policy"]
    arrival = sealed.headers["Location"]
    assert arrival.startswith("http://stadt-a.test/region/ankunft/mitmachen?token=")

    done = browser.get(arrival)
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/projekte/{project.number}/team#mitmachen")
    linked = _linked(town_a)
    assert linked is not None
    assert linked.display_name == "Erika Beispiel"
    assert linked.skills == ""  # not ticked: not shared
    assert linked.password_hash is None and linked.is_verified
    assert linked.ref != erika.ref  # its own account, not B's
    (guest,) = _links(town_a)
    assert guest.side == Side.GUEST and guest.home_ref == erika.ref
    assert guest.other_town_id == town_b.tenant.id
    (home,) = _links(town_b)
    assert home.side == Side.HOME and home.other_town_id == town_a.tenant.id
    assert "region.linked" in _actions(town_a) and "region.linked" in _actions(town_b)

    # The link is in the person's data export in A (and nothing of B but its ref).
    export = browser.get(f"http://{town_a.host}/konto/daten.json").get_json()
    (row,) = export["records"]["town_link"]
    assert row["home_ref"] == erika.ref and row["side"] == "guest"

    # Signed in to A through the same door as every way in; then the team's normal joining.
    team = browser.get(f"http://{town_a.host}/projekte/{project.number}/team")
    assert team.status_code == 200
    asked = browser.post(
        f"http://{town_a.host}/projekte/{project.number}/team/anfragen",
        {"motivation": "Ich löte gern.", "skills": "Löten"},
    )
    assert asked.status_code == 302
    with town_a.context():
        found = db.session.get(Project, project.id)
        assert teams.pending_request(found, db.session.get(User, linked.id)) is not None


def test_joining_a_second_project_makes_no_second_account(
    app: Flask, town_a: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    browser.get(_join(browser, town_a, project.number))
    browser.post(f"http://{town_a.host}/abmelden")
    other = Browser(app, town_a)
    other.get(_join(other, town_a, project.number))
    with town_a.context():
        assert len(db.session.scalars(select(User).where(User.email == ERIKA)).all()) == 1


def test_the_skills_go_only_when_ticked(
    app: Flask, town_a: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    browser.get(_join(browser, town_a, project.number, email="y", skills="y"))
    linked = _linked(town_a)
    assert linked is not None and linked.skills == "Löten, Nähen"
    # No name shared: the person is asked for one in A.
    assert linked.display_name == ""


def test_without_the_email_nothing_is_sealed_and_the_form_says_why(
    app: Flask, town_a: Town, town_b: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    answer, _page = _confirm_in_b(browser, _start(browser, town_a, project.number), name="y")
    assert answer.status_code == 400
    assert "E-Mail-Adresse" in answer.get_data(as_text=True)
    assert _links(town_b) == []
    assert _linked(town_a) is None


def test_a_town_with_an_account_for_the_address_makes_no_second_one(
    app: Flask, town_a: Town, town_b: Town, project: Project, erika: User
) -> None:
    town_a.user(ERIKA, name="Erika in A")
    browser = Browser(app, town_a)
    refused = browser.get(_join(browser, town_a, project.number))
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "bereits ein Konto mit dieser E-Mail-Adresse" in html
    with town_a.context():
        assert len(db.session.scalars(select(User).where(User.email == ERIKA)).all()) == 1
    assert _links(town_a) == []
    # B recorded its side when it sealed; the way back makes B forget it.
    assert [link.active for link in _links(town_b)] == [True]
    back = html.split('href="http://stadt-b.test/region/ankunft/trennen?token=', 1)[1]
    told = browser.get("http://stadt-b.test/region/ankunft/trennen?token=" + back.split('"')[0])
    assert told.status_code == 200
    assert [link.active for link in _links(town_b)] == [False]


# --- what the token is bound to ------------------------------------------------------------


def _sealed_in(town: Town, to: Town, purpose: str = joining.JOIN, **payload: Any) -> str:
    with town.request_context():
        return handoff.seal(purpose, to.tenant.id, payload or {"ref": "x"})


def _open_in(town: Town, token: str, purpose: str = joining.JOIN, **kw: Any) -> handoff.Sealed:
    with town.request_context():
        try:
            return handoff.open_sealed(token, purpose, **kw)
        finally:
            db.session.rollback()


def test_a_token_opens_only_in_its_target_for_its_purpose_once(
    town_a: Town, town_b: Town, town_d: Town, region: None
) -> None:
    token = _sealed_in(town_b, town_a)
    with pytest.raises(HandoffRefused):
        _open_in(town_d, token)  # another town of the same region
    with pytest.raises(HandoffRefused):
        _open_in(town_b, token)  # its own sender
    with pytest.raises(HandoffRefused):
        _open_in(town_a, token, joining.SIGN_IN)  # another purpose
    with town_a.request_context():
        sealed = handoff.open_sealed(token, joining.JOIN)
        db.session.commit()
    assert (sealed.from_town_id, sealed.to_town_id) == (town_b.tenant.id, town_a.tenant.id)
    assert sealed.payload == {"ref": "x"}
    with pytest.raises(HandoffRefused) as replay:
        _open_in(town_a, token)
    assert replay.value.message == handoff.USED


def test_a_token_of_one_pair_fails_for_another_pair(
    town_a: Town, town_b: Town, town_d: Town, region: None
) -> None:
    from_d = _sealed_in(town_d, town_a)
    with pytest.raises(HandoffRefused):
        _open_in(town_b, from_d)
    # The same payload sealed for another pair is another token.
    assert _sealed_in(town_b, town_a) != from_d


def test_a_tampered_token_fails(town_a: Town, town_b: Town, region: None) -> None:
    import base64
    import json

    from projektfabrik.plugins import secrets

    token = _sealed_in(town_b, town_a, ref="abc")
    with town_a.request_context():
        scope = handoff._SECRET_SCOPE
        signed = secrets.decrypt(town_a.tenant.id, scope, joining.JOIN, {secrets.MARKER: token})
        payload, rest = signed.split(".", 1)
        body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        body["d"]["ref"] = "someone-else"
        forged = base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")
        # Even with the encryption key, a changed payload breaks the signature.
        again = secrets.encrypt(town_a.tenant.id, scope, joining.JOIN, f"{forged}.{rest}")
    with pytest.raises(HandoffRefused) as refused:
        _open_in(town_a, again[secrets.MARKER])
    assert refused.value.message == handoff.INVALID
    # A flipped character of the encrypted token itself fails too.
    flipped = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(HandoffRefused):
        _open_in(town_a, flipped)
    for garbage in ("", "kaputt", "a.b.c", "ä" * 9000, "ä" * 100):
        with pytest.raises(HandoffRefused):
            _open_in(town_a, garbage)


def test_the_token_in_the_url_shows_nothing_of_the_person(
    app: Flask, town_a: Town, project: Project, erika: User
) -> None:
    """Tokens travel in URLs (access logs, history): encrypted, not only signed."""
    import base64

    token = _token(_join(Browser(app, town_a), town_a, project.number))
    readable = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    for secret in (ERIKA.encode(), b"Erika", erika.ref.encode(), b"Stadt"):
        assert secret not in readable


def test_an_expired_token_fails(
    monkeypatch: pytest.MonkeyPatch, town_a: Town, town_b: Town, region: None
) -> None:
    token = _sealed_in(town_b, town_a)
    later = time.time() + handoff.MAX_AGE + 5
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(HandoffRefused) as refused:
        _open_in(town_a, token)
    assert refused.value.message == handoff.EXPIRED


def test_a_town_outside_the_region_or_opted_out_takes_no_part(
    town_a: Town, town_b: Town, town_c: Town, region: None
) -> None:
    with pytest.raises(HandoffRefused):
        _sealed_in(town_b, town_c)  # C is in no region: no target
    with pytest.raises(HandoffRefused):
        _sealed_in(town_c, town_a)  # nor a sender
    token = _sealed_in(town_b, town_a)
    _opt_in(town_b, False)  # B leaves after sealing: A refuses what B sent
    with pytest.raises(HandoffRefused) as refused:
        _open_in(town_a, token)
    assert refused.value.message == handoff.PARTNER_LEFT
    with pytest.raises(HandoffRefused):
        _sealed_in(town_b, town_a)  # and B hands nobody over any more
    _opt_in(town_b, True)
    _opt_in(town_a, False)
    with pytest.raises(HandoffRefused):
        _sealed_in(town_b, town_a)  # nor to a town that left


def test_a_token_pushed_into_another_browser_signs_nobody_in(
    app: Flask, town_a: Town, project: Project, erika: User
) -> None:
    """Someone's own token, opened in a victim's browser, must not sign the victim in."""
    attacker = Browser(app, town_a)
    arrival = _join(attacker, town_a, project.number)
    victim = Browser(app, town_a)
    refused = victim.get(arrival)
    assert refused.status_code == 400
    assert _linked(town_a) is None
    assert victim.get(f"http://{town_a.host}/konto").status_code == 302  # not signed in


def test_the_pages_refuse_bad_input_clearly_never_with_a_5xx(
    app: Flask, town_a: Town, town_b: Town, project: Project, erika: User
) -> None:
    visitor = Browser(app, town_a)
    for url in (
        "/region/ankunft/mitmachen",
        "/region/ankunft/mitmachen?token=kaputt",
        "/region/ankunft/anmelden?token=",
        "/region/ankunft/trennen?token=%00%ff",
        f"/region/mitmachen/{project.number}/stadt-c",
        f"/region/mitmachen/{project.number}/nirgendwo",
        "/region/mitmachen/999999/stadt-b",
        "/region/anmelden/stadt-c",
    ):
        answer = visitor.get(f"http://{town_a.host}{url}")
        assert 400 <= answer.status_code < 500, url
    refused = visitor.get(f"http://{town_a.host}/region/ankunft/mitmachen?token=kaputt")
    assert "nicht gültig" in refused.get_data(as_text=True)
    person = Browser(app, town_b)
    person.post(f"http://{town_b.host}/anmelden", {"email": ERIKA, "password": TEST_PASSWORD})
    for url in (
        "/region/bestaetigen/mitmachen",
        "/region/bestaetigen/mitmachen?gemeinde=stadt-a",
        "/region/bestaetigen/mitmachen?gemeinde=stadt-a&projekt=abc&state=x",
        f"/region/bestaetigen/mitmachen?gemeinde=stadt-c&projekt={project.number}&state=x",
        f"/region/bestaetigen/mitmachen?gemeinde=stadt-a&projekt={project.number}&state="
        + "x" * 100,
        "/region/bestaetigen/anmelden?gemeinde=stadt-b&state=x",
        "/konto/verknuepfungen/stadt-a/beenden",
    ):
        answer = person.get(f"http://{town_b.host}{url}")
        assert 400 <= answer.status_code < 500, url
    person.client.set_cookie("sprache", "en", domain=town_b.host)
    english = person.get(f"http://{town_b.host}/region/bestaetigen/mitmachen?gemeinde=stadt-c")
    assert "does not take part" in english.get_data(as_text=True)


def test_a_project_not_shown_in_the_region_offers_no_joining_from_next_door(
    app: Flask, town_a: Town, project: Project, erika: User
) -> None:
    with town_a.context():
        db.session.get(Project, project.id).shown_in_region = False  # type: ignore[union-attr]
        db.session.commit()
    browser = Browser(app, town_a)
    page = browser.get(f"http://{town_a.host}/projekte/{project.number}")
    assert "/region/mitmachen/" not in page.get_data(as_text=True)
    assert browser.get(f"/region/mitmachen/{project.number}/stadt-b").status_code == 404


# --- the wall ----------------------------------------------------------------------------


def test_no_row_of_the_home_town_is_read_in_the_project_towns_request(
    app: Flask, town_a: Town, town_b: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    arrival = _join(browser, town_a, project.number)
    loaded: list[tuple[str, int]] = []

    def on_load(target: Any, context: Any) -> None:
        if isinstance(target, TenantScoped):
            loaded.append((type(target).__name__, target.tenant_id))

    event.listen(Model, "load", on_load, propagate=True)
    try:
        assert browser.get(arrival).status_code == 302
        browser.get(f"http://{town_a.host}/konto")
    finally:
        event.remove(Model, "load", on_load)
    assert loaded, "the arrival loaded nothing at all?"
    assert {tenant for _name, tenant in loaded} == {town_a.tenant.id}, loaded


def test_every_new_route_keeps_to_its_own_town(
    app: Flask, town_a: Town, town_b: Town, town_d: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    browser.get(_join(browser, town_a, project.number))
    # B's link is B's: A's and D's pages know no link with that slug for this person.
    assert (
        browser.get(f"http://{town_a.host}/konto/verknuepfungen/stadt-a/beenden").status_code == 404
    )
    # A's project number means nothing in D.
    d_visitor = Browser(app, town_d)
    assert d_visitor.get(f"/region/mitmachen/{project.number}/stadt-b").status_code == 404
    # A's guest link is not visible in D or B: their account pages list none of A's.
    other = town_d.user(ERIKA, name="Erika in D")
    del other
    d_person = Browser(app, town_d)
    d_person.post("/anmelden", {"email": ERIKA, "password": TEST_PASSWORD})
    assert "Verknüpfungen mit Nachbargemeinden" not in d_person.get("/konto").get_data(as_text=True)
    # An unlink token for A, opened in D, ends nothing.
    with town_b.request_context():
        token = handoff.seal(joining.UNLINK, town_a.tenant.id, {"ref": erika.ref, "home": True})
    assert d_person.get(f"/region/ankunft/trennen?token={token}").status_code == 400
    assert all(link.active for link in _links(town_a))
    # Nonces live in the target town.
    with town_a.context():
        assert db.session.scalars(select(HandoffNonce)).all()
    with town_b.context():
        assert db.session.scalars(select(HandoffNonce)).all() == []


# --- signing in again, and ending the link ------------------------------------------------


def _sign_in_through_b(browser: Browser, town_a: Town) -> Any:
    login_page = browser.get(f"http://{town_a.host}/anmelden")
    assert "/region/anmelden/stadt-b" in login_page.get_data(as_text=True)
    away = browser.get(f"http://{town_a.host}/region/anmelden/stadt-b")
    confirm = browser.get(away.headers["Location"])
    if confirm.status_code == 302:  # not signed in to B in this browser
        signed = browser.post(
            confirm.headers["Location"], {"email": ERIKA, "password": TEST_PASSWORD}
        )
        confirm = browser.get(signed.headers["Location"])
    assert confirm.status_code == 200
    return browser.post(str(confirm.request.url))


def test_signing_in_later_through_the_home_town(
    app: Flask, town_a: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    browser.get(_join(browser, town_a, project.number))
    browser.post(f"http://{town_a.host}/abmelden")
    # No password in A.
    assert (
        browser.post(
            f"http://{town_a.host}/anmelden", {"email": ERIKA, "password": TEST_PASSWORD}
        ).status_code
        == 200
    )
    sealed = _sign_in_through_b(browser, town_a)
    assert sealed.status_code == 303
    assert sealed.headers["Location"].startswith("http://stadt-a.test/region/ankunft/anmelden?")
    assert browser.get(sealed.headers["Location"]).status_code == 302
    assert browser.get(f"http://{town_a.host}/konto").status_code == 200
    with town_a.context():
        assert len(db.session.scalars(select(User).where(User.email == ERIKA)).all()) == 1


def test_ending_the_link_in_the_home_town_ends_signing_in_through_it(
    app: Flask, town_a: Town, town_b: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    browser.get(_join(browser, town_a, project.number))
    settings = browser.get(f"http://{town_b.host}/konto")
    assert "Stadt A" in settings.get_data(as_text=True)
    # A sign-in token sealed before the end…
    early = _sign_in_through_b(Browser(app, town_a), town_a)
    assert (
        browser.get(f"http://{town_b.host}/konto/verknuepfungen/stadt-a/beenden").status_code == 200
    )
    ended = browser.post(f"http://{town_b.host}/konto/verknuepfungen/stadt-a/beenden")
    assert ended.status_code == 303
    assert ended.headers["Location"].startswith("http://stadt-a.test/region/ankunft/trennen?")
    assert not any(link.active for link in _links(town_b))
    told = browser.get(ended.headers["Location"])
    assert told.status_code == 200 and "Stadt B" in told.get_data(as_text=True)
    assert not any(link.active for link in _links(town_a))
    assert "region.unlinked" in _actions(town_a) and "region.unlinked" in _actions(town_b)
    # …is refused now, and B seals no new one.
    assert Browser(app, town_a).get(early.headers["Location"]).status_code == 400
    fresh = Browser(app, town_a)
    refused = _sign_in_through_b(fresh, town_a)
    assert refused.status_code == 400
    # The account in A stays, with what it had.
    linked = _linked(town_a)
    assert linked is not None and linked.is_active


def test_ending_in_the_home_town_holds_even_if_the_browser_never_reaches_the_other(
    app: Flask, town_a: Town, town_b: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    browser.get(_join(browser, town_a, project.number))
    browser.post(f"http://{town_b.host}/konto/verknuepfungen/stadt-a/beenden")  # not followed
    assert any(link.active for link in _links(town_a))
    assert _sign_in_through_b(Browser(app, town_a), town_a).status_code == 400


def test_ending_the_link_in_the_project_town_detaches_the_account(
    app: Flask, town_a: Town, town_b: Town, project: Project, erika: User
) -> None:
    browser = Browser(app, town_a)
    browser.get(_join(browser, town_a, project.number))
    linked = _linked(town_a)
    with town_a.context():
        teams._add_member(
            db.session.get(Project, project.id), db.session.get(User, linked.id), "test"
        )  # type: ignore[arg-type]
        db.session.commit()
    # A sign-in sealed in B before A's end must fail in A even if B never hears of it.
    early = _sign_in_through_b(Browser(app, town_a), town_a)
    page = browser.get(f"http://{town_a.host}/konto")
    assert "Stadt B" in page.get_data(as_text=True)
    ended = browser.post(f"http://{town_a.host}/konto/verknuepfungen/stadt-b/beenden")
    assert ended.status_code == 303
    assert not any(link.active for link in _links(town_a))
    assert Browser(app, town_a).get(early.headers["Location"]).status_code == 400
    told = browser.get(ended.headers["Location"])
    assert told.status_code == 200
    assert not any(link.active for link in _links(town_b))
    # Detached, not deleted: the membership stays.
    with town_a.context():
        found = db.session.get(Project, project.id)
        assert access.membership(found, db.session.get(User, linked.id)) is not None  # type: ignore[arg-type]


def test_a_linked_account_may_choose_a_password_with_forgot_password(
    app: Flask, town_a: Town, project: Project, erika: User, mailbox: Mailbox
) -> None:
    browser = Browser(app, town_a)
    browser.get(_join(browser, town_a, project.number))
    settings = browser.get(f"http://{town_a.host}/konto").get_data(as_text=True)
    assert "über Ihr Konto in Stadt B an" in settings
    assert "Dienstkonto" not in settings  # not mistaken for the town's staff account
    town_a.client().post("/passwort-vergessen", data={"email": ERIKA})
    (link,) = links_in(mailbox.last_to(ERIKA))
    data = {"password": "ein ganz neues Passwort", "confirm": "ein ganz neues Passwort"}
    assert town_a.client().post(urlsplit(link).path, data=data).status_code == 302
    login(town_a.client(), ERIKA, "ein ganz neues Passwort")


def test_links_stay_behind_when_a_town_moves(app: Flask) -> None:
    """An archive would carry the neighbour's id into another deployment, where the
    import turns every town reference into the town itself: links must not travel."""
    from projektfabrik.tenancy.tables import town_tables

    moved = {spec.name for spec in town_tables(db.metadata, archived=True)}
    assert "town_link" not in moved and "handoff_nonce" not in moved
    assert "user_account" in moved
