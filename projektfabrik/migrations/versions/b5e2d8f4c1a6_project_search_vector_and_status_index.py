"""project search vector and status index

Revision ID: b5e2d8f4c1a6
Revises: a3f1c9e2b7d4
Create Date: 2026-11-26 22:29:08

On PostgreSQL a stored ``search_vector`` column with a GIN index replaces the
expression index ``ix_project_search``: a search that walks a town's rows then
compares stored vectors instead of parsing and stemming every description
(docs/benchmarks.md: database CPU per search request 115 -> 11 ms). The model
does not declare the column (SQLite has no tsvector; migrations/runner.py
leaves it out of comparisons).

On both databases ``ix_project_tenant_status`` replaces ``ix_project_status``,
which no measured plan used: the marketplace count becomes an index-only scan
(5 index pages instead of 470 heap pages for a town of 2,000 projects).
"""

from alembic import op

revision = "b5e2d8f4c1a6"
down_revision = "a3f1c9e2b7d4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_status"))
        batch_op.create_index("ix_project_tenant_status", ["tenant_id", "status"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # Adding a stored generated column rewrites the table once, computing
        # every row's vector; afterwards PostgreSQL keeps it in step on write.
        op.execute(
            "ALTER TABLE project ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('german', coalesce(search_text, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_project_search_vector ON project USING gin (search_vector)")
        op.execute("DROP INDEX IF EXISTS ix_project_search")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_project_search ON project "
            "USING gin (to_tsvector('german', search_text))"
        )
        op.execute("DROP INDEX IF EXISTS ix_project_search_vector")
        op.execute("ALTER TABLE project DROP COLUMN search_vector")

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index("ix_project_tenant_status")
        batch_op.create_index(batch_op.f("ix_project_status"), ["status"], unique=False)
