"""town messages: the outbox between two towns of a region and the receipts

Revision ID: c3e9a7d1f5b4
Revises: b7c4e1d09a3f
Create Date: 2026-12-02 18:00:00
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.db import UTCDateTime

revision = "c3e9a7d1f5b4"
down_revision = "b7c4e1d09a3f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "town_message_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=63), nullable=False),
        sa.Column("to_town_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("settled_at", UTCDateTime(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_town_message_sent_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_town_id"], ["tenant.id"], name=op.f("fk_town_message_sent_to_town_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_town_message_sent")),
        sa.UniqueConstraint("tenant_id", "ref", name=op.f("uq_town_message_sent_tenant_id_ref")),
    )  # fmt: skip
    op.create_index(op.f("ix_town_message_sent_state"), "town_message_sent", ["state"])
    op.create_index(op.f("ix_town_message_sent_tenant_id"), "town_message_sent", ["tenant_id"])
    op.create_table(
        "town_message_received",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=24), nullable=False),
        sa.Column("from_town_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=63), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_town_message_received_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_town_id"], ["tenant.id"],
            name=op.f("fk_town_message_received_from_town_id_tenant"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_town_message_received")),
        sa.UniqueConstraint(
            "tenant_id", "from_town_id", "ref", name=op.f("uq_town_message_received_tenant_id_from_town_id_ref")
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_town_message_received_tenant_id"), "town_message_received", ["tenant_id"]
    )


def downgrade() -> None:
    op.drop_table("town_message_received")
    op.drop_table("town_message_sent")
