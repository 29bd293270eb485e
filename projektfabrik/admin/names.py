"""The town's lists of names people choose from: categories and districts. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from projektfabrik.extensions import db
from projektfabrik.projects.models import Category
from projektfabrik.refusal import Refusal
from projektfabrik.tenancy.models import District


class NameListError(Refusal):
    """A name the list refuses (e.g. twice); see ``projektfabrik.refusal``."""

    default_field = "name"


@dataclass(frozen=True)
class NameList:
    """One list as the admin pages name it in URLs (German, like the site's other URLs)."""

    slug: str
    model: Any
    title: Any


LISTS = {
    "kategorien": NameList("kategorien", Category, _l("Categories")),
    "ortsteile": NameList("ortsteile", District, _l("Districts")),
}


def rows(names: NameList) -> list[Any]:
    model = names.model
    return list(db.session.scalars(select(model).order_by(model.position, model.name)))


def add(names: NameList, raw: str) -> str:
    """Add a name (spaces tidied) at the end of the list; return it as stored."""
    model = names.model
    name = " ".join(raw.split())
    if db.session.scalar(select(model).where(model.name == name)) is not None:
        raise NameListError(_("This name is already in the list."))
    position = db.session.scalar(select(func.count()).select_from(model)) or 0
    db.session.add(model(name=name, position=position))
    return name


def find(names: NameList, name: str) -> Any:
    """The current town's row of that name, or ``None``."""
    return db.session.scalar(select(names.model).where(names.model.name == name))


def remove(row: Any) -> None:
    # Projects and people keep working; they just lose the tag (ondelete SET NULL).
    db.session.delete(row)
