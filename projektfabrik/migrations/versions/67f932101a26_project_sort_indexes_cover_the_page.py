"""the marketplace's sort indexes hold the id and the status

Revision ID: 67f932101a26
Revises: 5e1a7c93b2d4
Create Date: 2026-12-02 14:10:00

A deep page of the marketplace (``seite=30``) skips the rows of the pages
before it. With ``(tenant_id, <sort column>, id)`` and the status included
(PostgreSQL ``INCLUDE``), the list first picks the page's ids from the index
alone and reads only those 24 rows (marketplace/listing.py), so page 30
costs about what page 1 does (docs/benchmarks.md, "Deep pages"). SQLite has
no ``INCLUDE``; it gets the columns without it.
"""

from alembic import op

revision = "67f932101a26"
down_revision = "5e1a7c93b2d4"
branch_labels = None
depends_on = None

SORTS = {
    "ix_project_tenant_created": "created_at",
    "ix_project_tenant_supports": "support_count",
    "ix_project_tenant_activity": "last_activity_at",
}


def upgrade() -> None:
    for name, column in SORTS.items():
        op.drop_index(name, table_name="project")
        op.create_index(name, "project", ["tenant_id", column, "id"], postgresql_include=["status"])


def downgrade() -> None:
    for name, column in SORTS.items():
        op.drop_index(name, table_name="project")
        op.create_index(name, "project", ["tenant_id", column])
