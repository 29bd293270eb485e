"""Not a test of behaviour: writes the documents to PUBTOOLS_LOOK_DIR for people to
look at (skipped unless that variable is set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pubtools_support import Team

LOOK = os.environ.get("PUBTOOLS_LOOK_DIR")


@pytest.mark.skipif(not LOOK, reason="set PUBTOOLS_LOOK_DIR to write the documents")
def test_write_documents_to_look_at(team_a: Team) -> None:
    folder = Path(str(LOOK))
    folder.mkdir(parents=True, exist_ok=True)
    client = team_a.client(team_a.owner)
    ref = team_a.project.ref
    paths = {
        f"{step}-{size}": f"/kneipentools/projekt/{ref}/bogen/{step}/{size}.pdf"
        for step in (
            "teamfindung",
            "teamprofil",
            "projektprofil",
            "vision",
            "arbeitsplan",
            "ressourcen",
        )
        for size in ("a4", "a3")
    }
    paths["blank-projektprofil-a4"] = "/kneipentools/bogen/projektprofil/a4.pdf"
    for key in ("aufsteller", "anmeldeliste", "ablauf"):
        paths[key] = f"/kneipentools/projekt/{ref}/stammtisch/{key}.pdf"
    admin = team_a.client(team_a.admin)
    cards = admin.post("/kneipentools/verwaltung/postkarten", data={"pages": "1"})
    (folder / "postkarten.pdf").write_bytes(cards.data)
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
        (folder / f"{name}.pdf").write_bytes(response.data)
