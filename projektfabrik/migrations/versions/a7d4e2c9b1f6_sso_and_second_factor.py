"""sign-in settings per town (SSO, second factor required), SSO identities, TOTP, recovery codes

Revision ID: a7d4e2c9b1f6
Revises: a9d4c2e7f1b3
Create Date: 2026-12-02 10:00:00

Adds tables only and three empty columns: every account keeps signing in as
before; no town has SSO or requires a second factor until someone sets it.
"""

import sqlalchemy as sa
from alembic import op

import projektfabrik.db

revision = "a7d4e2c9b1f6"
down_revision = "a9d4c2e7f1b3"
branch_labels = None
depends_on = None


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
    )


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"],
        ["user_account.id"],
        name=op.f(f"fk_{table}_user_id_user_account"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "sign_in_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("require_second_factor", sa.Boolean(), nullable=False),
        sa.Column("sso_enabled", sa.Boolean(), nullable=False),
        sa.Column("sso_issuer", sa.String(length=500), nullable=False),
        sa.Column("sso_client_id", sa.String(length=200), nullable=False),
        sa.Column("sso_client_secret", sa.Text(), nullable=False),
        sa.Column("sso_staff_domains", sa.Text(), nullable=False),
        sa.Column("sso_staff_claim", sa.String(length=200), nullable=False),
        sa.Column("sso_group_claim", sa.String(length=100), nullable=False),
        sa.Column("sso_admin_groups", sa.Text(), nullable=False),
        sa.Column("sso_moderator_groups", sa.Text(), nullable=False),
        sa.Column("sso_organisation_claim", sa.String(length=100), nullable=False),
        sa.Column("sso_provider_mfa", sa.Boolean(), nullable=False),
        sa.Column("sso_trust_email", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        _tenant_fk("sign_in_settings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_sign_in_settings_tenant_id")),
    )
    with op.batch_alter_table("sign_in_settings") as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_settings_tenant_id"), ["tenant_id"])

    op.create_table(
        "sso_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", projektfabrik.db.UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        _tenant_fk("sso_identity"),
        _user_fk("sso_identity"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_identity")),
        sa.UniqueConstraint(
            "tenant_id", "issuer", "subject", name=op.f("uq_sso_identity_tenant_id_issuer_subject")
        ),
    )
    with op.batch_alter_table("sso_identity") as batch_op:
        batch_op.create_index(batch_op.f("ix_sso_identity_tenant_id"), ["tenant_id"])
        batch_op.create_index(batch_op.f("ix_sso_identity_user_id"), ["user_id"])

    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", projektfabrik.db.UTCDateTime(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        _tenant_fk("recovery_code"),
        _user_fk("recovery_code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    with op.batch_alter_table("recovery_code") as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_code_tenant_id"), ["tenant_id"])
        batch_op.create_index(batch_op.f("ix_recovery_code_user_id"), ["user_id"])

    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("totp_enabled_at", projektfabrik.db.UTCDateTime()))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_secret")
    op.drop_table("recovery_code")
    op.drop_table("sso_identity")
    op.drop_table("sign_in_settings")
