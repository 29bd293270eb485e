"""merge the teams and planning branches, built side by side

Revision ID: c4a1e07d5b21
Revises: 979876860835, 9e47c8a2de5b
Create Date: 2026-11-26 20:25:00
"""

revision = "c4a1e07d5b21"
down_revision = ("979876860835", "9e47c8a2de5b")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
