"""Applications from the plan: prefill, checks, submission, review, jury, decision,
payout, proof of use, the audit trail, exports, and the wall between towns."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from funding_support import IBAN, Round, finance, find, make_pot, make_round
from openpyxl import load_workbook
from projektfabrik_funding.models import Application, AuditEntry, Document, Pot
from pypdf import PdfReader

from projektfabrik.api import XLSX_MIMETYPE
from projektfabrik.extensions import db
from projektfabrik.testing import Mailbox, Town, assert_safe_download, body_of


def _assert_tagged(data: bytes) -> None:
    """The PDF a person gets is tagged, with a title and the language (core's pdf.py)."""
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None and reader.metadata.title
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]).startswith("de")
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root


def _history(town: Town) -> list[tuple[str, str]]:
    with town.context():
        return [
            (e.from_state, e.to_state) for e in db.session.query(AuditEntry).order_by(AuditEntry.id)
        ]


def test_an_application_is_prefilled_from_the_plan(round_a: Round) -> None:
    pot = make_pot(round_a.town)
    ref = round_a.start(pot)
    application = round_a.application()
    assert application.ref == ref
    assert application.title == "Nachbarschaftsgarten"
    assert application.requested_cents == 800_000
    assert "Wir gärtnern zusammen." in application.summary
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Bevor Sie einreichen können" in page and "8.000,00" in page


def test_every_problem_is_listed_at_once(town_a: Town) -> None:
    team = make_round(town_a)
    # Unbalanced: 40.000 € more costs than financing; own share 2.000 of 50.000 € = 4 %.
    finance(town_a, team.project, team.owner, own=0, requested=0, unfinanced=4_000_000)
    pot = make_pot(town_a, required_attachments=["Satzung"])
    ref = team.start(pot)
    response = team.fill(ref, action="submit", declarations="", **{"answer-0": "", "iban": ""})
    assert response.status_code == 302
    assert find(town_a, Application).state.value == "draft"
    page = team.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    for text in (
        "nicht ausgeglichen",
        "Eigenanteil ist zu niedrig",
        "Bitte ausfüllen: IBAN",
        "Bitte die Frage „Wer macht mit?“ beantworten.",
        "Es fehlen Anlagen: Satzung",
        "Bitte die Erklärungen bestätigen.",
    ):
        assert text in page, text


def test_limits_and_closed_periods_are_named(round_a: Round) -> None:
    pot = make_pot(round_a.town, max_grant_cents=500_000)
    ref = round_a.start(pot)
    round_a.fill(ref, action="submit")
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "außerhalb der Grenzen dieses Topfs" in page
    with round_a.town.context():
        found = db.session.get(Pot, pot.id)
        found.state = "finished"
        db.session.commit()
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Einreichungsfrist ist nicht offen" in page


def test_the_iban_is_validated_and_shown_masked(round_a: Round) -> None:
    pot = make_pot(round_a.town)
    ref = round_a.start(pot)
    page = round_a.fill(ref, iban="DE88370400440532013000").get_data(as_text=True)
    assert "Die IBAN ist ungültig" in page
    assert round_a.fill(ref).status_code == 302
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "DE89 •••• •••• •••• •••• 00" in page
    assert IBAN not in page and "0532013000" not in page


