"""Open data: ``/api/v1/goals``, the town's goals with their indicators and sums,
described in the API's OpenAPI document through ``pf_openapi_paths``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g

from projektfabrik.extensions import csrf
from projektfabrik.plugins.types import OpenApiPaths
from projektfabrik.strategy import figures
from projektfabrik.tenancy.links import external_url_for

api_bp = Blueprint("strategy_api", __name__, url_prefix="/api/v1/goals")
csrf.exempt(api_bp)  # read-only


def _amount(value: Any) -> str:
    """Decimals as strings ("12.50"): JSON numbers would pass through floats."""
    return f"{value:.2f}"


def goals_document() -> dict[str, Any]:
    items = []
    for goal in figures.gather():
        items.append(
            {
                "ref": goal.goal.ref,
                "title": goal.goal.title,
                "summary": goal.goal.summary,
                "field_of_action": goal.goal.group.name if goal.goal.group else None,
                "source_url": goal.goal.source_url or None,
                "url": external_url_for("strategy.dashboard") + f"#ziel-{goal.goal.ref}",
                "projects": {status.value: count for status, count in goal.by_status},
                "indicators": [
                    {
                        "ref": row.indicator.ref,
                        "name": row.indicator.name,
                        "unit": row.indicator.unit,
                        "expected": _amount(row.expected.value),
                        "reported": _amount(row.reported.value),
                        "confirmed": _amount(row.confirmed.value),
                        "confirmed_per_year": {str(y): _amount(v) for y, v in row.per_year},
                        "targets": {str(t.year): _amount(t.value) for t in row.indicator.targets},
                    }
                    for row in goal.indicators
                ],
            }
        )
    return {
        "municipality": {"name": g.tenant.name, "url": external_url_for("site.landing")},
        "items": items,
    }


@api_bp.get("")
def goals() -> Response:
    response: Response = current_app.json.response(goals_document())  # type: ignore[assignment]
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data
    return response


AMOUNT = {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$", "description": "decimal, 2 places"}


def openapi_paths() -> OpenApiPaths:
    indicator = {
        "type": "object",
        "required": ["ref", "name", "unit", "expected", "reported", "confirmed",
                     "confirmed_per_year", "targets"],
        "properties": {
            "ref": {"type": "string"}, "name": {"type": "string"},
            "unit": {"type": "string", "description": "every value of the indicator is in it"},
            "expected": AMOUNT, "reported": AMOUNT,
            "confirmed": {**AMOUNT, "description": "confirmed by town staff"},
            "confirmed_per_year": {"type": "object", "additionalProperties": AMOUNT},
            "targets": {"type": "object", "additionalProperties": AMOUNT},
        },
    }  # fmt: skip
    goal = {
        "type": "object",
        "required": ["ref", "title", "summary", "field_of_action", "source_url", "url",
                     "projects", "indicators"],
        "properties": {
            "ref": {"type": "string"}, "title": {"type": "string"},
            "summary": {"type": "string"},
            "field_of_action": {"type": ["string", "null"]},
            "source_url": {"type": ["string", "null"]},
            "url": {"type": "string", "format": "uri"},
            "projects": {"type": "object", "description": "projects serving it, by status",
                         "additionalProperties": {"type": "integer", "minimum": 0}},
            "indicators": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}},
        },
    }  # fmt: skip
    return OpenApiPaths(
        order=100,
        paths={
            "/api/v1/goals": {
                "get": {
                    "summary": "The municipality's strategy goals and what projects contribute",
                    "responses": {"200": {"description": "Every goal", "content": {
                        "application/json": {"schema": {
                            "type": "object", "required": ["municipality", "items"],
                            "properties": {
                                "municipality": {"type": "object", "properties": {
                                    "name": {"type": "string"},
                                    "url": {"type": "string", "format": "uri"}}},
                                "items": {"type": "array", "items": {
                                    "$ref": "#/components/schemas/Goal"}},
                            }}}}}},
                }
            }
        },
        schemas={"Goal": goal, "Indicator": indicator},
    )  # fmt: skip
