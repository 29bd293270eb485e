"""Funding's pages and PDFs show dates, times and numbers the one way
(projektfabrik.api format_* and filters): no UTC in ISO, no "7.33" in German."""

from __future__ import annotations

import io

import pytest
from funding_support import Round, make_pot
from pypdf import PdfReader

from projektfabrik.testing import raw_formats, visible_text


def _text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    if response.mimetype == "application/pdf":
        reader = PdfReader(io.BytesIO(response.data))
        return " ".join(page.extract_text() or "" for page in reader.pages)
    return visible_text(response.get_data(as_text=True))


@pytest.mark.slow
def test_a_decided_jury_application_reads_as_german(round_a: Round) -> None:
    town = round_a.town
    pot = make_pot(town, body="jury", jurors_per_application=1)
    ref = round_a.submitted(pot)
    juror = town.user("jury1@example.org", name="Jutta Jury")
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/pruefen")
    round_a.admin.post(
        f"/foerderung/verwaltung/toepfe/{pot.ref}/jury", data={"emails": juror.email}
    )
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/jury")
    round_a.client(juror).post(
        f"/foerderung/antraege/{ref}/bewertung", data={"score-0": "8", "score-1": "6"}
    )
    round_a.admin.post(f"/foerderung/antraege/{ref}/schritt/bewilligen", data={"amount": "8.000"})
    assert round_a.application().state.value == "approved"

    page = _text(round_a.admin.get(f"/foerderung/antraege/{ref}"))
    assert "Jutta Jury: 7,33" in page  # (2*8 + 1*6) / 3
    pages = {
        "application": page,
        "team's view": _text(round_a.team.get(f"/foerderung/antraege/{ref}")),
        "pot": _text(round_a.team.get(f"/foerderung/toepfe/{pot.ref}")),
        "pots": _text(round_a.team.get("/foerderung/")),
        "admin": _text(round_a.admin.get(f"/foerderung/verwaltung/toepfe/{pot.ref}")),
        "application PDF": _text(round_a.team.get(f"/foerderung/antraege/{ref}/antrag.pdf")),
        "notice PDF": _text(round_a.team.get(f"/foerderung/antraege/{ref}/bescheid.pdf")),
    }
    assert "10 %" in pages["pot"].replace("\xa0", " ")  # the minimum own share
    assert "Verein" in pages["application PDF"]  # the legal form, in German
    problems = {name: raw_formats(text) for name, text in pages.items() if raw_formats(text)}
    assert not problems, problems
