"""the site in Leichte Sprache / Easy Read and a sign-language video link per town

Revision ID: f3a7c1d9e5b2
Revises: f3b9d1c7a2e5
Create Date: 2026-12-02 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f3a7c1d9e5b2"
down_revision = "f3b9d1c7a2e5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.add_column(sa.Column("easy_read_md", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("easy_read_en_md", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("sign_language_video_url", sa.String(length=500), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("tenant") as batch_op:
        batch_op.drop_column("sign_language_video_url")
        batch_op.drop_column("easy_read_en_md")
        batch_op.drop_column("easy_read_md")
