"""field fit: orders may be disputed, disputes, longer home addresses, agents' names for
their customers, and an index for a buyer's orders

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BEFORE = (
    "placed",
    "awaiting_payment",
    "payment_failed",
    "paid",
    "delivered",
    "refunded",
    "cancelled",
    "expired",
)
"""gateway.commerce.orders.states before this revision (a migration is a snapshot)."""
AFTER = (*BEFORE[:4], "disputed", *BEFORE[4:])
"""... and after it: `disputed` holds a paid order's escrow until an operator settles it."""


def _listed(statuses: tuple[str, ...]) -> str:
    return "status in (" + ", ".join(f"'{status}'" for status in statuses) + ")"


def _orders(statuses: tuple[str, ...], place_length: int) -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint("known_status", type_="check")
        batch_op.create_check_constraint("known_status", _listed(statuses))
        batch_op.alter_column(
            "delivery_place",
            existing_type=sa.String(60 if place_length == 40 else 40),
            type_=sa.String(place_length),
            existing_nullable=True,
        )


def upgrade() -> None:
    _orders(AFTER, 60)
    op.create_index("ix_orders_buyer", "orders", ["buyer_id", "id"])
    with op.batch_alter_table("agent_consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_name", sa.String(24), nullable=True))
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(200), nullable=True),
        sa.CheckConstraint(
            "reason in ('not_received', 'wrong_goods', 'damaged')", name="known_reason"
        ),
        sa.CheckConstraint("status in ('open', 'refunded', 'released')", name="known_status"),
        sa.ForeignKeyConstraint(["opened_by_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id"),
    )
    op.create_index("ix_disputes_status", "disputes", ["status"])


def downgrade() -> None:
    op.drop_index("ix_disputes_status", table_name="disputes")
    op.drop_table("disputes")
    with op.batch_alter_table("agent_consents", schema=None) as batch_op:
        batch_op.drop_column("customer_name")
    op.drop_index("ix_orders_buyer", table_name="orders")
    op.execute("UPDATE orders SET status = 'paid' WHERE status = 'disputed'")
    op.execute("UPDATE orders SET delivery_place = substr(delivery_place, 1, 40)")
    _orders(BEFORE, 40)
