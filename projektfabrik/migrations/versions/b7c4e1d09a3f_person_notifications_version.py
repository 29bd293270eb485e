"""a person's notifications version

Revision ID: b7c4e1d09a3f
Revises: a4c7e2b9d1f3
Create Date: 2026-12-02 18:00:00

Every change of a person's notifications raises it (notifications/counting.py),
so a worker can keep the bell's unread count and know it is still right
without counting again: the number comes with the person, who is loaded on
every request anyway.
"""

import sqlalchemy as sa
from alembic import op

revision = "b7c4e1d09a3f"
down_revision = "a4c7e2b9d1f3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("notifications_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("notifications_version")
