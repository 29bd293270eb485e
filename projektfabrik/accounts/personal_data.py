"""Everything the platform keeps about a person in their town (DSGVO Art. 15 and 20).

Found, not listed: every town table (core and plugins alike) with a column
that points at an account contributes the rows that point at this person, so a
table added tomorrow is in the export the day it exists
(:func:`person_columns`; ``tests/test_personal_data.py`` holds the list of
what is left out, and why). Plugins add what is not in a table of theirs, or
say in words what their rows mean, through ``pf_personal_data``.

Secrets of the platform (password and key hashes, tokens, reply keys) are
information about the platform, not about the person: their values are
replaced by a note.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import or_, select

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.tenancy.archive import plain_value
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.tables import TownTable, town_tables

PERSON_TABLE = "user_account"
#: Column names whose values are the platform's secrets, not facts about the person.
SECRET = re.compile(r"(hash|token|secret|_key)$")
HIDDEN = "(a secret of the platform, not shown)"
#: Columns that point at an account but say nothing about it (one case so far:
#: none). Extend with a reason when a table needs it.
NOT_ABOUT_THE_PERSON: frozenset[tuple[str, str]] = frozenset()


def person_columns() -> Iterator[tuple[TownTable, list[str]]]:
    """Each town table with the columns in it that point at an account."""
    for spec in town_tables(db.metadata):
        if spec.name == PERSON_TABLE:
            continue
        columns = [
            r.column
            for r in spec.references
            if r.target == PERSON_TABLE and (spec.name, r.column) not in NOT_ABOUT_THE_PERSON
        ]
        if columns:
            yield spec, columns


def _row(row: dict[str, Any], columns: list[str], person_id: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "you_are": [c.removesuffix("_id") for c in columns if row[c] == person_id]
    }
    for name, value in row.items():
        if name == "tenant_id":
            continue
        out[name] = HIDDEN if value is not None and SECRET.search(name) else plain_value(value)
    return out


def records(user: User) -> dict[str, list[dict[str, Any]]]:
    """Per table, the rows that point at ``user`` (``you_are``: in which role)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for spec, columns in person_columns():
        table = spec.table
        query = select(table).where(
            table.c.tenant_id == user.tenant_id, or_(*(table.c[c] == user.id for c in columns))
        )
        if spec.id_column:
            query = query.order_by(table.c[spec.id_column])
        rows = [_row(dict(r), columns, user.id) for r in db.session.execute(query).mappings()]
        if rows:
            found[spec.name] = rows
    return found


def account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "kind": user.kind.value,
        "role": user.role.value,
        "organisation": user.organisation,
        "district": user.district.name if user.district else None,
        "skills": user.skill_list,
        "findable_by_skills": user.findable,
        "bio": user.bio,
        "locale": user.locale,
        "has_avatar": bool(user.avatar_file),
        "email_verified_at": plain_value(user.email_verified_at),
        "created_at": plain_value(user.created_at),
        # Whether, not what: the secret and the codes never leave the database.
        "second_factor_since": plain_value(user.totp_enabled_at),
    }


def export_data(user: User) -> str:
    """The person's account, every row about them, and what plugins add, as JSON."""
    from projektfabrik.plugins.runtime import personal_data

    data = {
        "municipality": current_tenant().name,
        "exported_at": utcnow().isoformat(),
        "account": account(user),
        "records": records(user),
        "from_modules": personal_data(user),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
