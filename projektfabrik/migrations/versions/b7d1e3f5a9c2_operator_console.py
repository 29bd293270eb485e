"""operators of the deployment, their recovery codes and audit log

Revision ID: b7d1e3f5a9c2
Revises: a4c2e8f1b7d3
Create Date: 2026-12-02 10:40:00
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.db import UTCDateTime

revision = "b7d1e3f5a9c2"
down_revision = "a4c2e8f1b7d3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_operator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("totp_secret", sa.Text(), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_sign_in_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_operator")),
        sa.UniqueConstraint("email", name=op.f("uq_console_operator_email")),
    )
    op.create_table(
        "console_recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["console_operator.id"],
            name=op.f("fk_console_recovery_code_operator_id_console_operator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_recovery_code")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_console_recovery_code_operator_id"), "console_recovery_code", ["operator_id"]
    )
    op.create_table(
        "console_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("operator_email", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("town", sa.String(length=63), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_audit")),
    )
    op.create_index(op.f("ix_console_audit_created_at"), "console_audit", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_console_audit_created_at"), table_name="console_audit")
    op.drop_table("console_audit")
    op.drop_index(op.f("ix_console_recovery_code_operator_id"), table_name="console_recovery_code")
    op.drop_table("console_recovery_code")
    op.drop_table("console_operator")
