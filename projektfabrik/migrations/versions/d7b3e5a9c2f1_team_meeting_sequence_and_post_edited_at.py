"""team meetings can be changed (iCalendar SEQUENCE) and board posts edited

Revision ID: d7b3e5a9c2f1
Revises: b5e2d8f4c1a6
Create Date: 2026-11-26 23:50:00
"""

import sqlalchemy as sa
from alembic import op

import projektfabrik.db

revision = "d7b3e5a9c2f1"
down_revision = "b5e2d8f4c1a6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("team_meeting") as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("team_post") as batch_op:
        batch_op.add_column(sa.Column("edited_at", projektfabrik.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("team_post") as batch_op:
        batch_op.drop_column("edited_at")
    with op.batch_alter_table("team_meeting") as batch_op:
        batch_op.drop_column("sequence")
