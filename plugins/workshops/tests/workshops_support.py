"""A town with the workshops module on, its admin, and a published workshop.

Test setup may use the core's internals; the plugin itself imports
``projektfabrik.api`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from projektfabrik_workshops.models import Workshop, WorkshopState
from sqlalchemy import select

from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.testing import Town, use_plugin


@dataclass
class Setup:
    town: Town
    admin: User


def setup_town(town: Town) -> Setup:
    use_plugin(town, "workshops")
    admin = town.user(role=Role.ADMIN, name="Ada Admin")
    return Setup(town=town, admin=admin)


def make_workshop(town: Town, **values: Any) -> Workshop:
    day = datetime.now(ZoneInfo("Europe/Berlin")).date() + timedelta(days=10)
    zone = ZoneInfo("Europe/Berlin")
    fields: dict[str, Any] = {
        "title": "Projektwerkstatt Test",
        "description": "Ideen treffen sich.",
        "starts_at": datetime.combine(day, time(17), tzinfo=zone),
        "ends_at": datetime.combine(day, time(20), tzinfo=zone),
        "place": "Rathaus, Ratssaal",
        "online_url": "https://meet.example.org/werkstatt",
        "capacity": 10,
        "state": WorkshopState.PUBLISHED,
    }
    fields.update(values)
    with town.context():
        workshop = Workshop(**fields)
        db.session.add(workshop)
        db.session.commit()
        db.session.refresh(workshop)
        db.session.expunge(workshop)
        return workshop


def reload(town: Town, ref: str) -> Workshop:
    with town.context():
        db.session.expire_all()  # this thread's session may hold an older copy
        found = db.session.scalar(select(Workshop).where(Workshop.ref == ref))
        assert found is not None
        db.session.expunge(found)
        return found
