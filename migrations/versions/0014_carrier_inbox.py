"""carriers' tracking scans are kept in an inbox and judged by workers

A scan other than a delivery or a border clearance is stored as it arrived and answered 202;
a worker judges it and keeps its verdict beside it.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

VERDICTS = (
    "applied",
    "history",
    "duplicate",
    "unknown_parcel",
    "illegal",
    "wrong_code",
    "locked",
    "wrong_carrier",
    "before_shipment",
    "too_old",
    "certificate_used",
    "certificate_cancelled",
)
"""gateway.store.models.shipments.INBOX_VERDICTS as of this revision."""


def upgrade() -> None:
    listed = ", ".join(f"'{verdict}'" for verdict in VERDICTS)
    op.create_table(
        "carrier_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("tracking_ref", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(length=60), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("judged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.CheckConstraint(f"verdict in ({listed})", name="known_verdict"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("carrier", "event_id"),
    )
    op.create_index(
        "ix_carrier_inbox_waiting",
        "carrier_inbox",
        ["carrier", "tracking_ref"],
        unique=False,
        postgresql_where=sa.text("judged_at IS NULL"),
        sqlite_where=sa.text("judged_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_carrier_inbox_waiting", table_name="carrier_inbox")
    op.drop_table("carrier_inbox")
