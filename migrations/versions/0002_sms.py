"""sms: outgoing messages, inbound messages, delivery reports, opt-outs

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at_id", sa.String(length=64), nullable=False),
        sa.Column("from_number", sa.String(length=32), nullable=False),
        sa.Column("to", sa.String(length=20), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link_id", sa.String(length=100), nullable=True),
        sa.Column("network_code", sa.String(length=10), nullable=True),
        sa.Column("sent_date", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("command", sa.String(length=20), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status in ('received', 'handled', 'rate_limited', 'ignored')", name="known_status"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("at_id"),
    )
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.create_index("ix_sms_inbound_from", ["from_number", "received_at"], unique=False)

    op.create_table(
        "sms_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("encoding", sa.String(length=5), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("segments", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=13), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("dedupe_key", sa.String(length=100), nullable=True),
        sa.Column("batch_id", sa.String(length=32), nullable=True),
        sa.Column("at_message_id", sa.String(length=64), nullable=True),
        sa.Column("at_status_code", sa.Integer(), nullable=True),
        sa.Column("delivery_status", sa.String(length=20), nullable=True),
        sa.Column("cost", sa.String(length=30), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failure_reason", sa.String(length=60), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind in ('transactional', 'notification', 'reply')", name="known_kind"),
        sa.CheckConstraint(
            "status in ('queued', 'suppressed', 'sending', 'sent', 'delivered', 'failed', 'rejected', 'unknown', 'dead')",
            name="known_status",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("at_message_id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_messages_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index("ix_sms_messages_batchable", ["status", "text_hash"], unique=False)
        batch_op.create_index("ix_sms_messages_to", ["to", "status"], unique=False)

    op.create_table(
        "sms_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sms_opt_outs", schema=None) as batch_op:
        batch_op.create_index("ix_sms_opt_outs_phone", ["phone", "id"], unique=False)

    op.create_table(
        "sms_delivery_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at_message_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("failure_reason", sa.String(length=60), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("network_code", sa.String(length=10), nullable=True),
        sa.Column("retry_count", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["sms_messages.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sms_delivery_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sms_delivery_reports_at_message_id"), ["at_message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sms_delivery_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_delivery_reports_at_message_id"))

    op.drop_table("sms_delivery_reports")
    with op.batch_alter_table("sms_opt_outs", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_opt_outs_phone")

    op.drop_table("sms_opt_outs")
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_messages_to")
        batch_op.drop_index("ix_sms_messages_batchable")
        batch_op.drop_index(batch_op.f("ix_sms_messages_batch_id"))

    op.drop_table("sms_messages")
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_inbound_from")

    op.drop_table("sms_inbound")
