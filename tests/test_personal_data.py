"""A person's data export (DSGVO Art. 15, 20) holds every row about them, core and plugins.

The export finds its tables by their foreign keys to the account
(accounts/personal_data.py). These tests make that hold in practice: on the
demo towns with every installed plugin on and seeded, every column that points
at a person must bring its rows into that person's export, so a plugin table
whose rows would be missing fails here.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Integer, select

from projektfabrik.accounts.models import User
from projektfabrik.accounts.passwords import hash_password
from projektfabrik.accounts.personal_data import HIDDEN, PERSON_TABLE, person_columns
from projektfabrik.app import create_app
from projektfabrik.config import REPO_ROOT
from projektfabrik.demo import seed
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import Tenant
from projektfabrik.tenancy.tables import town_tables
from projektfabrik.testing import HostClient, Town, login, truncate_all

#: Columns that point at a person and have no row in the demo yet, so this test
#: cannot show their rows reaching the export (the export finds them all the
#: same, by their foreign key). A new one fails the test: seed a row in the
#: demo (core demo.py, or the plugin's pf_demo), or add it here.
NOT_IN_THE_DEMO = {
    ("funding_application", "created_by_id"),
    ("funding_regional_application", "submitted_by_id"),
    ("plan_section", "updated_by_id"),
    ("plan_task", "responsible_id"),
    ("plan_version", "author_id"),
    ("plan_work_package", "responsible_id"),
    ("project_update", "author_id"),
    ("team_join_request", "user_id"),
    ("team_meeting", "created_by_id"),
    ("team_post", "author_id"),
    ("audit_entry", "actor_id"),
    ("audit_entry", "subject_id"),
    ("recovery_code", "user_id"),
    ("sso_identity", "user_id"),
    ("town_link", "user_id"),  # tests/test_joining.py checks it reaches the export
    ("councilmotion_list", "entered_by_id"),
    ("pubtools_printed_sheet", "printed_by_id"),
    ("pubtools_sheet_photo", "uploaded_by_id"),
    ("legal_text_version", "author_id"),
    ("workshops_item", "author_id"),
    ("funding_juror", "user_id"),
    ("funding_rating", "juror_id"),
    ("funding_document", "uploaded_by_id"),
    ("funding_audit", "actor_id"),
    ("team_join_request", "decided_by_id"),
    ("team_file", "uploaded_by_id"),
    ("report", "reporter_id"),
    ("report", "decided_by_id"),
    ("plan_resource_offer", "offered_by_id"),
    ("plan_resource_offer", "decided_by_id"),
    ("notification_digest", "user_id"),
    ("notification_preference", "user_id"),
    ("login_session", "user_id"),
}
PERSONISH = ("user_id", "author_id", "_by_id", "owner_id", "person_id", "juror_id", "actor_id")


@pytest.fixture
def demo(app_config: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    tenants = tmp_path / "tenants-copy"
    shutil.copytree(REPO_ROOT / "tenants", tenants)
    app = create_app({**app_config, "TENANTS_DIR": str(tenants)})
    app.test_client_class = HostClient
    with app.app_context():
        list(seed())
    yield app
    with app.app_context():
        db.session.remove()
        truncate_all()
        db.engine.dispose()


def test_a_column_that_names_a_person_must_be_a_foreign_key(app: Flask) -> None:
    """Otherwise neither the export nor the town archive could know it points at someone."""
    suspicious = [
        f"{spec.name}.{c.name}"
        for spec in town_tables(db.metadata)
        for c in spec.table.c
        if c.name.endswith(PERSONISH) and isinstance(c.type, Integer) and not c.foreign_keys
    ]
    assert not suspicious, f"declare a ForeignKey('{PERSON_TABLE}.id') for {suspicious}"


def test_every_row_about_a_person_is_in_their_export(demo: Flask) -> None:
    with demo.app_context():
        towns = db.session.scalars(select(Tenant)).all()
        checked, unseeded = set(), set()
        for spec, columns in person_columns():
            for column in columns:
                found = None
                for town in towns:
                    table = spec.table
                    found = db.session.execute(
                        select(table.c[column], table.c.tenant_id)
                        .where(table.c.tenant_id == town.id, table.c[column].is_not(None))
                        .limit(1)
                    ).first()
                    if found:
                        break
                if found is None:
                    unseeded.add((spec.name, column))
                    continue
                person_id, tenant_id = found
                town = db.session.get_one(Tenant, tenant_id)
                with tenant_context(town):
                    person = db.session.get_one(User, person_id)
                    email = person.email
                client = demo.test_client()
                client.base_url = f"http://{town.canonical_host}"
                with tenant_context(town):
                    person = db.session.get_one(User, person_id)
                    person.password_hash = hash_password("export-test")
                    db.session.commit()
                login(client, email, "export-test")
                data = json.loads(client.get("/konto/daten.json").get_data(as_text=True))
                rows = data["records"].get(spec.name, [])
                you_are = column.removesuffix("_id")
                assert any(you_are in row["you_are"] for row in rows), (spec.name, column)
                checked.add((spec.name, column))
        assert checked, "the demo has no rows about people?"
        assert unseeded <= NOT_IN_THE_DEMO, (
            f"no demo row for {sorted(unseeded - NOT_IN_THE_DEMO)}: seed one in the demo "
            "(pf_demo) so this test proves those rows reach the person's export"
        )


def test_the_export_holds_my_rows_not_others_and_hides_secrets(town_a: Town, town_b: Town) -> None:
    from projektfabrik.marketplace import services as marketplace

    me = town_a.user("me@example.org", name="Ich")
    other = town_a.user("other@example.org", name="Andere")
    elsewhere = town_b.user("me@example.org", name="Ich in B")
    with town_a.request_context():
        mine = marketplace.publish_idea(
            me, marketplace.ProjectInput(title="Mein Garten", pitch="Wir gärtnern.")
        )
        marketplace.publish_idea(
            other, marketplace.ProjectInput(title="Fremdes Kino", pitch="Filme zeigen.")
        )
        db.session.commit()
        number = mine.number
    with town_b.request_context():
        marketplace.publish_idea(
            elsewhere, marketplace.ProjectInput(title="Garten in B", pitch="Anderswo.")
        )
        db.session.commit()
    client = town_a.client()
    login(client, "me@example.org")
    data = json.loads(client.get("/konto/daten.json").get_data(as_text=True))
    titles = [row["title"] for row in data["records"]["project"]]
    assert titles == ["Mein Garten"]
    assert [r["project_id"] for r in data["records"]["membership"]] and all(
        r["you_are"] == ["user"] for r in data["records"]["membership"]
    )
    sessions = data["records"]["login_session"]
    assert sessions and all(s["key_hash"] == HIDDEN for s in sessions)
    assert all(m["reply_key"] == HIDDEN for m in data["records"]["membership"])
    assert "Fremdes Kino" not in json.dumps(data) and "Garten in B" not in json.dumps(data)
    assert data["account"]["email"] == "me@example.org" and number
