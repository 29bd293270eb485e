"""town links and handoff nonces: joining a project next door with one's own account

Revision ID: 7c4e2a9d1f60
Revises: c3e9a7d1f5b4
Create Date: 2026-12-02 18:00:00
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.db import UTCDateTime

revision = "7c4e2a9d1f60"
down_revision = "c3e9a7d1f5b4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_nonce",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_handoff_nonce_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_nonce")),
        sa.UniqueConstraint("tenant_id", "nonce", name=op.f("uq_handoff_nonce_tenant_id_nonce")),
    )  # fmt: skip
    op.create_index(op.f("ix_handoff_nonce_tenant_id"), "handoff_nonce", ["tenant_id"])
    op.create_index(op.f("ix_handoff_nonce_used_at"), "handoff_nonce", ["used_at"])
    op.create_table(
        "town_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("other_town_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.Enum("home", "guest", name="side", native_enum=False, length=10),
                  nullable=False),
        sa.Column("home_ref", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_town_link_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_town_id"], ["tenant.id"], name=op.f("fk_town_link_other_town_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_town_link_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_town_link")),
        sa.UniqueConstraint(
            "tenant_id", "user_id", "other_town_id",
            name=op.f("uq_town_link_tenant_id_user_id_other_town_id"),
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_town_link_tenant_id"), "town_link", ["tenant_id"])
    op.create_index(op.f("ix_town_link_user_id"), "town_link", ["user_id"])
    op.create_index(op.f("ix_town_link_home_ref"), "town_link", ["home_ref"])


def downgrade() -> None:
    op.drop_table("town_link")
    op.drop_table("handoff_nonce")
