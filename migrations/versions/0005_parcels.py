"""parcels: shipments (one per paid order) and their events

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=True),
        sa.Column("tracking_number", sa.String(length=40), nullable=True),
        sa.Column("point_id", sa.Integer(), nullable=True),
        sa.Column("courier_id", sa.Integer(), nullable=True),
        sa.Column("code_hash", sa.String(length=200), nullable=True),
        sa.Column("code_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notify_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified_status", sa.String(length=20), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("restocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("poll_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("poll_failures", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status in ('created', 'picked_up', 'in_transit', 'at_pickup_point', 'out_for_delivery', 'delivered', 'failed_delivery', 'returning', 'returned', 'expired')",
            name="known_status",
        ),
        sa.ForeignKeyConstraint(
            ["courier_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["point_id"],
            ["agent_points.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("carrier", "tracking_number"),
        sa.UniqueConstraint("order_id"),
        sa.UniqueConstraint("ref"),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index("ix_shipments_poll", ["carrier", "poll_at"], unique=False)
        batch_op.create_index("ix_shipments_status", ["status", "status_at"], unique=False)

    op.create_table(
        "shipment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(length=60), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("actor", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("carrier", sa.String(length=20), nullable=True),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint("source in ('system', 'carrier', 'poll', 'ussd')", name="known_source"),
        sa.CheckConstraint(
            "status in ('created', 'picked_up', 'in_transit', 'at_pickup_point', 'out_for_delivery', 'delivered', 'failed_delivery', 'returning', 'returned', 'expired')",
            name="known_status",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("carrier", "event_id"),
    )
    with op.batch_alter_table("shipment_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shipment_events_shipment", ["shipment_id", "occurred_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("shipment_events", schema=None) as batch_op:
        batch_op.drop_index("ix_shipment_events_shipment")

    op.drop_table("shipment_events")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_status")
        batch_op.drop_index("ix_shipments_poll")

    op.drop_table("shipments")
