"""login sessions kept on the server, last login, confirmed staff, one report per person

Revision ID: f3a9c1d7e5b2
Revises: f3a9d1c7e5b2
Create Date: 2026-12-02 08:00:00

Existing login cookies name no login session and so log nobody in after the
upgrade: everyone logs in once more. People who had chosen the kind
"administration" themselves become citizens until the town's admin confirms
them. Reports a person sent twice about the same
comment keep their first row.
"""

import sqlalchemy as sa
from alembic import op

import projektfabrik.db

revision = "f3a9c1d7e5b2"
down_revision = "f3a9d1c7e5b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", projektfabrik.db.UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_login_session_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_login_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_login_session_key_hash")),
    )  # fmt: skip
    with op.batch_alter_table("login_session") as batch_op:
        batch_op.create_index(batch_op.f("ix_login_session_tenant_id"), ["tenant_id"])
        batch_op.create_index(batch_op.f("ix_login_session_user_id"), ["user_id"])

    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("last_login_at", projektfabrik.db.UTCDateTime()))
        batch_op.add_column(sa.Column("staff_confirmed_at", projektfabrik.db.UTCDateTime()))
        batch_op.add_column(
            sa.Column(
                "confirmed_organisation", sa.String(length=200), nullable=False, server_default=""
            )
        )

    # Nobody confirmed the staff kind people chose themselves: they show as
    # citizens until the town's admin confirms them (/verwaltung/mitarbeitende).
    op.execute("UPDATE user_account SET kind = 'citizen' WHERE kind = 'administration'")
    op.execute(
        "DELETE FROM report WHERE reporter_id IS NOT NULL AND id NOT IN ("
        " SELECT MIN(id) FROM report WHERE reporter_id IS NOT NULL"
        " GROUP BY tenant_id, comment_id, reporter_id)"
    )
    with op.batch_alter_table("report") as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_report_tenant_id_comment_id_reporter_id"),
            ["tenant_id", "comment_id", "reporter_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("report") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_report_tenant_id_comment_id_reporter_id"), type_="unique"
        )
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("confirmed_organisation")
        batch_op.drop_column("staff_confirmed_at")
        batch_op.drop_column("last_login_at")
    op.drop_table("login_session")
