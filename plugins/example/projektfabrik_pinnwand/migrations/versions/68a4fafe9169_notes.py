"""pinnwand: the notes table (first revision of the plugin's own branch)

Revision ID: 68a4fafe9169
Revises:
Create Date: 2026-11-26 19:20:02.015856
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.api import CORE_BASE_REVISION, UTCDateTime

revision = "68a4fafe9169"
down_revision = None
# The plugin's own branch, named like the plugin; it needs the core's tables.
branch_labels = ("pinnwand",)
depends_on = CORE_BASE_REVISION


def upgrade() -> None:
    op.create_table(
        "pinnwand_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("project_ref", sa.String(length=32), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_pinnwand_note_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_pinnwand_note_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pinnwand_note")),
        sa.UniqueConstraint("tenant_id", "ref", name=op.f("uq_pinnwand_note_tenant_id_ref")),
    )
    with op.batch_alter_table("pinnwand_note", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pinnwand_note_tenant_created", ["tenant_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pinnwand_note_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pinnwand_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pinnwand_note_tenant_id"))
        batch_op.drop_index("ix_pinnwand_note_tenant_created")
    op.drop_table("pinnwand_note")
