"""businessplan: plans and funding links

Revision ID: b1e55a7c0d01
Revises:
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.api import CORE_BASE_REVISION, UTCDateTime

revision = "b1e55a7c0d01"
down_revision = None
branch_labels = ("businessplan",)
# The plugin's own branch; it needs the core's towns, people and projects.
depends_on = (CORE_BASE_REVISION, "918b56f38243")


def upgrade() -> None:
    op.create_table(
        "businessplan_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("outline", sa.String(length=16), nullable=False),
        sa.Column("is_public", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("numbers_public", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_businessplan_plan_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_businessplan_plan_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_businessplan_plan_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_businessplan_plan")),
        sa.UniqueConstraint(
            "tenant_id", "project_id", name=op.f("uq_businessplan_plan_tenant_id_project_id")
        ),
    )
    with op.batch_alter_table("businessplan_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_businessplan_plan_tenant_id"), ["tenant_id"], unique=False
        )
    op.create_table(
        "businessplan_funding_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_ref", sa.String(length=32), nullable=False),
        sa.Column("project_ref", sa.String(length=32), nullable=False),
        sa.Column("approved_cents", sa.BigInteger(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_businessplan_funding_link_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_businessplan_funding_link")),
        sa.UniqueConstraint(
            "tenant_id",
            "application_ref",
            name=op.f("uq_businessplan_funding_link_tenant_id_application_ref"),
        ),
    )
    with op.batch_alter_table("businessplan_funding_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_businessplan_funding_link_project_ref"), ["project_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_businessplan_funding_link_tenant_id"), ["tenant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("businessplan_funding_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_businessplan_funding_link_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_businessplan_funding_link_project_ref"))
    op.drop_table("businessplan_funding_link")
    with op.batch_alter_table("businessplan_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_businessplan_plan_tenant_id"))
    op.drop_table("businessplan_plan")
