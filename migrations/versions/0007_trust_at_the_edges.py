"""trust at the edges: SMS secrets kept beside the text until sent, carriers' wrong codes
counted apart, carriers' refused events remembered, PIN locks counted for escalation

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


VERDICTS = ("illegal", "wrong_code", "locked", "wrong_carrier", "before_shipment", "too_old")
"""gateway.store.models.shipments.REFUSAL_VERDICTS as of this revision."""


def upgrade() -> None:
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret", sa.String(length=12), nullable=True))
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pin_locks", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.alter_column("pin_locks", server_default=None)
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("carrier_code_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("carrier_locked_until", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.alter_column("carrier_code_attempts", server_default=None)
    listed = ", ".join(f"'{verdict}'" for verdict in VERDICTS)
    op.create_table(
        "refused_carrier_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"verdict in ({listed})", name="known_verdict"),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("carrier", "event_id"),
    )


def downgrade() -> None:
    op.drop_table("refused_carrier_events")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_column("carrier_locked_until")
        batch_op.drop_column("carrier_code_attempts")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("pin_locks")
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.drop_column("secret")
