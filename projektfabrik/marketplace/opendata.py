"""Open data: a JSON API with an OpenAPI description, an Atom feed and a CSV download.

Only public fields, only the current town's projects, with the marketplace's
own filters (the same URL parameters as the page).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from projektfabrik.downloads import send_download
from projektfabrik.exports import CSV_MIMETYPE, csv_for_machines
from projektfabrik.extensions import csrf, db
from projektfabrik.marketplace.listing import (
    PAGE_SIZE,
    Filters,
    filtered,
    list_projects,
    ordered,
    team_makeup,
)
from projektfabrik.projects import access
from projektfabrik.projects.models import Project, Status
from projektfabrik.tenancy.links import external_url_for
from projektfabrik.xmlout import AtomEntry, atom_feed

bp = Blueprint("opendata", __name__)
csrf.exempt(bp)  # read-only

API_PAGE_SIZE = 50
CSV_LIMIT = 10_000


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
    filters = Filters.from_args(request.args)
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
        return _json({"error": "not found"}, 404)
    return _json(project_json(found, team_makeup([found.id]).get(found.id, {})))


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    return _json(_openapi_document())


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
    stmt = ordered(filtered(filters, db.session.get_bind().dialect.name), filters.sort)
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


def _openapi_document() -> dict[str, Any]:
    filters = [
        ("suche", "Full-text search (German stemming)", "string"),
        ("status", "One of: " + ", ".join(s.value for s in Status), "string"),
        ("kategorie", "Category name", "string"),
        ("ortsteil", "District name", "string"),
        ("sucht", "1: only projects looking for people", "string"),
        ("faehigkeit", "Only projects looking for this skill", "string"),
        ("sortierung", "newest, supported or active", "string"),
        ("seite", "Page number, from 1", "integer"),
    ]
    project_schema = {
        "type": "object",
        "properties": {
            "ref": {"type": "string"}, "url": {"type": "string", "format": "uri"},
            "title": {"type": "string"}, "pitch": {"type": "string"},
            "description": {"type": "string", "description": "Markdown"},
            "status": {"type": "string", "enum": [s.value for s in Status]},
            "category": {"type": ["string", "null"]}, "district": {"type": ["string", "null"]},
            "looking_for_members": {"type": "boolean"},
            "wanted_skills": {"type": "array", "items": {"type": "string"}},
            "team": {"type": "object", "properties": {
                k: {"type": "integer"} for k in ("size", "citizen", "business", "administration")}},
            "supporters": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "last_activity_at": {"type": "string", "format": "date-time"},
        },
    }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Projektfabrik {_town()['name']}: open data",
            "version": "1",
            "description": "Public projects of this municipality's project marketplace.",
        },
        "servers": [{"url": external_url_for("site.landing").rstrip("/")}],
        "paths": {
            "/api/v1/projects": {
                "get": {
                    "summary": "List projects",
                    "parameters": [
                        {"name": n, "in": "query", "description": d, "schema": {"type": t}}
                        for n, d, t in filters
                    ],
                    "responses": {"200": {"description": "A page of projects", "content": {
                        "application/json": {"schema": {"type": "object", "properties": {
                            "total": {"type": "integer"}, "page": {"type": "integer"},
                            "pages": {"type": "integer"}, "next": {"type": "string"},
                            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Project"}},
                        }}}}}},
                }
            },
            "/api/v1/projects/{ref}": {
                "get": {
                    "summary": "One project",
                    "parameters": [{"name": "ref", "in": "path", "required": True,
                                    "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {"description": "The project", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Project"}}}},
                        "404": {"description": "No such project in this municipality"},
                    },
                }
            },
        },
        "components": {"schemas": {"Project": project_schema}},
        "x-page-size": API_PAGE_SIZE,
        "x-marketplace-page-size": PAGE_SIZE,
    }  # fmt: skip
