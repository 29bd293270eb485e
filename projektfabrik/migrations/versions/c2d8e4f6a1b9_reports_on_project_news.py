"""reports on a project's news, and news the moderators hid

Revision ID: c2d8e4f6a1b9
Revises: b7e3f9a1c5d2
Create Date: 2026-12-02 10:25:00
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.db import UTCDateTime

revision = "c2d8e4f6a1b9"
down_revision = "b7e3f9a1c5d2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project_update") as batch_op:
        batch_op.add_column(sa.Column("hidden_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("hidden_reason", sa.Text(), server_default="", nullable=False)
        )
    with op.batch_alter_table("report") as batch_op:
        batch_op.alter_column("comment_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("update_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_report_update_id_project_update"),
            "project_update",
            ["update_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_report_update_id"), ["update_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_report_tenant_id_update_id_reporter_id"),
            ["tenant_id", "update_id", "reporter_id"],
        )


def downgrade() -> None:
    op.execute("DELETE FROM report WHERE comment_id IS NULL")
    with op.batch_alter_table("report") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_report_tenant_id_update_id_reporter_id"), type_="unique"
        )
        batch_op.drop_index(batch_op.f("ix_report_update_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_report_update_id_project_update"), type_="foreignkey"
        )
        batch_op.drop_column("update_id")
        batch_op.alter_column("comment_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("project_update") as batch_op:
        batch_op.drop_column("hidden_reason")
        batch_op.drop_column("hidden_at")
