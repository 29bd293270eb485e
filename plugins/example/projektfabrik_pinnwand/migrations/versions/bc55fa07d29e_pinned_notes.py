"""pinnwand: moderators pin notes (a column added to a table that holds data)

Revision ID: bc55fa07d29e
Revises: 68a4fafe9169
Create Date: 2026-11-26 19:20:06.779554
"""

import sqlalchemy as sa
from alembic import op

revision = "bc55fa07d29e"
down_revision = "68a4fafe9169"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A server default, so the notes already on the board get a value.
    with op.batch_alter_table("pinnwand_note", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pinned", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("pinnwand_note", schema=None) as batch_op:
        batch_op.drop_column("pinned")
