"""a reply address per team member (membership.reply_key)

Revision ID: f3a9d1c7e5b2
Revises: e8c2a6f0b3d9
Create Date: 2026-12-03 10:00:00
"""

import base64
import secrets

import sqlalchemy as sa
from alembic import op

revision = "f3a9d1c7e5b2"
down_revision = "e8c2a6f0b3d9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("membership") as batch_op:
        batch_op.add_column(sa.Column("reply_key", sa.String(16), nullable=True))
    membership = sa.table("membership", sa.column("id", sa.Integer), sa.column("reply_key"))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(membership.c.id)).all():
        key = base64.b32encode(secrets.token_bytes(10)).decode().lower()
        connection.execute(
            membership.update().where(membership.c.id == row_id).values(reply_key=key)
        )
    with op.batch_alter_table("membership") as batch_op:
        batch_op.alter_column("reply_key", existing_type=sa.String(16), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("membership") as batch_op:
        batch_op.drop_column("reply_key")
