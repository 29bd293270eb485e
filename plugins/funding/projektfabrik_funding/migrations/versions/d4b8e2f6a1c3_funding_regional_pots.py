"""funding: regional pots, the neighbours' copies and applications across towns

Revision ID: d4b8e2f6a1c3
Revises: 5e1f0a7c2b94
Create Date: 2026-12-02 18:30:00
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.api import UTCDateTime

revision = "d4b8e2f6a1c3"
down_revision = "5e1f0a7c2b94"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("funding_pot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("regional", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("funding_application", schema=None) as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("regional_town", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("regional_town_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("regional_ref", sa.String(length=24), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_funding_application_regional_town_id_tenant"),
            "tenant", ["regional_town_id"], ["id"], ondelete="SET NULL",
        )  # fmt: skip
    op.create_table(
        "funding_neighbour_pot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("from_town_id", sa.Integer(), nullable=False),
        sa.Column("from_town", sa.String(length=200), nullable=False),
        sa.Column("pot_ref", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sponsor", sa.String(length=200), nullable=False),
        sa.Column("budget_cents", sa.BigInteger(), nullable=False),
        sa.Column("min_grant_cents", sa.BigInteger(), nullable=False),
        sa.Column("max_grant_cents", sa.BigInteger(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_town_id"], ["tenant.id"],
            name=op.f("fk_funding_neighbour_pot_from_town_id_tenant"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"],
            name=op.f("fk_funding_neighbour_pot_tenant_id_tenant"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_neighbour_pot")),
        sa.UniqueConstraint("tenant_id", "ref", name=op.f("uq_funding_neighbour_pot_tenant_id_ref")),
        sa.UniqueConstraint(
            "tenant_id", "from_town_id", "pot_ref",
            name=op.f("uq_funding_neighbour_pot_tenant_id_from_town_id_pot_ref"),
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_funding_neighbour_pot_tenant_id"), "funding_neighbour_pot", ["tenant_id"]
    )
    op.create_table(
        "funding_regional_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("neighbour_pot_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("message_ref", sa.String(length=24), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("approved_cents", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbour_pot_id"], ["funding_neighbour_pot.id"],
            name=op.f("fk_funding_regional_application_neighbour_pot_id_funding_neighbour_pot"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"],
            name=op.f("fk_funding_regional_application_project_id_project"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["user_account.id"],
            name=op.f("fk_funding_regional_application_submitted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"],
            name=op.f("fk_funding_regional_application_tenant_id_tenant"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_regional_application")),
        sa.UniqueConstraint(
            "tenant_id", "ref", name=op.f("uq_funding_regional_application_tenant_id_ref")
        ),
    )  # fmt: skip
    for column in ("neighbour_pot_id", "project_id", "tenant_id"):
        op.create_index(
            op.f(f"ix_funding_regional_application_{column}"),
            "funding_regional_application",
            [column],
        )


def downgrade() -> None:
    op.drop_table("funding_regional_application")
    op.drop_table("funding_neighbour_pot")
    with op.batch_alter_table("funding_application", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_funding_application_regional_town_id_tenant"), type_="foreignkey"
        )
        batch_op.drop_column("regional_ref")
        batch_op.drop_column("regional_town_id")
        batch_op.drop_column("regional_town")
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("funding_pot", schema=None) as batch_op:
        batch_op.drop_column("regional")
