"""Issue #12: the town's admin runs appearance, legal pages and people in the browser;
``tenant sync`` keeps what they changed; one town's admin never reaches another town."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from projektfabrik.accounts.models import Role, User
from projektfabrik.admin.models import LegalTextVersion
from projektfabrik.audit import services as audit
from projektfabrik.extensions import db
from projektfabrik.tenancy import config_files
from projektfabrik.tenancy.models import Tenant
from projektfabrik.testing import TEST_PASSWORD, Town, login

APPEARANCE = {
    "name": "Stadt A an der See",
    "short_name": "Stadt A",
    "primary_color": "#0b5e3b",
    "text_on_brand": "auto",
    "headline": "Mitmachen in Stadt A",
    "welcome_md": "Willkommen **hier**.",
    "contact_email": "rathaus@stadt-a.de",
    "contact_address": "Markt 1\n12345 Stadt A",
}


def _admin(town: Town, email: str = "admin@example.org"):  # type: ignore[no-untyped-def]
    person = town.user(email, role=Role.ADMIN, name="Anna Admin")
    client = town.client()
    login(client, email)
    return client, person


def _png(size: tuple[int, int] = (300, 100), colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _tenant(town: Town) -> Tenant:
    db.session.expire_all()
    found = db.session.get(Tenant, town.tenant.id)
    assert found is not None
    return found


# --- appearance -------------------------------------------------------------------------


def test_appearance_is_saved_shown_at_once_and_audited(town_a: Town) -> None:
    client, _ = _admin(town_a)
    visitor = town_a.client()
    assert "Projekte für Stadt A" in visitor.get("/").get_data(as_text=True)  # now cached
    response = client.post("/verwaltung/erscheinungsbild", data=APPEARANCE)
    assert response.status_code == 302
    landing = visitor.get("/").get_data(as_text=True)
    assert "Mitmachen in Stadt A" in landing and "Stadt A an der See" in landing
    assert "rathaus@stadt-a.de" in landing and "Markt 1<br>12345 Stadt A" in landing
    assert "<title>Willkommen – Stadt A</title>" in landing
    tenant = _tenant(town_a)
    assert tenant.admin_edited == ["colours", "name", "welcome"]
    with town_a.context():
        (entry,) = audit.entries()
        assert entry.action == "appearance.saved"
    log = client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Erscheinungsbild und Kontakt geändert" in log and "Anna Admin" in log


def test_a_colour_text_cannot_be_read_on_is_refused_and_the_form_keeps_the_input(
    town_a: Town,
) -> None:
    client, _ = _admin(town_a)
    data = dict(APPEARANCE, primary_color="#ffdd00", text_on_brand="white")
    response = client.post("/verwaltung/erscheinungsbild", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "schwer zu lesen" in html and "4,5 zu 1" in html and "dunklere Farbe" in html
    assert 'value="#ffdd00"' in html and "Mitmachen in Stadt A" in html
    assert _tenant(town_a).primary_color == "#005a9c"
    # The same colour with black text reads well.
    data["text_on_brand"] = "black"
    assert client.post("/verwaltung/erscheinungsbild", data=data).status_code == 302
    tenant = _tenant(town_a)
    assert (tenant.primary_color, tenant.on_brand_color) == ("#ffdd00", "#000000")
    css = town_a.client().get("/branding/theme.css").get_data(as_text=True)
    assert "--brand: #ffdd00" in css and "--on-brand: #000000" in css


def test_a_badly_written_colour_is_refused(town_a: Town) -> None:
    client, _ = _admin(town_a)
    response = client.post(
        "/verwaltung/erscheinungsbild", data=dict(APPEARANCE, primary_color="grün")
    )
    assert response.status_code == 400
    assert "sechs" in response.get_data(as_text=True)


@pytest.mark.storage
def test_a_logo_is_re_encoded_and_shown(town_a: Town, tmp_path: Path) -> None:
    client, _ = _admin(town_a)
    response = client.post(
        "/verwaltung/erscheinungsbild/logo",
        data={"logo": (io.BytesIO(_png((2000, 500))), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    tenant = _tenant(town_a)
    assert tenant.logo_upload and tenant.logo_upload.endswith(".png")
    logo = town_a.client().get("/branding/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    with Image.open(io.BytesIO(logo.data)) as image:
        assert image.format == "PNG" and image.size == (960, 240)
    page = client.get("/verwaltung/erscheinungsbild").get_data(as_text=True)
    assert "brand-logo-preview" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "Skripte"),
        (b"<?xml version='1.0'?>\n<svg onload='alert(1)'/>", "Skripte"),
        (b"%PDF-1.4 not a picture", "nicht angenommen"),
        (b"\x89PNG\r\n\x1a\n" + b"x" * (3 * 1024 * 1024), "größer als 2 MB"),
        (b"\x89PNG\r\n\x1a\nbroken", ""),
    ],
)
@pytest.mark.storage
def test_a_bad_logo_is_refused_and_the_previous_one_stays(
    town_a: Town, content: bytes, message: str
) -> None:
    client, _ = _admin(town_a)
    client.post(
        "/verwaltung/erscheinungsbild/logo",
        data={"logo": (io.BytesIO(_png()), "logo.png")},
        content_type="multipart/form-data",
    )
    before = _tenant(town_a).logo_upload
    assert before
    response = client.post(
        "/verwaltung/erscheinungsbild/logo",
        data={"logo": (io.BytesIO(content), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _tenant(town_a).logo_upload == before
    assert town_a.client().get("/branding/logo").status_code == 200


def test_tenant_sync_keeps_what_the_admin_changed_and_copies_the_rest(town_a: Town) -> None:
    client, _ = _admin(town_a)
    client.post("/verwaltung/erscheinungsbild", data=APPEARANCE)
    client.post(
        "/verwaltung/rechtstexte/impressum", data={"body": "Unser Impressum", "action": "save"}
    )
    spec = config_files.TenantSpec(
        slug="stadt-a",
        name="Name aus der Datei",
        hosts=["stadt-a.test", "www.stadt-a.test"],
        primary_color="#123456",
        timezone="Europe/Vienna",
        texts={
            "impressum_md": "Impressum aus der Datei",
            "privacy_md": "Datenschutz aus der Datei",
        },
    )
    config_files.apply(spec)
    db.session.commit()
    tenant = _tenant(town_a)
    assert tenant.name == "Stadt A an der See"
    assert tenant.primary_color == "#0b5e3b"
    assert tenant.impressum_md == "Unser Impressum"
    assert tenant.welcome_md == "Willkommen **hier**."
    # What the admin never touched still comes from the operator's file.
    assert tenant.privacy_md == "Datenschutz aus der Datei"
    assert tenant.timezone == "Europe/Vienna"


def test_a_town_whose_admin_changed_nothing_follows_its_file(town_a: Town) -> None:
    spec = config_files.TenantSpec(
        slug="stadt-a", name="Neuer Name", hosts=["stadt-a.test"], primary_color="#123456"
    )
    config_files.apply(spec)
    db.session.commit()
    tenant = _tenant(town_a)
    assert (tenant.name, tenant.primary_color) == ("Neuer Name", "#123456")


# --- legal pages ------------------------------------------------------------------------


def test_legal_pages_start_from_a_template_preview_save_and_keep_versions(town_a: Town) -> None:
    client, _ = _admin(town_a)
    overview = client.get("/verwaltung/").get_data(as_text=True)
    assert "Vor dem Start" in overview and "/verwaltung/rechtstexte/impressum" in overview
    editor = client.get("/verwaltung/rechtstexte/barrierefreiheit").get_data(as_text=True)
    for required in (
        "Stand der Vereinbarkeit",
        "Nicht barrierefreie Inhalte",
        "Barrieren melden",
        "Schlichtungsverfahren",
        "schlichtungsstelle-bgg.de",
        "Diese Erklärung wurde am ",
    ):
        assert required in editor, required
    impressum = client.get("/verwaltung/rechtstexte/impressum").get_data(as_text=True)
    assert "Anbieter (§ 5 Digitale-Dienste-Gesetz)" in impressum
    # Preview: shown, not saved.
    preview = client.post(
        "/verwaltung/rechtstexte/impressum",
        data={"body": "## Anbieter\nStadt A", "action": "preview"},
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Vorschau (noch nicht gespeichert)" in html
    assert "<h3>Anbieter</h3>" in html
    assert _tenant(town_a).impressum_md == ""
    # Save twice: two versions, the public page shows the second.
    for body in ("Erste Fassung", "Zweite Fassung"):
        saved = client.post(
            "/verwaltung/rechtstexte/impressum", data={"body": body, "action": "save"}
        )
        assert saved.status_code == 302
    assert "Zweite Fassung" in town_a.client().get("/impressum").get_data(as_text=True)
    history = client.get("/verwaltung/rechtstexte/impressum/versionen").get_data(as_text=True)
    assert history.count("Anna Admin") == 2
    with town_a.context():
        first = db.session.scalars(select(LegalTextVersion).order_by(LegalTextVersion.id)).first()
        assert first is not None and first.body_md == "Erste Fassung"
    old = client.get(f"/verwaltung/rechtstexte/impressum/versionen/{first.ref}")
    assert "Erste Fassung" in old.get_data(as_text=True)
    copy = client.get(f"/verwaltung/rechtstexte/impressum?version={first.ref}")
    assert "Erste Fassung</textarea>" in copy.get_data(as_text=True)
    # The checklist goes once Impressum and privacy notice are written.
    client.post("/verwaltung/rechtstexte/datenschutz", data={"body": "Text", "action": "save"})
    assert "Vor dem Start" not in client.get("/verwaltung/").get_data(as_text=True)


def test_the_operators_text_becomes_the_first_version(town_a: Town) -> None:
    with town_a.context():
        town_a.tenant.privacy_md = "Aus der Datei"
        db.session.commit()
    client, _ = _admin(town_a)
    client.post("/verwaltung/rechtstexte/datenschutz", data={"body": "Neu", "action": "save"})
    history = client.get("/verwaltung/rechtstexte/datenschutz/versionen").get_data(as_text=True)
    assert "aus der Datei des Betreibers" in history and "Anna Admin" in history


def test_an_unknown_legal_page_or_version_is_404(town_a: Town) -> None:
    client, _ = _admin(town_a)
    assert client.get("/verwaltung/rechtstexte/agb").status_code == 404
    assert client.get("/verwaltung/rechtstexte/impressum/versionen/nope").status_code == 404


# --- people and roles -------------------------------------------------------------------


def test_people_are_listed_searched_and_roles_change_with_notice_and_audit(town_a: Town) -> None:
    client, admin = _admin(town_a)
    person = town_a.user("pia@example.org", name="Pia Person")
    town_a.user("otto@example.org", name="Otto Other")
    found = client.get("/verwaltung/personen?q=pia").get_data(as_text=True)
    assert "Pia Person" in found and "Otto Other" not in found
    assert "1 Konto" in found
    assert client.get("/verwaltung/personen?q=%25").status_code == 200
    response = client.post(f"/verwaltung/personen/{person.ref}/rolle", data={"role": "moderator"})
    assert response.status_code == 302
    db.session.expire_all()
    with town_a.context():
        changed = db.session.get(User, person.id)
        assert changed is not None and changed.role == Role.MODERATOR
        (entry,) = audit.entries()
        assert (entry.action, entry.detail) == (
            "role.changed",
            {"from": "member", "to": "moderator"},
        )
    log = client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Rolle von Pia Person von Mitglied zu Moderation geändert" in log
    pia = town_a.client()
    login(pia, "pia@example.org")
    assert "Ihre Rolle auf der Seite ist jetzt: Moderation." in pia.get(
        "/benachrichtigungen"
    ).get_data(as_text=True)


def test_the_last_admin_cannot_be_removed_not_even_by_themselves(town_a: Town) -> None:
    client, admin = _admin(town_a)
    response = client.post(f"/verwaltung/personen/{admin.ref}/rolle", data={"role": "member"})
    assert response.status_code == 400
    assert "einzige Admin" in response.get_data(as_text=True)
    db.session.expire_all()
    with town_a.context():
        assert db.session.get(User, admin.id).role == Role.ADMIN  # type: ignore[union-attr]
    # With a second admin, one may step down.
    second = town_a.user("zweite@example.org", role=Role.ADMIN)
    assert (
        client.post(f"/verwaltung/personen/{admin.ref}/rolle", data={"role": "member"}).status_code
        == 302
    )
    assert client.get("/verwaltung/").status_code == 403
    other = town_a.client()
    login(other, "zweite@example.org")
    refused = other.post(f"/verwaltung/personen/{second.ref}/rolle", data={"role": "member"})
    assert refused.status_code == 400


def test_a_blocked_person_is_logged_out_cannot_log_in_and_can_be_unblocked(town_a: Town) -> None:
    client, admin = _admin(town_a)
    person = town_a.user("pia@example.org", name="Pia Person")
    pia = town_a.client()
    login(pia, "pia@example.org")
    assert pia.get("/konto").status_code == 200
    assert client.post(f"/verwaltung/personen/{person.ref}/sperren").status_code == 302
    assert pia.get("/konto").status_code == 302  # logged out
    again = town_a.client()
    attempt = again.post("/anmelden", data={"email": "pia@example.org", "password": TEST_PASSWORD})
    assert attempt.status_code != 302
    assert again.get("/konto").status_code == 302
    listed = client.get("/verwaltung/personen?gesperrt=1").get_data(as_text=True)
    assert "Pia Person" in listed and "gesperrt" in listed
    assert client.post(f"/verwaltung/personen/{person.ref}/entsperren").status_code == 302
    login(town_a.client(), "pia@example.org")
    with town_a.context():
        assert [e.action for e in audit.entries()] == ["account.unblocked", "account.blocked"]


def test_an_admin_cannot_block_themselves_or_another_admin(town_a: Town) -> None:
    client, admin = _admin(town_a)
    other = town_a.user("zweite@example.org", role=Role.ADMIN)
    for ref in (admin.ref, other.ref):
        client.post(f"/verwaltung/personen/{ref}/sperren")
        db.session.expire_all()
        with town_a.context():
            assert db.session.get(User, admin.id).blocked_at is None  # type: ignore[union-attr]
            assert db.session.get(User, other.id).blocked_at is None  # type: ignore[union-attr]


# --- towns apart ------------------------------------------------------------------------


def test_an_admin_of_one_town_reaches_nothing_of_another(town_a: Town, town_b: Town) -> None:
    client_a, admin_a = _admin(town_a)
    person_b = town_b.user("bea@example.org", name="Bea aus B")
    admin_b = town_b.user("admin-b@example.org", role=Role.ADMIN, name="Bernd Admin")
    with town_b.context():
        audit.record("role.changed", actor=admin_b, subject=person_b, detail={"to": "admin"})
        db.session.add(LegalTextVersion(page="impressum", body_md="Geheim B", author_id=admin_b.id))
        db.session.commit()
        version_b = db.session.scalars(select(LegalTextVersion)).one().ref
    # Town A's admin, on town A's host, sending town B's refs: nothing found.
    for path in (
        f"/verwaltung/personen/{person_b.ref}",
        f"/verwaltung/rechtstexte/impressum/versionen/{version_b}",
        f"/verwaltung/rechtstexte/impressum?version={version_b}",
    ):
        assert client_a.get(path).status_code == 404, path
    for path in (
        f"/verwaltung/personen/{person_b.ref}/rolle",
        f"/verwaltung/personen/{person_b.ref}/sperren",
    ):
        assert client_a.post(path, data={"role": "member"}).status_code == 404, path
    assert "Bea aus B" not in client_a.get("/verwaltung/personen?q=bea").get_data(as_text=True)
    log_a = client_a.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Bea aus B" not in log_a and "Bernd Admin" not in log_a
    # Town A's session on town B's host is nobody there.
    client_a.base_url = f"http://{town_b.host}"
    for path in ("/verwaltung/erscheinungsbild", "/verwaltung/personen", "/verwaltung/protokoll"):
        assert client_a.get(path).status_code == 302, path  # to the login page
    assert client_a.post("/verwaltung/erscheinungsbild", data=APPEARANCE).status_code in (302, 400)
    assert _tenant(town_b).name == "Stadt B"
    db.session.expire_all()
    with town_b.context():
        assert db.session.get(User, person_b.id).role == Role.MEMBER  # type: ignore[union-attr]


def test_people_outside_the_admins_get_nothing(town_a: Town) -> None:
    moderator = town_a.user("mod@example.org", role=Role.MODERATOR)
    client = town_a.client()
    login(client, "mod@example.org")
    for path in (
        "/verwaltung/erscheinungsbild",
        "/verwaltung/rechtstexte",
        "/verwaltung/personen",
        f"/verwaltung/personen/{moderator.ref}",
        "/verwaltung/protokoll",
    ):
        assert client.get(path).status_code == 403, path
    assert (
        client.post(
            f"/verwaltung/personen/{moderator.ref}/rolle", data={"role": "admin"}
        ).status_code
        == 403
    )
    assert town_a.client().get("/verwaltung/personen").status_code == 302


def test_an_organisation_is_confirmed_with_badge_notice_and_audit(town_a: Town) -> None:
    from projektfabrik.accounts.models import Kind

    client, _ = _admin(town_a)
    club = town_a.user("verein@example.org", name="Bernd Berg", kind=Kind.BUSINESS)
    citizen = town_a.user("pia@example.org", name="Pia Person")
    response = client.post(
        f"/verwaltung/personen/{club.ref}/organisation", data={"organisation": "Heimatverein"}
    )
    assert response.status_code == 302
    page = client.get(f"/verwaltung/personen/{club.ref}").get_data(as_text=True)
    assert "Heimatverein" in page and "badge-confirmed" in page
    log = client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Bernd Berg als Heimatverein bestätigt" in log
    refused = client.post(
        f"/verwaltung/personen/{citizen.ref}/organisation", data={"organisation": "Fake e. V."}
    )
    assert refused.status_code == 400
    assert "Nur Konten von Unternehmen und Organisationen" in refused.get_data(as_text=True)
    member = town_a.client()
    login(member, "verein@example.org")
    assert "Heimatverein" in member.get("/benachrichtigungen").get_data(as_text=True)
    assert client.post(f"/verwaltung/personen/{club.ref}/organisation/entziehen").status_code == 302
    db.session.expire_all()
    with town_a.context():
        found = db.session.get(User, club.id)
        assert found is not None and not found.is_confirmed


def test_switching_a_module_is_audited(town_a: Town) -> None:
    from projektfabrik.testing import use_plugin

    use_plugin(town_a, "pinnwand", enabled=False)
    client, _ = _admin(town_a)
    assert (
        client.post("/verwaltung/module/pinnwand/schalten", data={"enabled": "1"}).status_code
        == 302
    )
    log = client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Modul pinnwand eingeschaltet" in log and "Anna Admin" in log


def test_odd_paging_values_are_not_an_error(town_a: Town) -> None:
    client, _ = _admin(town_a)
    for path in (
        "/verwaltung/protokoll?vor=99999999999999999999",
        "/verwaltung/protokoll?vor=-5",
        "/verwaltung/protokoll?vor=abc",
        "/verwaltung/personen?seite=99999999999999999999",
        "/verwaltung/personen?seite=-3",
        "/verwaltung/personen?q=" + "x" * 500,
    ):
        assert client.get(path).status_code == 200, path
