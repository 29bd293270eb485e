"""project drafts from the board

Revision ID: 7539dacbfb72
Revises: 8ba5c4497a03
Create Date: 2026-12-02 11:01:52.930359
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.api import UTCDateTime

revision = "7539dacbfb72"
down_revision = "8ba5c4497a03"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "workshops_project_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("pitch", sa.String(length=280), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("project_ref", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["workshops_item.id"],
            name=op.f("fk_workshops_project_draft_item_id_workshops_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_workshops_project_draft_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops_workshop.id"],
            name=op.f("fk_workshops_project_draft_workshop_id_workshops_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops_project_draft")),
        sa.UniqueConstraint(
            "tenant_id", "ref", name=op.f("uq_workshops_project_draft_tenant_id_ref")
        ),
    )
    with op.batch_alter_table("workshops_project_draft", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshops_project_draft_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshops_project_draft_workshop_id"), ["workshop_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("workshops_project_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshops_project_draft_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_workshops_project_draft_tenant_id"))

    op.drop_table("workshops_project_draft")
