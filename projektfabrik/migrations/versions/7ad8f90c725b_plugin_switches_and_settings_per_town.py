"""plugin switches and settings per town (tenant_plugin)

Revision ID: 7ad8f90c725b
Revises: 71071106cf4e
Create Date: 2026-11-26 19:18:38.067275
"""

import sqlalchemy as sa
from alembic import op

import projektfabrik.db

revision = "7ad8f90c725b"
down_revision = "71071106cf4e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenant_plugin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plugin", sa.String(length=40), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("defaults", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("changed_at", projektfabrik.db.UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_tenant_plugin_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_plugin")),
        sa.UniqueConstraint("tenant_id", "plugin", name=op.f("uq_tenant_plugin_tenant_id_plugin")),
    )
    with op.batch_alter_table("tenant_plugin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tenant_plugin_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tenant_plugin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenant_plugin_tenant_id"))

    op.drop_table("tenant_plugin")
