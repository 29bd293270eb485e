"""motions, versions, steps, group requests, lists, signatures

Revision ID: c6bb88a340bf
Revises:
"""

import sqlalchemy as sa
from alembic import op

from projektfabrik.api import CORE_BASE_REVISION, UTCDateTime

revision = "c6bb88a340bf"
down_revision = None
branch_labels = ("councilmotion",)
# the tenant table, and the project table the motions belong to
depends_on = (CORE_BASE_REVISION, "918b56f38243")


def upgrade() -> None:
    op.create_table(
        "councilmotion_motion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("financial_effects", sa.Text(), nullable=False),
        sa.Column("budget_line", sa.String(length=200), nullable=False),
        sa.Column("submitters", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "path",
            sa.Enum("group", "residents", name="path", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "sent",
                "carried",
                "collecting",
                "filed",
                "received",
                "admissible",
                "inadmissible",
                "referred",
                "on_agenda",
                "accepted",
                "rejected",
                "changed",
                name="state",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("collect_until", sa.Date(), nullable=True),
        sa.Column("paper_reference", sa.String(length=100), nullable=False),
        sa.Column("paper_url", sa.String(length=500), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("filed_at", UTCDateTime(), nullable=True),
        sa.Column("personal_data_deleted_at", UTCDateTime(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_councilmotion_motion_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_councilmotion_motion_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councilmotion_motion")),
        sa.UniqueConstraint("tenant_id", "ref", name=op.f("uq_councilmotion_motion_tenant_id_ref")),
    )
    with op.batch_alter_table("councilmotion_motion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_councilmotion_motion_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_councilmotion_motion_ref"), ["ref"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_councilmotion_motion_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "councilmotion_group_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("group_email", sa.String(length=320), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("accepted_at", UTCDateTime(), nullable=True),
        sa.Column("accepted_by", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["councilmotion_motion.id"],
            name=op.f("fk_councilmotion_group_request_motion_id_councilmotion_motion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_councilmotion_group_request_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councilmotion_group_request")),
    )
    with op.batch_alter_table("councilmotion_group_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_councilmotion_group_request_motion_id"), ["motion_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_councilmotion_group_request_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_councilmotion_group_request_token_hash"), ["token_hash"], unique=False
        )

    op.create_table(
        "councilmotion_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("scan_name", sa.String(length=120), nullable=False),
        sa.Column("scan_display_name", sa.String(length=200), nullable=False),
        sa.Column("scan_kind", sa.String(length=100), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["user_account.id"],
            name=op.f("fk_councilmotion_list_entered_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["councilmotion_motion.id"],
            name=op.f("fk_councilmotion_list_motion_id_councilmotion_motion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_councilmotion_list_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councilmotion_list")),
        sa.UniqueConstraint(
            "motion_id", "number", name=op.f("uq_councilmotion_list_motion_id_number")
        ),
    )
    with op.batch_alter_table("councilmotion_list", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_councilmotion_list_motion_id"), ["motion_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_councilmotion_list_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "councilmotion_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "sent",
                "carried",
                "collecting",
                "filed",
                "received",
                "admissible",
                "inadmissible",
                "referred",
                "on_agenda",
                "accepted",
                "rejected",
                "changed",
                name="state",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["user_account.id"],
            name=op.f("fk_councilmotion_step_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["councilmotion_motion.id"],
            name=op.f("fk_councilmotion_step_motion_id_councilmotion_motion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_councilmotion_step_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councilmotion_step")),
    )
    with op.batch_alter_table("councilmotion_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_councilmotion_step_motion_id"), ["motion_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_councilmotion_step_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "councilmotion_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_councilmotion_version_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["councilmotion_motion.id"],
            name=op.f("fk_councilmotion_version_motion_id_councilmotion_motion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_councilmotion_version_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councilmotion_version")),
        sa.UniqueConstraint(
            "motion_id", "number", name=op.f("uq_councilmotion_version_motion_id_number")
        ),
    )
    with op.batch_alter_table("councilmotion_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_councilmotion_version_motion_id"), ["motion_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_councilmotion_version_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "councilmotion_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("purged", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["councilmotion_list.id"],
            name=op.f("fk_councilmotion_signature_list_id_councilmotion_list"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["councilmotion_motion.id"],
            name=op.f("fk_councilmotion_signature_motion_id_councilmotion_motion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_councilmotion_signature_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_councilmotion_signature_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councilmotion_signature")),
    )
    with op.batch_alter_table("councilmotion_signature", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_councilmotion_signature_list_id"), ["list_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_councilmotion_signature_motion_id"), ["motion_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_councilmotion_signature_tenant_id"), ["tenant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("councilmotion_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_councilmotion_signature_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_signature_motion_id"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_signature_list_id"))

    op.drop_table("councilmotion_signature")
    with op.batch_alter_table("councilmotion_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_councilmotion_version_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_version_motion_id"))

    op.drop_table("councilmotion_version")
    with op.batch_alter_table("councilmotion_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_councilmotion_step_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_step_motion_id"))

    op.drop_table("councilmotion_step")
    with op.batch_alter_table("councilmotion_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_councilmotion_list_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_list_motion_id"))

    op.drop_table("councilmotion_list")
    with op.batch_alter_table("councilmotion_group_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_councilmotion_group_request_token_hash"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_group_request_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_group_request_motion_id"))

    op.drop_table("councilmotion_group_request")
    with op.batch_alter_table("councilmotion_motion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_councilmotion_motion_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_motion_ref"))
        batch_op.drop_index(batch_op.f("ix_councilmotion_motion_project_id"))

    op.drop_table("councilmotion_motion")
