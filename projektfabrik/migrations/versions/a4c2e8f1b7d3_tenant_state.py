"""a town can be suspended or made read-only by the operator

Revision ID: a4c2e8f1b7d3
Revises: f3a7c1d9e5b2
Create Date: 2026-12-02 10:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a4c2e8f1b7d3"
down_revision = "f3a7c1d9e5b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=20), server_default="active", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.drop_column("state")
