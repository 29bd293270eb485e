"""Open data: a JSON API with an OpenAPI description, an Atom feed and a CSV download.

Only public fields, only the current town's projects, with the marketplace's
own filters (the same URL parameters as the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from flask import Blueprint, Response, current_app, g, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from projektfabrik.downloads import send_download
from projektfabrik.exports import CSV_MIMETYPE, csv_for_machines
from projektfabrik.extensions import csrf, db
from projektfabrik.inputguard import DB_INT_MAX
from projektfabrik.marketplace.listing import (
    PAGE_SIZE,
    PUBLIC_STATUSES,
    SORTS,
    Filters,
    filtered,
    list_projects,
    ordered,
    team_makeup,
)
from projektfabrik.plugins.manager import get_manager
from projektfabrik.plugins.state import enabled_plugins
from projektfabrik.plugins.types import OpenApiPaths
from projektfabrik.projects import access
from projektfabrik.projects.models import Project, Status
from projektfabrik.refusal import Refusal
from projektfabrik.tenancy.links import external_url_for
from projektfabrik.xmlout import AtomEntry, atom_feed

bp = Blueprint("opendata", __name__)
csrf.exempt(bp)  # read-only

API_PAGE_SIZE = 50
CSV_LIMIT = 10_000
#: The highest page the API answers for (a page past the last is the last).
API_MAX_PAGE = 100_000


class ApiParameterError(Refusal):
    """A query parameter of the API that its OpenAPI document does not allow."""


@dataclass(frozen=True)
class ApiParameter:
    """One query parameter of ``/api/v1/projects``: the document and the check in one."""

    name: str
    description: str
    schema: dict[str, Any]

    def check(self, value: str) -> None:
        """Refuse what ``schema`` forbids (the few schema words used below)."""
        schema = self.schema
        if schema["type"] == "integer":
            if not (value.isascii() and value.isdigit()) or len(value) > 12:
                raise ApiParameterError(f"{self.name} must be a whole number", self.name)
            number = int(value)
            if number < schema["minimum"] or number > schema["maximum"]:
                raise ApiParameterError(
                    f"{self.name} must be between {schema['minimum']} and {schema['maximum']}",
                    self.name,
                )
        elif "enum" in schema and value not in schema["enum"]:
            raise ApiParameterError(
                f"{self.name} must be one of: {', '.join(schema['enum'])}", self.name
            )
        elif len(value) > schema.get("maxLength", len(value)):
            raise ApiParameterError(
                f"{self.name} must be at most {schema['maxLength']} characters", self.name
            )


API_PARAMETERS = [
    ApiParameter("suche", "Search: parts of compound words, prefixes, without accents, small typos",
                 {"type": "string", "maxLength": 200}),
    ApiParameter("status", "Only projects with this status",
                 {"type": "string", "enum": [s.value for s in PUBLIC_STATUSES]}),
    ApiParameter("kategorie", "Category name", {"type": "string", "maxLength": 80}),
    ApiParameter("ortsteil", "District name", {"type": "string", "maxLength": 120}),
    ApiParameter("sucht", "1: only projects looking for people; 0: all",
                 {"type": "string", "enum": ["0", "1"]}),
    ApiParameter("faehigkeit", "Only projects looking for this skill",
                 {"type": "string", "maxLength": 80}),
    ApiParameter("sortierung", "Order: relevant (best match first, the default with suche), newest, supported or active",
                 {"type": "string", "enum": list(SORTS)}),
    ApiParameter("seite", "Page number, from 1 (a page past the last answers the last)",
                 {"type": "integer", "minimum": 1, "maximum": API_MAX_PAGE}),
    # Checked everywhere, used on a region's host only (projektfabrik/regions).
    ApiParameter("gemeinde", "On a region's host: only the projects of the town with this "
                 "slug (see municipalities); a town's own host ignores it",
                 {"type": "string", "maxLength": 63}),
]  # fmt: skip


def api_filters(args: Any) -> Filters:
    """The marketplace's filters from the API's query, refusing what the document forbids.

    The HTML page forgives (an unknown status shows every project); the API says
    what was wrong, so a program learns of its mistake instead of getting other data.
    Parameters the document does not name are ignored.
    """
    for parameter in API_PARAMETERS:
        values = args.getlist(parameter.name)
        if len(values) > 1:
            raise ApiParameterError(f"{parameter.name} may be given once", parameter.name)
        if values:
            parameter.check(values[0])
    return Filters.from_args(args)


def project_json(project: Project, makeup: dict[str, int]) -> dict[str, Any]:
    return {
        "ref": project.ref,
        "url": external_url_for("marketplace.project", number=project.number),
        "title": project.title,
        "pitch": project.pitch,
        "description": project.description_md,
        "status": project.status.value,
        "category": project.category.name if project.category else None,
        "district": project.district.name if project.district else None,
        "looking_for_members": project.looking_for_members,
        "wanted_skills": project.wanted_skill_list,
        "team": {"size": sum(makeup.values()), **{k: makeup.get(k, 0) for k in (
            "citizen", "business", "administration")}},
        "supporters": project.support_count,
        "created_at": project.created_at.isoformat(),
        "last_activity_at": project.last_activity_at.isoformat(),
    }  # fmt: skip


@bp.get("/api/v1/projects")
def projects() -> Response:
    try:
        filters = api_filters(request.args)
    except ApiParameterError as error:
        return _json({"error": error.message, "parameter": error.field}, 400)
    page = list_projects(filters, page_size=API_PAGE_SIZE)
    body = {
        "municipality": _town(),
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "items": [project_json(c.project, c.makeup) for c in page.cards],
    }
    if page.page < page.pages:
        body["next"] = external_url_for("opendata.projects", **filters.to_args(page=page.page + 1))
    return _json(body)


@bp.get("/api/v1/projects/<int:number>")
def project(number: int) -> Response:
    found = access.find_project(number)
    if found is None or found.status == Status.ARCHIVED:
        return _json({"error": "not found"}, 404)  # the same body as an unknown address
    return _json(project_json(found, team_makeup([found.id]).get(found.id, {})))


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    return _json(openapi_document())


@bp.get("/projekte/feed.atom")
def feed() -> Response:
    rows = db.session.scalars(
        select(Project)
        .where(Project.status != Status.ARCHIVED)
        .order_by(Project.created_at.desc(), Project.id.desc())
        .limit(30)
    ).all()
    town = _town()
    base = town["url"]
    xml = atom_feed(
        id=f"{base}projekte",
        title=_("New projects in %(town)s", town=town["name"]),
        link=f"{base}projekte",
        self_link=f"{base}projekte/feed.atom",
        updated=rows[0].created_at if rows else g.tenant.created_at,
        author=town["name"],
        author_uri=base,
        language=get_locale().language if get_locale() else "de",
        entries=[
            AtomEntry(
                id=f"{base}projekte/{p.number}",
                title=p.title,
                link=f"{base}projekte/{p.number}",
                published=p.created_at,
                updated=p.last_activity_at,
                summary=p.pitch,
                # People's names are not open data: the town publishes the entry.
                author=town["name"],
            )
            for p in rows
        ],
    )
    return current_app.response_class(xml, mimetype="application/atom+xml")


@bp.get("/projekte.csv")
def projects_csv() -> Response:
    filters = Filters.from_args(request.args)
    stmt = ordered(filtered(filters), filters)
    rows = db.session.scalars(
        stmt.options(joinedload(Project.category), joinedload(Project.district)).limit(CSV_LIMIT)
    ).all()
    makeup = team_makeup([p.id for p in rows])
    table: list[list[Any]] = [
        ["ref", "title", "pitch", "status", "category", "district", "team_size",
         "supporters", "looking_for_members", "wanted_skills", "created_at", "url"]
    ]  # fmt: skip
    for p in rows:
        data = project_json(p, makeup.get(p.id, {}))
        table.append(
            [data["ref"], data["title"], data["pitch"], data["status"], data["category"] or "",
             data["district"] or "", data["team"]["size"], data["supporters"],
             "yes" if data["looking_for_members"] else "no", ", ".join(data["wanted_skills"]),
             data["created_at"], data["url"]]
        )  # fmt: skip
    # Open data: machine-readable CSV (",", "." decimals, ISO dates, no BOM), formulas
    # neutralised all the same (docs/security.md, "Exports").
    return send_download(csv_for_machines(table), "projekte.csv", CSV_MIMETYPE, max_age=0)


def _town() -> dict[str, str]:
    return {"name": g.tenant.name, "url": external_url_for("site.landing")}


def _json(body: dict[str, Any], status: int = 200) -> Response:
    response: Response = current_app.json.response(body)  # type: ignore[assignment]
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data
    return response


def openapi_document(region: str | None = None) -> dict[str, Any]:
    """The one document, for a town's host or (``region``: its name) a region's
    (projektfabrik/regions): the same paths and schemas, another title and server.
    On a town's host, other areas (the strategy's /api/v1/goals) and the town's
    plugins add their paths; a region's host answers the project list only."""
    document = _core_openapi_document(region)
    if region is None:
        extras = get_manager().collect("pf_openapi_paths", OpenApiPaths, enabled_plugins())
        for _name, extra in extras:
            document["paths"].update(extra.paths)
            document["components"]["schemas"].update(extra.schemas)
    return document


