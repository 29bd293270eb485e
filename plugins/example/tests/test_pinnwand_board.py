"""The notice board plugin's own tests (the core's fixtures come from projektfabrik.testing)."""

from __future__ import annotations

import pytest
from flask import Flask
from projektfabrik_pinnwand.models import Note
from sqlalchemy import select

from projektfabrik.api import Role, db, search_documents
from projektfabrik.testing import Mailbox, Town, assert_safe_download, body_of, login, use_plugin


def post(town: Town, email: str, text: str, path: str = "/pinnwand/", **extra: str):  # type: ignore[no-untyped-def]
    client = town.client()
    login(client, email)
    return client, client.post(path, data={"text": text, **extra})


def notes(town: Town) -> list[Note]:
    with town.context():
        return list(db.session.scalars(select(Note).order_by(Note.id)))


@pytest.fixture
def board(town_a: Town) -> Town:
    use_plugin(town_a, "pinnwand")
    return town_a


def test_members_post_and_everyone_reads(board: Town) -> None:
    member = board.user(name="Lena")
    _client, response = post(board, member.email, "Suche Helfer fürs Straßenfest")
    assert response.status_code == 302
    page = board.client().get("/pinnwand/").get_data(as_text=True)
    assert "Suche Helfer fürs Straßenfest" in page
    assert "Lena" in page
    assert 'name="text"' not in page  # guests get no form
    assert board.client().post("/pinnwand/", data={"text": "x"}).status_code == 403


def test_the_board_speaks_german_in_a_german_town(board: Town) -> None:
    page = board.client().get("/pinnwand/").get_data(as_text=True)
    assert "<h1>Pinnwand" in page
    assert "Die Pinnwand ist leer." in page
    assert "The board is empty." not in page


def test_posting_code_and_length_limit(board: Town) -> None:
    use_plugin(board, "pinnwand", posting_code="rathaus42", max_length=50)
    member = board.user()
    client, response = post(board, member.email, "Ohne Code")
    assert response.status_code == 200
    assert "Der Zugangscode stimmt nicht." in response.get_data(as_text=True)
    response = client.post("/pinnwand/", data={"text": "x" * 51, "code": "rathaus42"})
    assert "höchstens 50 Zeichen" in response.get_data(as_text=True)
    response = client.post("/pinnwand/", data={"text": "Mit Code", "code": "rathaus42"})
    assert response.status_code == 302
    assert [n.text for n in notes(board)] == ["Mit Code"]
    assert "rathaus42" not in client.get("/pinnwand/").get_data(as_text=True)


def test_authors_remove_their_notes_and_moderators_pin_and_remove_any(board: Town) -> None:
    author, other = board.user(), board.user()
    moderator = board.user(role=Role.MODERATOR)
    post(board, author.email, "Erste Notiz")
    post(board, author.email, "Zweite Notiz")
    first, second = notes(board)

    other_client = board.client()
    login(other_client, other.email)
    assert other_client.post(f"/pinnwand/notiz/{first.ref}/entfernen").status_code == 403
    assert other_client.post(f"/pinnwand/notiz/{first.ref}/anheften").status_code == 403

    mod_client = board.client()
    login(mod_client, moderator.email)
    assert mod_client.post(f"/pinnwand/notiz/{first.ref}/anheften").status_code == 302
    page = board.client().get("/pinnwand/").get_data(as_text=True)
    assert page.index("Erste Notiz") < page.index("Zweite Notiz")  # pinned first
    assert mod_client.post(f"/pinnwand/notiz/{second.ref}/entfernen").status_code == 302

    author_client = board.client()
    login(author_client, author.email)
    assert author_client.post(f"/pinnwand/notiz/{first.ref}/entfernen").status_code == 302
    assert notes(board) == []


def test_a_new_note_is_mailed_after_the_commit(board: Town, mailbox: Mailbox) -> None:
    use_plugin(board, "pinnwand", notify_email="rathaus@stadt-a.test")
    member = board.user(name="Jonas")
    post(board, member.email, "Reparaturcafé am Freitag")
    message = mailbox.wait_for("rathaus@stadt-a.test")
    body = body_of(message)
    assert "Jonas hat geschrieben:" in body
    assert "Reparaturcafé am Freitag" in body
    assert "http://stadt-a.test/pinnwand/#note-" in body


def test_csv_export_and_search_documents(app: Flask, board: Town) -> None:
    member = board.user()
    post(board, member.email, "Tausche Tomaten gegen Gurken")
    response = board.client().get("/pinnwand/export/csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert_safe_download(response, "text/csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="pinnwand.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffKennung;Geschrieben am;Verfasst von;Angeheftet;Text")
    assert "Tausche Tomaten gegen Gurken" in text and ";nein;" in text
    assert board.client().get("/pinnwand/export/pdf").status_code == 404
    assert 'href="/pinnwand/export/csv"' in board.client().get("/pinnwand/").get_data(as_text=True)

    with app.test_request_context(base_url="http://stadt-a.test"), board.context():
        docs = search_documents()
    assert [(name, d.kind, d.text) for name, d in docs] == [
        ("pinnwand", "pinnwand.note", "Tausche Tomaten gegen Gurken")
    ]
    with app.test_request_context(base_url="http://stadt-a.test"), board.context():
        # The project search's rules: a word's stem, a typo, nothing for other words.
        assert [d.text for _, d in search_documents("Tomate")] == [d.text for _, d in docs]
        assert [d.text for _, d in search_documents("Tomanten")] == [d.text for _, d in docs]
        assert search_documents("Kartoffeln") == []


def test_project_boards_are_separate(board: Town) -> None:
    member = board.user()
    client, response = post(board, member.email, "Für Projekt 7", path="/pinnwand/projekt/7")
    assert response.status_code == 302
    assert "Für Projekt 7" in client.get("/pinnwand/projekt/7").get_data(as_text=True)
    assert "Für Projekt 7" not in client.get("/pinnwand/").get_data(as_text=True)
    assert client.get("/pinnwand/projekt/..%2Fx").status_code == 404


def test_town_b_never_sees_or_touches_town_a_notes(board: Town, town_b: Town) -> None:
    use_plugin(town_b, "pinnwand", posting_code="nur-b")
    author = board.user()
    post(board, author.email, "Nur für Stadt A")
    (note,) = notes(board)

    moderator_b = town_b.user(role=Role.MODERATOR)
    client_b = town_b.client()
    login(client_b, moderator_b.email)
    assert "Nur für Stadt A" not in client_b.get("/pinnwand/").get_data(as_text=True)
    assert "Nur für Stadt A" not in client_b.get("/").get_data(as_text=True)
    assert "Nur für Stadt A" not in client_b.get("/pinnwand/export/csv").get_data(as_text=True)
    assert client_b.post(f"/pinnwand/notiz/{note.ref}/entfernen").status_code == 404
    assert client_b.post(f"/pinnwand/notiz/{note.ref}/anheften").status_code == 404
    assert [n.text for n in notes(board)] == ["Nur für Stadt A"]
    assert notes(board)[0].pinned is False
    # Town B's posting code is B's alone: A still posts without one.
    _c, response = post(board, author.email, "Noch eine")
    assert response.status_code == 302


def test_a_note_is_never_a_formula_in_the_export(board: Town) -> None:
    post(board, board.user().email, "=1+1 und @alle")
    text = board.client().get("/pinnwand/export/csv").get_data(as_text=True)
    assert ";'=1+1 und @alle" in text
