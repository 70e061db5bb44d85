"""order statuses: a CHECK constraint naming every status of the order machine

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATUSES = (
    "placed",
    "awaiting_payment",
    "payment_failed",
    "paid",
    "delivered",
    "refunded",
    "cancelled",
    "expired",
)
"""gateway.commerce.orders.states as of this revision (a migration is a snapshot)."""


def upgrade() -> None:
    listed = ", ".join(f"'{status}'" for status in STATUSES)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_check_constraint("known_status", f"status in ({listed})")


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint("known_status", type_="check")
