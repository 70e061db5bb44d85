"""payout truth: status queries counted per payout, operators' resolutions audited, and the
network each person dials from (which wallet pays and is paid)

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(sa.Column("network_code", sa.String(length=6), nullable=True))
    with op.batch_alter_table("payouts") as batch_op:
        batch_op.add_column(sa.Column("checks", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "payout_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payout_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("receipt", sa.String(length=64), nullable=True),
        sa.Column("operator", sa.String(length=40), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("status_before", sa.String(length=10), nullable=False),
        sa.Column("provider_said", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("decision in ('paid', 'failed')", name="known_decision"),
        sa.CheckConstraint("verdict in ('applied', 'refused')", name="known_verdict"),
        sa.ForeignKeyConstraint(["payout_id"], ["payouts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_payout_resolutions_payout", "payout_resolutions", ["payout_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_payout_resolutions_payout", table_name="payout_resolutions")
    op.drop_table("payout_resolutions")
    with op.batch_alter_table("payouts") as batch_op:
        batch_op.drop_column("checks")
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("network_code")