def test_submission_freezes_a_snapshot_mails_a_receipt_and_offers_a_pdf(
    round_a: Round, mailbox: Mailbox
) -> None:
    pot = make_pot(round_a.town)
    ref = round_a.submitted(pot)
    application = round_a.application()
    assert application.snapshot["requested_cents"] == 800_000
    assert application.snapshot["plan"]["title"] == "Nachbarschaftsgarten"
    assert application.snapshot["applicant"]["iban_masked"].startswith("DE89")
    assert IBAN not in str(application.snapshot)
    receipt = mailbox.wait_for("owner@example.org")
    assert "Ihr Förderantrag ist eingegangen" in str(receipt["Subject"])
    assert f"http://stadt-a.test/foerderung/antraege/{ref}" in body_of(receipt)
    # Later plan edits do not change what was submitted.
    finance(round_a.town, round_a.project, round_a.owner, own=100_000, requested=0)
    assert round_a.application().snapshot == application.snapshot
    pdf = round_a.team.get(f"/foerderung/antraege/{ref}/antrag.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert_safe_download(pdf, "application/pdf")
    _assert_tagged(pdf.data)
    # A submitted application is no longer edited.
    assert round_a.fill(ref).status_code == 403


def test_more_information_resubmission_and_the_audit_trail(
    round_a: Round, mailbox: Mailbox
) -> None:
    pot = make_pot(round_a.town)
    ref = round_a.submitted(pot)
    # The team cannot take the administration's steps.
    round_a.team.post(f"/foerderung/antraege/{ref}/schritt/pruefen")
    assert round_a.application().state.value == "submitted"
    assert round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/pruefen").status_code == 302
    round_a.admin.post(
        f"/foerderung/antraege/{ref}/schritt/nachfragen", data={"message": "Bitte Satzung."}
    )
    assert round_a.application().state.value == "info_requested"
    message = mailbox.wait_for("owner@example.org", count=2)
    assert "Bitte Satzung." in body_of(message)
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Bitte Satzung." in page and "Antrag einreichen" in page
    assert round_a.fill(ref, summary="Jetzt mit Satzung.", action="submit").status_code == 302
    application = round_a.application()
    assert application.state.value == "submitted" and application.submissions == 2
    assert application.snapshot["summary"] == "Jetzt mit Satzung."
    assert [s["summary"] for s in application.earlier_snapshots] == ["Ein Garten für alle."]
    assert _history(round_a.town) == [
        ("draft", "submitted"),
        ("submitted", "formal_check"),
        ("formal_check", "info_requested"),
        ("info_requested", "submitted"),
    ]
    page = round_a.admin.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Rückfrage gestellt → Eingereicht" in page and "Anna Admin" in page
    # A step not allowed from this state is refused and changes nothing.
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/abschliessen")
    assert round_a.application().state.value == "submitted"


def _approved(round_a: Round, pot: Pot, amount: str = "8.000") -> str:
    ref = round_a.submitted(pot)
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/pruefen")
    round_a.admin.post(
        f"/foerderung/antraege/{ref}/schritt/bewilligen",
        data={"amount": amount, "conditions": "Logo der Stadt zeigen."},
    )
    return ref


def test_approval_never_exceeds_the_budget(round_a: Round) -> None:
    pot = make_pot(round_a.town, budget_cents=1_000_000)
    ref = round_a.submitted(pot)
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/pruefen")
    with round_a.town.context():  # someone else's approval took most of the budget
        other = Application(
            pot_id=pot.id,
            project_id=round_a.project.id,
            state="approved",
            approved_cents=300_000,
        )
        db.session.add(other)
        db.session.commit()
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/bewilligen", data={"amount": "8.000"})
    assert find(round_a.town, Application, ref=ref).state.value == "formal_check"
    page = round_a.admin.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Nicht genug Geld im Topf" in page
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/bewilligen", data={"amount": "7.000"})
    assert find(round_a.town, Application, ref=ref).approved_cents == 700_000


def test_decision_payout_proof_of_use_and_closing(round_a: Round, mailbox: Mailbox) -> None:
    pot = make_pot(round_a.town, show_funded=True)
    ref = _approved(round_a, pot)
    application = round_a.application()
    assert application.state.value == "approved" and application.approved_cents == 800_000
    notice = mailbox.wait_for("owner@example.org", count=2)
    assert "ist bewilligt" in body_of(notice) and "Logo der Stadt zeigen." in body_of(notice)
    assert f"/foerderung/antraege/{ref}/bescheid.pdf" in body_of(notice)
    pdf = round_a.team.get(f"/foerderung/antraege/{ref}/bescheid.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert_safe_download(pdf, "application/pdf")
    _assert_tagged(pdf.data)
    public = round_a.town.client().get(f"/foerderung/toepfe/{pot.ref}").get_data(as_text=True)
    assert "Nachbarschaftsgarten" in public

    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/auszahlen", data={"amount": "8.000"})
    assert round_a.application().state.value == "paid"
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Verwendungsnachweis einreichen" in page
    round_a.team.post(
        f"/foerderung/antraege/{ref}/verwendungsnachweis",
        data={
            "report": "Der Garten blüht.",
            "participants": "40",
            "costs-material": "9.500",
            "financing-own_funds": "1.500",
            "financing-requested_funding": "8.000",
        },
    )
    application = round_a.application()
    assert application.state.value == "proof_submitted"
    assert application.proof_actuals["costs"]["material"] == 950_000
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/nachweis-pruefen")
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/abschliessen")
    assert round_a.application().state.value == "closed"
    assert [to for _f, to in _history(round_a.town)][-5:] == [
        "approved",
        "paid",
        "proof_submitted",
        "proof_checked",
        "closed",
    ]


def test_rejection_with_reason_and_reclaiming_money(round_a: Round, mailbox: Mailbox) -> None:
    pot = make_pot(round_a.town)
    ref = round_a.submitted(pot)
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/pruefen")
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/ablehnen", data={"reason": ""})
    assert round_a.application().state.value == "formal_check"
    round_a.admin.post(
        f"/foerderung/antraege/{ref}/schritt/ablehnen", data={"reason": "Kein Bezug zur Stadt."}
    )
    assert round_a.application().state.value == "rejected"
    assert "Kein Bezug zur Stadt." in body_of(mailbox.wait_for("owner@example.org", count=2))

    second = make_round(round_a.town, prefix="b-")
    pot2 = make_pot(round_a.town, name="Zweiter Topf")
    ref2 = _approved(second, pot2)
    second.admin.post(f"/foerderung/antraege/{ref2}/schritt/auszahlen", data={"amount": "8.000"})
    second.admin.post(
        f"/foerderung/antraege/{ref2}/schritt/zurueckfordern",
        data={"amount": "2.000", "reason": "Nicht verwendet"},
    )
    found = find(round_a.town, Application, ref=ref2)
    assert found.state.value == "reclaimed" and found.reclaimed_cents == 200_000


def test_jurors_rate_only_their_applications_and_see_others_after_their_own(
    round_a: Round,
) -> None:
    town = round_a.town
    pot = make_pot(town, body="jury", jurors_per_application=2)
    ref = round_a.submitted(pot)
    one = town.user("jury1@example.org", name="Jutta Jury")
    two = town.user("jury2@example.org", name="Jan Jury")
    outsider = town.user("jury3@example.org")
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/pruefen")
    # Approval needs the jury first.
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/bewilligen", data={"amount": "8.000"})
    assert round_a.application().state.value == "formal_check"
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/jury")
    assert round_a.application().state.value == "formal_check"  # no jurors assigned yet
    round_a.admin.post(
        f"/foerderung/verwaltung/toepfe/{pot.ref}/jury",
        data={"emails": "jury1@example.org\njury2@example.org"},
    )
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/jury")
    assert round_a.application().state.value == "rating"

    c1, c2, c3 = round_a.client(one), round_a.client(two), round_a.client(outsider)
    assert c3.get(f"/foerderung/antraege/{ref}").status_code == 404
    assert c3.post(f"/foerderung/antraege/{ref}/bewertung", data={}).status_code == 404
    assert "Nachbarschaftsgarten" in c1.get("/foerderung/jury/").get_data(as_text=True)
    c1.post(
        f"/foerderung/antraege/{ref}/bewertung",
        data={"score-0": "8", "score-1": "5", "comment": "Gut"},
    )
    page = c2.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Jutta Jury" not in page and "Ihre Bewertung" in page
    page = c1.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Jutta Jury: 7 – Gut" in page  # (2*8 + 1*5) / 3, a number in German
    # A second rating by the same juror is refused.
    c1.post(f"/foerderung/antraege/{ref}/bewertung", data={"score-0": "0", "score-1": "0"})
    c2.post(f"/foerderung/antraege/{ref}/bewertung", data={"score-0": "11", "score-1": "5"})
    page = c2.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Jutta Jury" not in page
    c2.post(f"/foerderung/antraege/{ref}/bewertung", data={"score-0": "4", "score-1": "10"})
    page = c2.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Jutta Jury: 7 – Gut" in page and "Jan Jury: 6" in page
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/bewilligen", data={"amount": "8.000"})
    assert round_a.application().state.value == "approved"


def test_overview_and_exports(round_a: Round) -> None:
    pot = make_pot(round_a.town)
    ref = _approved(round_a, pot, amount="6.000")
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/auszahlen", data={"amount": "5.000"})
    page = round_a.admin.get("/foerderung/verwaltung/").get_data(as_text=True)
    assert "20.000,00" in page and "6.000,00" in page and "5.000,00" in page
    assert "14.000,00" in page and "Ausgezahlt: 1" in page
    csv = round_a.admin.get(f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.csv")
    assert csv.mimetype == "text/csv" and csv.headers["Content-Disposition"].startswith(
        'attachment; filename="foerderantraege-'
    )
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeffKennung;Projekt;Titel;Status;Eingereicht;Beantragt (€);")
    # A random ref may begin with "-", which the writer neutralises with an apostrophe.
    row = next(r for r in text.splitlines() if r.lstrip("'").startswith(ref)).split(";")
    assert row[3] == "Ausgezahlt" and row[6:8] == ["6000,00", "5000,00"]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", row[4])  # German date and time
    xlsx = round_a.admin.get(f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kennung" and rows[1][0] == ref and rows[1][6] == 6000
    assert sheet["G2"].number_format == '#,##0.00 "€"' and sheet["E2"].is_date
    assert_safe_download(csv, "text/csv")
    assert_safe_download(xlsx, XLSX_MIMETYPE)


def test_a_hostile_title_is_no_formula_in_the_exports(round_a: Round) -> None:
    pot = make_pot(round_a.town)
    ref = _approved(round_a, pot, amount="6.000")
    with round_a.town.context():
        found = db.session.scalar(db.select(Application).where(Application.ref == ref))
        found.title = '=HYPERLINK("http://evil.example","Klick")'
        db.session.commit()
    text = round_a.admin.get(f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.csv").get_data(
        as_text=True
    )
    assert ";\"'=HYPERLINK(" in text
    xlsx = round_a.admin.get(f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["C2"].data_type == "s" and sheet["C2"].value.startswith("=HYPERLINK(")
    assert (
        round_a.admin.get(f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.pdf").status_code
        == 404
    )


def test_town_b_reaches_nothing_of_town_a(round_a: Round, town_b: Town) -> None:
    pot = make_pot(round_a.town)
    ref = _approved(round_a, pot)
    other = make_round(town_b, prefix="b-")
    admin_b = other.admin
    gets = [
        f"/foerderung/toepfe/{pot.ref}",
        f"/foerderung/antraege/{ref}",
        f"/foerderung/antraege/{ref}/antrag.pdf",
        f"/foerderung/antraege/{ref}/bescheid.pdf",
        f"/foerderung/verwaltung/toepfe/{pot.ref}",
        f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.csv",
        f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.xlsx",
    ]
    for url in gets:
        assert admin_b.get(url).status_code == 404, url
    posts = [
        f"/foerderung/verwaltung/toepfe/{pot.ref}",
        f"/foerderung/verwaltung/toepfe/{pot.ref}/jury",
        f"/foerderung/antraege/{ref}",
        f"/foerderung/antraege/{ref}/schritt/auszahlen",
        f"/foerderung/antraege/{ref}/bewertung",
        f"/foerderung/antraege/{ref}/verwendungsnachweis",
        f"/foerderung/projekte/{round_a.project.ref}/antrag/{pot.ref}",
    ]
    for url in posts:
        assert admin_b.post(url, data={"amount": "1"}).status_code == 404, url
    # Town B's own project 1 cannot apply to town A's pot, and B's lists show nothing of A.
    assert "Bürgerfonds" not in admin_b.get("/foerderung/").get_data(as_text=True)
    assert "Nachbarschaftsgarten" not in admin_b.get("/foerderung/verwaltung/").get_data(
        as_text=True
    )
    assert round_a.application().state.value == "approved"
    assert round_a.application().paid_cents is None
    # Town A's people are no one in town B: its admin pages are not theirs.
    response = round_a.admin.get("/foerderung/verwaltung/", base_url="http://stadt-b.test")
    assert response.status_code == 302
    assert response.location.startswith("/anmelden?next=")


def test_the_admins_hear_of_every_submission_through_the_event(
    round_a: Round, mailbox: Mailbox
) -> None:
    pot = make_pot(round_a.town)
    ref = round_a.submitted(pot)
    message = mailbox.wait_for("admin@example.org")
    assert "Neuer Förderantrag: Nachbarschaftsgarten" in str(message["Subject"])
    assert f"/foerderung/antraege/{ref}" in body_of(message)
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/nachfragen", data={"message": "?"})
    round_a.fill(ref, action="submit")
    message = mailbox.wait_for("admin@example.org", count=2)
    assert "erneut eingereicht" in str(message["Subject"])


@pytest.mark.storage
def test_attachments_and_receipts_are_uploaded_and_stay_in_their_town(
    round_a: Round, town_b: Town
) -> None:
    pot = make_pot(round_a.town, required_attachments=["Satzung"])
    ref = round_a.start(pot)
    url = f"/foerderung/antraege/{ref}/dateien"
    refused = round_a.team.post(
        url,
        data={"kind": "attachment", "label": "Satzung", "file": (io.BytesIO(b"x"), "a.exe")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "PDF, JPEG oder PNG" in refused
    response = round_a.team.post(
        url,
        data={
            "kind": "attachment",
            "label": "Satzung",
            "file": (io.BytesIO(b"%PDF-1.4 Satzung"), "satzung.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert round_a.application().attachments == ["Satzung"]
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "satzung.pdf" in page
    with round_a.town.context():
        doc_ref = db.session.query(Document).one().ref
    download = f"/foerderung/antraege/{ref}/dateien/{doc_ref}"
    assert round_a.team.get(download).data == b"%PDF-1.4 Satzung"
    assert_safe_download(round_a.team.get(download), "application/pdf")
    assert round_a.team.get(download).headers["Content-Disposition"] == (
        'attachment; filename="satzung.pdf"'
    )
    assert round_a.admin.get(download).status_code == 200
    stranger = round_a.client(round_a.town.user())
    assert stranger.get(download).status_code == 404
    other = make_round(town_b, prefix="b-")
    assert other.admin.get(download).status_code == 404
    assert other.team.post(url, data={}).status_code == 404
    # Receipts only with the proof of use.
    receipt = {"kind": "receipt", "file": (io.BytesIO(b"%PDF receipt"), "beleg.pdf")}
    round_a.team.post(url, data=receipt, content_type="multipart/form-data")
    with round_a.town.context():
        assert db.session.query(Document).count() == 1


def test_without_pdf_support_the_pdf_links_say_so(round_a: Round, monkeypatch: Any) -> None:
    from projektfabrik_funding import pdf

    pot = make_pot(round_a.town)
    ref = round_a.submitted(pot)
    monkeypatch.setattr(pdf, "available", lambda: False)
    response = round_a.team.get(f"/foerderung/antraege/{ref}/antrag.pdf")
    assert response.status_code == 503
    assert "WeasyPrint fehlt" in response.get_data(as_text=True)
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "WeasyPrint fehlt" in page and "antrag.pdf" not in page


@pytest.mark.storage
def test_a_file_called_html_is_refused_as_html_and_served_as_pdf(round_a: Round) -> None:
    pot = make_pot(round_a.town, required_attachments=["Satzung"])
    ref = round_a.start(pot)
    url = f"/foerderung/antraege/{ref}/dateien"
    html = b"<!DOCTYPE html><script>alert(1)</script>"
    for content in (html, b"%PDF-1.4 Satzung"):
        round_a.team.post(
            url,
            data={
                "kind": "attachment",
                "label": "Satzung",
                "file": (io.BytesIO(content), "x.html"),
            },
            content_type="multipart/form-data",
        )
    with round_a.town.context():
        documents = db.session.scalars(db.select(Document)).all()
    assert [d.original_name for d in documents] == ["x.pdf"]  # the HTML was refused
    response = round_a.team.get(f"/foerderung/antraege/{ref}/dateien/{documents[0].ref}")
    assert_safe_download(response, "application/pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.pdf"'


def test_each_problem_leads_to_its_field(town_a: Town) -> None:
    """WCAG 3.3.2 and 1.3.5: the list before submitting links to the fields, which are
    marked as needed to submit, and the contact fields say what they hold."""
    team = make_round(town_a)
    finance(town_a, team.project, team.owner, own=0, requested=0, unfinanced=4_000_000)
    pot = make_pot(town_a, required_attachments=["Satzung"])
    ref = team.start(pot)
    team.fill(ref, action="save", declarations="", **{"answer-0": "", "iban": ""})
    page = team.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    for target in ("iban", "answer-0", "attachment-0", "declarations"):
        assert f'<a href="#{target}">' in page, target
        assert f'id="{target}"' in page, target
    assert "(zum Einreichen nötig)" in page
    for name, purpose in (("email", "email"), ("phone", "tel"), ("address", "street-address")):
        field = re.search(rf'<(?:input|textarea)[^>]*\bid="{name}"[^>]*>', page)
        assert field and f'autocomplete="{purpose}"' in field.group(0), name