def _core_openapi_document(region: str | None) -> dict[str, Any]:
    error_schema = {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}},
    }
    project_schema = {
        "type": "object",
        "required": ["ref", "url", "title", "pitch", "description", "status", "category",
                     "district", "looking_for_members", "wanted_skills", "team", "supporters",
                     "created_at", "last_activity_at"],
        "properties": {
            "ref": {"type": "string"}, "url": {"type": "string", "format": "uri"},
            "title": {"type": "string"}, "pitch": {"type": "string"},
            "description": {"type": "string", "description": "Markdown"},
            "status": {"type": "string", "enum": [s.value for s in PUBLIC_STATUSES]},
            "category": {"type": ["string", "null"]}, "district": {"type": ["string", "null"]},
            "looking_for_members": {"type": "boolean"},
            "wanted_skills": {"type": "array", "items": {"type": "string"}},
            "team": {"type": "object", "required": ["size"], "description": "A region's "
                     "host gives the size only", "properties": {
                k: {"type": "integer", "minimum": 0}
                for k in ("size", "citizen", "business", "administration")}},
            "supporters": {"type": "integer", "minimum": 0},
            "created_at": {"type": "string", "format": "date-time"},
            "last_activity_at": {"type": "string", "format": "date-time"},
            "municipality": {"type": "object", "description": "Only on a region's host: "
                             "the town the project belongs to", "required": ["name", "url", "slug"],
                             "properties": {"name": {"type": "string"},
                                            "url": {"type": "string", "format": "uri"},
                                            "slug": {"type": "string"}}},
        },
    }  # fmt: skip

    def error(description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}}  # fmt: skip

    name = region if region is not None else _town()["name"]
    server = url_for("region.index", _external=True) if region else external_url_for("site.landing")
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": f"Projektfabrik {name}: open data",
            "version": "1",
            "description": "Public projects of this municipality's project marketplace "
            "(on a region's host: of every town taking part). "
            "A parameter this document does not allow answers 400 with a JSON error "
            "naming it; parameters it does not name are ignored.",
        },
        "servers": [{"url": urljoin(server, "/").rstrip("/")}],
        "paths": {
            "/api/v1/projects": {
                "get": {
                    "summary": "List projects",
                    "parameters": [
                        {"name": p.name, "in": "query", "description": p.description,
                         "schema": p.schema}
                        for p in API_PARAMETERS
                    ],
                    "responses": {
                        "200": {"description": "A page of projects", "content": {
                            "application/json": {"schema": {
                                "type": "object",
                                "required": ["total", "page", "pages", "items"],
                                "properties": {
                                    "municipality": {"type": "object", "properties": {
                                        "name": {"type": "string"},
                                        "url": {"type": "string", "format": "uri"}},
                                        "description": "On a town's host: the town"},
                                    "region": {"type": "object", "properties": {
                                        "name": {"type": "string"},
                                        "url": {"type": "string", "format": "uri"}},
                                        "description": "On a region's host: the region"},
                                    "municipalities": {"type": "array", "items": {
                                        "type": "object"}, "description": "On a region's "
                                        "host: the towns taking part"},
                                    "total": {"type": "integer", "minimum": 0},
                                    "page": {"type": "integer", "minimum": 1},
                                    "pages": {"type": "integer", "minimum": 1},
                                    "next": {"type": "string", "format": "uri",
                                             "description": "The next page, if any"},
                                    "items": {"type": "array", "items": {
                                        "$ref": "#/components/schemas/Project"}},
                                }}}}},
                        "400": error("A parameter this document does not allow"),
                    },
                }
            },
            "/api/v1/projects/{number}": {
                "get": {
                    "summary": "One project, by its number in this municipality",
                    "parameters": [{"name": "number", "in": "path", "required": True,
                                    "schema": {"type": "integer", "minimum": 1,
                                               "maximum": DB_INT_MAX}}],
                    "responses": {
                        "200": {"description": "The project", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Project"}}}},
                        "404": error("No such project in this municipality"),
                    },
                }
            },
        },
        "components": {"schemas": {"Project": project_schema, "Error": error_schema}},
        "x-page-size": API_PAGE_SIZE,
        "x-marketplace-page-size": PAGE_SIZE,
    }  # fmt: skip
    if region is not None:
        # Numbers are per town: a region answers the list only, each item links its town.
        del document["paths"]["/api/v1/projects/{number}"]
    return document
