"""the town's strategy goals, indicators and targets; projects' contributions and results

Revision ID: 5e1a7c93b2d4
Revises: c2d8e4f6a1b9
Create Date: 2026-12-02 14:00:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from projektfabrik.db import UTCDateTime

revision = "5e1a7c93b2d4"
down_revision = "c2d8e4f6a1b9"
branch_labels = None
depends_on = None

VALUE = sa.Numeric(precision=14, scale=2)


def _tenant(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=f"fk_{table}_tenant_id_tenant", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "goal_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_tenant("goal_group"),
        sa.UniqueConstraint("tenant_id", "name", name="uq_goal_group_tenant_id_name"),
    )
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("goal", "group_id", "goal_group", "SET NULL"),
        *_tenant("goal"),
        sa.UniqueConstraint("tenant_id", "title", name="uq_goal_tenant_id_title"),
    )
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("headline", sa.Boolean(), nullable=False),
        _fk("indicator", "goal_id", "goal", "CASCADE"),
        *_tenant("indicator"),
        sa.UniqueConstraint(
            "tenant_id", "goal_id", "name", name="uq_indicator_tenant_id_goal_id_name"
        ),
    )
    op.create_table(
        "indicator_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", VALUE, nullable=False),
        _fk("indicator_target", "indicator_id", "indicator", "CASCADE"),
        *_tenant("indicator_target"),
        sa.UniqueConstraint(
            "tenant_id",
            "indicator_id",
            "year",
            name="uq_indicator_target_tenant_id_indicator_id_year",
        ),
    )
    op.create_table(
        "project_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        _fk("project_goal", "project_id", "project", "CASCADE"),
        _fk("project_goal", "goal_id", "goal", "CASCADE"),
        *_tenant("project_goal"),
        sa.UniqueConstraint(
            "tenant_id",
            "project_id",
            "goal_id",
            name="uq_project_goal_tenant_id_project_id_goal_id",
        ),
    )
    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("expected", VALUE, nullable=False),
        sa.Column("basis", sa.String(length=300), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _fk("contribution", "project_id", "project", "CASCADE"),
        _fk("contribution", "indicator_id", "indicator", "CASCADE"),
        *_tenant("contribution"),
        sa.UniqueConstraint(
            "tenant_id",
            "project_id",
            "indicator_id",
            name="uq_contribution_tenant_id_project_id_indicator_id",
        ),
    )
    op.create_table(
        "reported_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", VALUE, nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("file_title", sa.String(length=200), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        _fk("reported_result", "project_id", "project", "CASCADE"),
        _fk("reported_result", "indicator_id", "indicator", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user_account.id"],
            name="fk_reported_result_reported_by_id_user_account",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["user_account.id"],
            name="fk_reported_result_confirmed_by_id_user_account",
            ondelete="SET NULL",
        ),
        *_tenant("reported_result"),
        sa.UniqueConstraint(
            "tenant_id",
            "project_id",
            "indicator_id",
            "year",
            name="uq_reported_result_tenant_id_project_id_indicator_id_year",
        ),
    )
    indexes = {
        "goal_group": ["tenant_id"],
        "goal": ["tenant_id", "ref", "group_id"],
        "indicator": ["tenant_id", "ref", "goal_id"],
        "indicator_target": ["tenant_id", "indicator_id"],
        "project_goal": ["tenant_id", "project_id", "goal_id"],
        "contribution": ["tenant_id", "project_id", "indicator_id"],
        "reported_result": ["tenant_id", "ref", "project_id", "indicator_id"],
    }
    for table, columns in indexes.items():
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
    op.create_index("ix_project_goal_tenant_goal", "project_goal", ["tenant_id", "goal_id"])
    op.create_index(
        "ix_contribution_tenant_indicator", "contribution", ["tenant_id", "indicator_id"]
    )
    op.create_index(
        "ix_reported_result_tenant_indicator", "reported_result", ["tenant_id", "indicator_id"]
    )
    op.create_index(
        "ix_reported_result_tenant_reported_at", "reported_result", ["tenant_id", "reported_at"]
    )


def downgrade() -> None:
    for table in (
        "reported_result",
        "contribution",
        "project_goal",
        "indicator_target",
        "indicator",
        "goal",
        "goal_group",
    ):
        op.drop_table(table)
