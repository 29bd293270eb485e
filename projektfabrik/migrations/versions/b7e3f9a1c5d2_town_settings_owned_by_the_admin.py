"""settings the town's admin owns (appearance, contact) and legal text versions

Revision ID: b7e3f9a1c5d2
Revises: a11c0de5f7b1
Create Date: 2026-12-02 10:10:00
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.db import UTCDateTime

revision = "b7e3f9a1c5d2"
down_revision = "a11c0de5f7b1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.add_column(
            sa.Column("short_name", sa.String(length=60), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("headline", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("contact_email", sa.String(length=254), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("contact_address", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("on_brand_color", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("logo_upload", sa.String(length=100), nullable=True))
        # Existing towns: nothing changed in the browser yet, so tenant sync keeps
        # copying everything from tenant.toml as before.
        batch_op.add_column(
            sa.Column("admin_edited", sa.JSON(), server_default="[]", nullable=False)
        )
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("blocked_at", UTCDateTime(), nullable=True))
    op.create_table(
        "legal_text_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("page", sa.String(length=20), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_legal_text_version_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_legal_text_version_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_text_version")),
    )
    with op.batch_alter_table("legal_text_version") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legal_text_version_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_legal_text_version_tenant_page", ["tenant_id", "page", "id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("legal_text_version")
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("blocked_at")
    with op.batch_alter_table("tenant") as batch_op:
        for column in (
            "admin_edited",
            "logo_upload",
            "on_brand_color",
            "contact_address",
            "contact_email",
            "headline",
            "short_name",
        ):
            batch_op.drop_column(column)
