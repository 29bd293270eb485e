"""region: the welcome text per language (``[texts.welcome]`` in region.toml)

Revision ID: a4c7e2b9d1f3
Revises: 5285bcc276ee
Create Date: 2026-12-02 17:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a4c7e2b9d1f3"
down_revision = "5285bcc276ee"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing regions keep their one text in welcome_md; the map starts empty.
    with op.batch_alter_table("region") as batch:
        batch.add_column(
            sa.Column("welcome_by_language", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("region") as batch:
        batch.drop_column("welcome_by_language")
