"""regions: the operator's regions and members, each town's choice, a project's choice

Revision ID: 5285bcc276ee
Revises: 67f932101a26
Create Date: 2026-12-02 14:10:00
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.db import UTCDateTime

revision = "5285bcc276ee"
down_revision = "67f932101a26"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=253), nullable=False),
        sa.Column("primary_color", sa.String(length=7), nullable=False),
        sa.Column("welcome_md", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region")),
        sa.UniqueConstraint("host", name=op.f("uq_region_host")),
        sa.UniqueConstraint("slug", name=op.f("uq_region_slug")),
    )
    op.create_table(
        "region_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_region_member_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["town_id"], ["tenant.id"], name=op.f("fk_region_member_town_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_member")),
        sa.UniqueConstraint("town_id", name=op.f("uq_region_member_town_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_region_member_region_id"), "region_member", ["region_id"])
    op.create_table(
        "regional_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("projects_shown_by_default", sa.Boolean(), nullable=False),
        sa.Column("neighbours_section", sa.Boolean(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_regional_choice_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regional_choice")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_regional_choice_tenant_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_regional_choice_tenant_id"), "regional_choice", ["tenant_id"])
    with op.batch_alter_table("project") as batch_op:
        batch_op.add_column(sa.Column("shown_in_region", sa.Boolean(), nullable=True))
    op.create_index(
        "ix_project_region", "project", ["tenant_id", "status", "shown_in_region"], unique=False
    )
    op.create_index("ix_project_created", "project", ["created_at"], unique=False)
    op.create_index("ix_project_activity", "project", ["last_activity_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_project_activity", table_name="project")
    op.drop_index("ix_project_created", table_name="project")
    op.drop_index("ix_project_region", table_name="project")
    with op.batch_alter_table("project") as batch_op:
        batch_op.drop_column("shown_in_region")
    op.drop_index(op.f("ix_regional_choice_tenant_id"), table_name="regional_choice")
    op.drop_table("regional_choice")
    op.drop_index(op.f("ix_region_member_region_id"), table_name="region_member")
    op.drop_table("region_member")
    op.drop_table("region")
