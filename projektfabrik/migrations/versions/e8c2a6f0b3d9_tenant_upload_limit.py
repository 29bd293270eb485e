"""a per-town upload size limit (tenant.toml [uploads] max_mb)

Revision ID: e8c2a6f0b3d9
Revises: d7b3e5a9c2f1
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e8c2a6f0b3d9"
down_revision = "d7b3e5a9c2f1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.add_column(sa.Column("upload_max_mb", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.drop_column("upload_max_mb")
