"""a version per project and the town's shared version, for what a worker keeps per project

Revision ID: d5b7e1f3a9c2
Revises: 7c4e2a9d1f60
Create Date: 2026-12-04 19:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d5b7e1f3a9c2"
down_revision = "7c4e2a9d1f60"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.add_column(
            sa.Column("shared_version", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("project") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("project") as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.drop_column("shared_version")
