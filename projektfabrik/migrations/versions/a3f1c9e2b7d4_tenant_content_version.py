"""a per-town version number of public content, for the page cache

Revision ID: a3f1c9e2b7d4
Revises: c4a1e07d5b21
Create Date: 2026-11-26 22:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a3f1c9e2b7d4"
down_revision = "c4a1e07d5b21"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.add_column(
            sa.Column("content_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.drop_column("content_version")
