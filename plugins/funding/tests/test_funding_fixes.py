"""Issue #22, "Funding workflow": the pot's rules for deciding are the service's, messages
say what happened, the team answers a question without resubmitting, the full IBAN is for
the payout's clerk only (and logged), the project's status follows its funding; and the
application PDF and the plugin's German catalogue."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from funding_support import IBAN, Round, find, make_pot
from projektfabrik_funding import services
from projektfabrik_funding.models import Application, AuditEntry, Document, DocumentKind
from pypdf import PdfReader
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project, Status
from projektfabrik.testing import Town, use_plugin

PLUGIN = Path(services.__file__).resolve().parent
PDF = b"%PDF-1.4 Satzung des Vereins"


def _page(client, ref: str) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)


def _step(client, ref: str, step: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(f"/foerderung/antraege/{ref}/schritt/{step}", data=data)


def _to_jury(round_a: Round, **pot: object) -> tuple[str, list[User]]:
    town = round_a.town
    made = make_pot(town, body="jury", jurors_per_application=2, **pot)
    ref = round_a.submitted(made)
    jurors = [town.user("j1@example.org", name="Jutta"), town.user("j2@example.org", name="Jan")]
    round_a.admin.post(
        f"/foerderung/verwaltung/toepfe/{made.ref}/jury",
        data={"emails": "j1@example.org\nj2@example.org"},
    )
    _step(round_a.admin, ref, "pruefen")
    _step(round_a.admin, ref, "jury")
    assert round_a.application().state.value == "rating"
    return ref, jurors


def _rate(round_a: Round, ref: str, juror: User) -> None:
    round_a.client(juror).post(
        f"/foerderung/antraege/{ref}/bewertung", data={"score-0": "5", "score-1": "5"}
    )


# --- the pot's rules for deciding ------------------------------------------------------


def test_a_jury_pot_is_not_decided_before_its_jurors_have_rated(round_a: Round) -> None:
    ref, (one, two) = _to_jury(round_a)
    page = _page(round_a.admin, ref)
    assert "/schritt/bewilligen" not in page and "/schritt/ablehnen" not in page
    # Not through the page, and not through the service either.
    _step(round_a.admin, ref, "bewilligen", amount="8.000")
    _step(round_a.admin, ref, "ablehnen", reason="Nein")
    assert round_a.application().state.value == "rating"
    assert "0 von 2 Bewertungen" in _page(round_a.admin, ref)
    with round_a.town.context(), round_a.town.app.test_request_context():
        application = db.session.scalar(select(Application).where(Application.ref == ref))
        admin = db.session.get(User, round_a.admin_user.id)
        with pytest.raises(services.FundingError):
            services.approve(application, admin, 800_000)
        with pytest.raises(services.FundingError):
            services.reject(application, admin, "Nein")
        db.session.rollback()
    _rate(round_a, ref, one)
    _step(round_a.admin, ref, "bewilligen", amount="8.000")
    assert round_a.application().state.value == "rating"  # every juror, by default
    _rate(round_a, ref, two)
    assert "/schritt/bewilligen" in _page(round_a.admin, ref)
    _step(round_a.admin, ref, "bewilligen", amount="8.000")
    assert round_a.application().state.value == "approved"


def test_the_pot_may_need_fewer_ratings_than_jurors(round_a: Round) -> None:
    ref, (one, _two) = _to_jury(round_a, ratings_required=1)
    _step(round_a.admin, ref, "ablehnen", reason="Nein")
    assert round_a.application().state.value == "rating"
    _rate(round_a, ref, one)
    _step(round_a.admin, ref, "ablehnen", reason="Kein Bezug zur Stadt.")
    assert round_a.application().state.value == "rejected"


def test_only_the_administration_decides(round_a: Round) -> None:
    ref, (one, two) = _to_jury(round_a)
    _rate(round_a, ref, one)
    _rate(round_a, ref, two)
    for client in (round_a.team, round_a.client(one)):
        assert _step(client, ref, "bewilligen", amount="8.000").status_code == 403
    assert round_a.application().state.value == "rating"


# --- messages say what happened ----------------------------------------------------------


def test_every_step_has_a_message_that_says_what_happened() -> None:
    assert {s.name for s in services.WORKFLOW.steps} == set(services.DONE_MESSAGES)


def test_starting_the_formal_check_says_it_has_started(round_a: Round) -> None:
    ref = round_a.submitted(make_pot(round_a.town))
    response = _step(round_a.admin, ref, "pruefen")
    page = round_a.admin.get(response.location).get_data(as_text=True)
    assert "Formale Prüfung begonnen." in page and "Erledigt" not in page


# --- the team answers the town's question --------------------------------------------------


def _asked(round_a: Round) -> str:
    ref = round_a.submitted(make_pot(round_a.town))
    _step(round_a.admin, ref, "pruefen")
    _step(round_a.admin, ref, "nachfragen", message="Bitte die Satzung schicken.")
    assert round_a.application().state.value == "info_requested"
    return ref


@pytest.mark.storage
def test_the_team_answers_with_text_and_files_without_resubmitting(round_a: Round) -> None:
    ref = _asked(round_a)
    assert "Antwort an die Stadt senden" in _page(round_a.team, ref)
    response = round_a.team.post(
        f"/foerderung/antraege/{ref}/antwort",
        data={
            "answer": "Die Satzung hängt an.\nGrüße",
            "files": [(io.BytesIO(PDF), "satzung.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    application = round_a.application()
    assert application.state.value == "formal_check" and application.submissions == 1
    page = _page(round_a.admin, ref)
    assert "Die Satzung hängt an." in page and "satzung.pdf" in page
    assert "Mit der Antwort gesendet" in page
    document = find(round_a.town, Document, application_id=application.id)
    assert document.kind == DocumentKind.ANSWER
    download = round_a.admin.get(f"/foerderung/antraege/{ref}/dateien/{document.ref}")
    assert download.status_code == 200 and download.data == PDF
    # The clerk goes on with the check: the decision buttons are there again.
    assert "/schritt/bewilligen" in page


def test_an_empty_answer_or_a_wrong_file_is_refused_and_keeps_the_text(round_a: Round) -> None:
    ref = _asked(round_a)
    response = round_a.team.post(f"/foerderung/antraege/{ref}/antwort", data={"answer": " "})
    assert response.status_code == 422
    assert "Bitte schreiben Sie Ihre Antwort." in response.get_data(as_text=True)
    response = round_a.team.post(
        f"/foerderung/antraege/{ref}/antwort",
        data={"answer": "Anbei.", "files": [(io.BytesIO(b"MZ\x90\x00"), "satzung.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Anbei." in response.get_data(as_text=True)
    assert round_a.application().state.value == "info_requested"
    assert find(round_a.town, Document) is None


def test_only_the_team_answers_and_only_when_asked(round_a: Round, town_b: Town) -> None:
    ref = round_a.submitted(make_pot(round_a.town))
    round_a.team.post(f"/foerderung/antraege/{ref}/antwort", data={"answer": "Hallo"})
    assert round_a.application().state.value == "submitted"
    _step(round_a.admin, ref, "nachfragen", message="Bitte Satzung.")
    stranger = round_a.client(round_a.town.user("fremd@example.org"))
    assert (
        stranger.post(f"/foerderung/antraege/{ref}/antwort", data={"answer": "x"}).status_code
        == 404
    )
    other = town_b.client()
    assert other.post(f"/foerderung/antraege/{ref}/antwort", data={"answer": "x"}).status_code in (
        302,
        404,
    )
    assert round_a.application().state.value == "info_requested"


# --- the IBAN --------------------------------------------------------------------------------


def _approved(round_a: Round) -> str:
    ref = round_a.submitted(make_pot(round_a.town))
    _step(round_a.admin, ref, "pruefen")
    _step(round_a.admin, ref, "bewilligen", amount="8.000")
    assert round_a.application().state.value == "approved"
    return ref


def _iban_views(town: Town) -> list[AuditEntry]:
    with town.context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.from_state == AuditEntry.to_state)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def test_the_payout_clerk_sees_the_full_iban_and_each_view_is_logged(round_a: Round) -> None:
    ref = _approved(round_a)
    full = "DE89 3704 0044 0532 0130 00"
    page = _page(round_a.admin, ref)
    assert full not in page and "Vollständige IBAN für die Auszahlung zeigen" in page
    for count in (1, 2):
        shown = round_a.admin.post(f"/foerderung/antraege/{ref}/iban").get_data(as_text=True)
        assert full in shown
        assert len(_iban_views(round_a.town)) == count
    assert "Vollständige IBAN für die Auszahlung angesehen." in _page(round_a.admin, ref)
    assert full not in _page(round_a.admin, ref)
    team = _page(round_a.team, ref)
    assert full not in team and IBAN not in team and "DE89" in team
    assert round_a.team.post(f"/foerderung/antraege/{ref}/iban").status_code == 403


def test_no_full_iban_before_the_decision_or_from_another_town(
    round_a: Round, town_b: Town
) -> None:
    ref = round_a.submitted(make_pot(round_a.town))
    shown = round_a.admin.post(f"/foerderung/antraege/{ref}/iban")
    assert shown.status_code == 303
    assert "DE89 3704" not in round_a.admin.get(shown.location).get_data(as_text=True)
    assert _iban_views(round_a.town) == []
    from funding_support import make_round

    other = make_round(town_b, prefix="b-")
    assert other.admin.post(f"/foerderung/antraege/{ref}/iban").status_code == 404


# --- the project's status follows its funding ---------------------------------------------------


def _status(town: Town, project: Project) -> Status:
    with town.context():
        return db.session.scalar(select(Project.status).where(Project.id == project.id))


def test_the_project_status_follows_submission_and_approval(round_a: Round) -> None:
    ref = round_a.submitted(make_pot(round_a.town))
    assert _status(round_a.town, round_a.project) == Status.FUNDING_APPLIED
    visitor = round_a.town.client()
    listed = visitor.get("/projekte?status=funding_applied").get_data(as_text=True)
    assert "Nachbarschaftsgarten" in listed
    assert "Förderung beantragt" in visitor.get(f"/projekte/{round_a.project.ref}").get_data(
        as_text=True
    )
    _step(round_a.admin, ref, "pruefen")
    _step(round_a.admin, ref, "bewilligen", amount="8.000")
    assert _status(round_a.town, round_a.project) == Status.RUNNING
    assert "Nachbarschaftsgarten" in visitor.get("/projekte?status=running").get_data(as_text=True)


def test_the_town_chooses_the_status_of_funded_projects(round_a: Round) -> None:
    use_plugin(round_a.town, "funding", funded_status="planning")
    ref = round_a.submitted(make_pot(round_a.town))
    _step(round_a.admin, ref, "pruefen")
    _step(round_a.admin, ref, "bewilligen", amount="8.000")
    assert _status(round_a.town, round_a.project) == Status.PLANNING


def test_a_running_project_keeps_its_status_when_it_applies_again(round_a: Round) -> None:
    with round_a.town.context():
        db.session.get(Project, round_a.project.id).status = Status.RUNNING
        db.session.commit()
    round_a.submitted(make_pot(round_a.town))
    assert _status(round_a.town, round_a.project) == Status.RUNNING


def test_a_rejected_application_moves_the_project_back(round_a: Round) -> None:
    before = _status(round_a.town, round_a.project)
    assert before != Status.FUNDING_APPLIED
    ref = round_a.submitted(make_pot(round_a.town))
    assert _status(round_a.town, round_a.project) == Status.FUNDING_APPLIED
    _step(round_a.admin, ref, "pruefen")
    assert _step(round_a.admin, ref, "ablehnen", reason="Nicht förderfähig.").status_code == 302
    assert round_a.application().state.value == "rejected"
    assert _status(round_a.town, round_a.project) == before
    visitor = round_a.town.client()
    listed = visitor.get("/projekte?status=funding_applied").get_data(as_text=True)
    assert "Nachbarschaftsgarten" not in listed


def test_a_rejection_keeps_the_status_while_another_application_is_open(round_a: Round) -> None:
    first = round_a.start(make_pot(round_a.town, name="Topf A"))
    assert round_a.fill(first, action="submit").status_code == 302
    second = round_a.start(make_pot(round_a.town, name="Topf B"))
    assert round_a.fill(second, action="submit").status_code == 302
    _step(round_a.admin, first, "pruefen")
    assert _step(round_a.admin, first, "ablehnen", reason="Nicht förderfähig.").status_code == 302
    assert _status(round_a.town, round_a.project) == Status.FUNDING_APPLIED
    _step(round_a.admin, second, "pruefen")
    assert _step(round_a.admin, second, "ablehnen", reason="Auch nicht.").status_code == 302
    assert _status(round_a.town, round_a.project) != Status.FUNDING_APPLIED


def test_a_rejection_leaves_a_project_the_team_moved_on(round_a: Round) -> None:
    ref = round_a.submitted(make_pot(round_a.town))
    with round_a.town.context():
        db.session.get(Project, round_a.project.id).status = Status.RUNNING
        db.session.commit()
    _step(round_a.admin, ref, "pruefen")
    assert _step(round_a.admin, ref, "ablehnen", reason="Nicht förderfähig.").status_code == 302
    assert _status(round_a.town, round_a.project) == Status.RUNNING


# --- the application PDF -------------------------------------------------------------------


def test_the_application_pdf_has_labels_line_breaks_and_each_line_once(round_a: Round) -> None:
    ref = round_a.start(make_pot(round_a.town))
    round_a.fill(ref, action="submit", legal_form="private", address="Hauptstraße 1\n01234 Stadt A")
    response = round_a.team.get(f"/foerderung/antraege/{ref}/antrag.pdf")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Privatperson" in text and "private" not in text
    assert re.search(r"Hauptstraße 1\s*\n\s*01234 Stadt A", text), text
    assert text.count("Beantragte Förderung") == 1
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no raw dates


# --- the German catalogue ----------------------------------------------------------------------


def _catalogue():  # type: ignore[no-untyped-def]
    with open(PLUGIN / "translations" / "de" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale="de")


def test_the_german_catalogue_is_complete_and_not_fuzzy() -> None:
    catalog = _catalogue()
    assert not catalog.fuzzy  # pybabel compile skips a fuzzy catalogue
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    with open(PLUGIN.parent / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    used = {
        message if isinstance(message, str) else message[0]
        for _f, _l, message, _c, _x in extract_from_dir(
            str(PLUGIN), method_map, options_map, keywords={"_": None, "_l": None}
        )
    }
    german = {m.id: m.string for m in catalog if m.id}
    assert sorted(m for m in used if not german.get(m)) == []


def test_german_funding_pages_are_german(round_a: Round) -> None:
    ref = round_a.submitted(make_pot(round_a.town))
    page = _page(round_a.admin, ref)
    for english in ("Start the formal check", "Funding application", "History", "Submitted"):
        assert english not in page
    assert "Formale Prüfung beginnen" in page and "Verlauf" in page


def test_the_admin_chooses_the_funded_status_on_the_modules_page(round_a: Round) -> None:
    page = round_a.admin.get("/verwaltung/module")
    assert page.status_code == 200
    assert "Status eines Projekts, sobald seine Förderung bewilligt ist" in page.get_data(
        as_text=True
    )
    saved = round_a.admin.post(
        "/verwaltung/module/funding/einstellungen", data={"funding-funded_status": "planning"}
    )
    assert saved.status_code in (302, 303)
    ref = round_a.submitted(make_pot(round_a.town))
    _step(round_a.admin, ref, "pruefen")
    _step(round_a.admin, ref, "bewilligen", amount="8.000")
    assert _status(round_a.town, round_a.project) == Status.PLANNING
