"""The open-data API does what its OpenAPI document says, and nothing it forbids.

schemathesis reads ``/api/v1/openapi.json`` from the Flask app itself (WSGI, no
network) and sends what the document allows (positive) and what it forbids
(negative, e.g. ``?seite=null``), with every check it has: no server errors,
documented status codes and content types, responses matching their schemas,
forbidden input refused with 4xx, allowed input accepted, undocumented methods
answered with 405.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from projektfabrik.extensions import db
from projektfabrik.marketplace.services import ProjectInput, publish_idea
from projektfabrik.testing import Town, make_town


@pytest.fixture
def api_town(app: Flask) -> Town:
    # schemathesis' WSGI client talks to "localhost": the town answers there.
    town = make_town(app, "api-stadt", "API-Stadt", ["localhost"], ["Mitte"])
    owner = town.user(name="Olga Owner")
    with town.context(), app.test_request_context(base_url="http://localhost"):
        for title in ("Gemeinschaftsgarten", "Repair-Café", "Bücherschrank"):
            publish_idea(
                owner, ProjectInput(title=title, pitch="Eine gute Idee.", district="Mitte")
            )
        db.session.commit()
    return town


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_its_openapi_document(
    app: Flask, api_town: Town, mode: GenerationMode
) -> None:
    """Every operation, with what the document allows (positive) and what it
    forbids (negative), through schemathesis' every check (``call_and_validate``).

    The operations are walked here rather than with ``schema.parametrize()``:
    schemathesis' pytest plugin does not work with this pytest's fixtures, and
    its Python API does the same thing.
    """
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {
        "/api/v1/projects",
        "/api/v1/projects/{number}",
        "/api/v1/goals",  # the strategy's, through pf_openapi_paths
    }
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and operation.path == "/api/v1/goals":
            continue  # no parameters: nothing in its request can be invalid

        @settings(
            max_examples=60,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: Any) -> None:
            case.call_and_validate()

        check()


@pytest.mark.parametrize("path", ["/api/v1/projects", "/api/v1/projects/1", "/api/v1/goals"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_undocumented_methods_answer_405_with_allow(api_town: Town, path: str, method: str) -> None:
    response = api_town.client().open(path, method=method)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json() == {"error": "method not allowed"}


@pytest.mark.parametrize(
    "query",
    ["seite=null", "seite=0", "seite=1.5", "seite=", "seite=100001", "status=archived",
     "status=nix", "sortierung=oldest", "sucht=ja", "suche=" + "x" * 201, "seite=1&seite=2"],
)  # fmt: skip
def test_parameters_the_document_forbids_answer_400_naming_them(api_town: Town, query: str) -> None:
    response = api_town.client().get("/api/v1/projects?" + query)
    assert response.status_code == 400, query
    body = response.get_json()
    assert body["parameter"] == query.split("=")[0]
    assert body["error"]


def test_allowed_parameters_still_filter(api_town: Town) -> None:
    client = api_town.client()
    assert client.get("/api/v1/projects?seite=1&sucht=1&status=idea").json["total"] == 3
    assert client.get("/api/v1/projects?suche=Garten&unbekannt=x").status_code == 200
    assert client.get("/api/v1/projects?seite=99").json["page"] == 1  # past the last: the last
