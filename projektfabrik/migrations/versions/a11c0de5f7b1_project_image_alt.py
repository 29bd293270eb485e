"""a text alternative for a project's picture, written by its team (WCAG 1.1.1)

Revision ID: a11c0de5f7b1
Revises: a7d4e2c9b1f6
Create Date: 2026-12-02 10:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a11c0de5f7b1"
down_revision = "a7d4e2c9b1f6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project") as batch_op:
        batch_op.add_column(
            sa.Column("image_alt", sa.String(length=300), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("project") as batch_op:
        batch_op.drop_column("image_alt")
