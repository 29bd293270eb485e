"""funding: a jury pot's ratings required before a decision

Revision ID: 5e1f0a7c2b94
Revises: 0153a6be5cde
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5e1f0a7c2b94"
down_revision = "0153a6be5cde"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("funding_pot", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ratings_required", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("funding_pot", schema=None) as batch_op:
        batch_op.drop_column("ratings_required")
