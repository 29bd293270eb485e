"""workshops, registrations, board

Revision ID: 8ba5c4497a03
Revises:
Create Date: 2026-12-02 09:49:25.764905
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.api import CORE_BASE_REVISION, UTCDateTime

revision = "8ba5c4497a03"
down_revision = None
branch_labels = ("workshops",)
depends_on = CORE_BASE_REVISION


def upgrade() -> None:

    op.create_table(
        "workshops_workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("series_ref", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("accessibility", sa.Text(), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_deadline", UTCDateTime(), nullable=True),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("invited_projects", sa.JSON(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "published",
                "cancelled",
                name="workshopstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("protocol", sa.Text(), nullable=False),
        sa.Column("protocol_published_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["user_account.id"],
            name=op.f("fk_workshops_workshop_moderator_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_workshops_workshop_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops_workshop")),
        sa.UniqueConstraint("tenant_id", "ref", name=op.f("uq_workshops_workshop_tenant_id_ref")),
    )
    with op.batch_alter_table("workshops_workshop", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshops_workshop_series_ref"), ["series_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshops_workshop_starts_at"), ["starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshops_workshop_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "workshops_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "idea",
                "question",
                "agreement",
                "task",
                "note",
                name="itemkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("project_ref", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_workshops_item_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_workshops_item_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops_workshop.id"],
            name=op.f("fk_workshops_item_workshop_id_workshops_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops_item")),
        sa.UniqueConstraint("tenant_id", "ref", name=op.f("uq_workshops_item_tenant_id_ref")),
    )
    with op.batch_alter_table("workshops_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshops_item_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshops_item_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "workshops_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column(
            "attendance",
            sa.Enum("onsite", "online", name="attendance", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("named_in_protocol", sa.Boolean(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "unconfirmed",
                "confirmed",
                "waiting",
                "cancelled",
                name="regstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("checked_in_at", UTCDateTime(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_workshops_registration_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_workshops_registration_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops_workshop.id"],
            name=op.f("fk_workshops_registration_workshop_id_workshops_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops_registration")),
        sa.UniqueConstraint(
            "tenant_id", "ref", name=op.f("uq_workshops_registration_tenant_id_ref")
        ),
    )
    with op.batch_alter_table("workshops_registration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshops_registration_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshops_registration_user_id"), ["user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshops_registration_workshop_id"), ["workshop_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("workshops_registration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshops_registration_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_workshops_registration_user_id"))
        batch_op.drop_index(batch_op.f("ix_workshops_registration_tenant_id"))

    op.drop_table("workshops_registration")
    with op.batch_alter_table("workshops_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshops_item_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_workshops_item_tenant_id"))

    op.drop_table("workshops_item")
    with op.batch_alter_table("workshops_workshop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshops_workshop_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_workshops_workshop_starts_at"))
        batch_op.drop_index(batch_op.f("ix_workshops_workshop_series_ref"))

    op.drop_table("workshops_workshop")
