"""payments: attempts, callbacks, payouts, and the double-entry ledger

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("memo", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("ledger_transactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_transactions_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("request_key", sa.String(length=36), nullable=False),
        sa.Column("provider_ref", sa.String(length=64), nullable=True),
        sa.Column("merchant_ref", sa.String(length=64), nullable=True),
        sa.Column("receipt", sa.String(length=64), nullable=True),
        sa.Column("result_code", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status in ('sending', 'pending', 'succeeded', 'failed')", name="known_status"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "attempt"),
        sa.UniqueConstraint("provider", "provider_ref"),
        sa.UniqueConstraint("provider", "receipt"),
        sa.UniqueConstraint("request_key"),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index("ix_payments_status", ["status", "provider"], unique=False)

    op.create_table(
        "payouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("provider", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("request_key", sa.String(length=36), nullable=False),
        sa.Column("provider_ref", sa.String(length=64), nullable=True),
        sa.Column("receipt", sa.String(length=64), nullable=True),
        sa.Column("result_code", sa.String(length=40), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind in ('seller', 'agent', 'refund')", name="known_kind"),
        sa.CheckConstraint(
            "status in ('scheduled', 'sending', 'pending', 'succeeded', 'failed', 'unknown', 'cancelled')",
            name="known_status",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("provider", "provider_ref"),
        sa.UniqueConstraint("request_key"),
    )
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.create_index("ix_payouts_status", ["status", "not_before"], unique=False)

    op.create_table(
        "ledger_postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=30), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["people.id"],
        ),
        sa.ForeignKeyConstraint(["transaction_id"], ["ledger_transactions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_postings", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_postings_account", ["account", "currency"], unique=False)
        batch_op.create_index("ix_ledger_postings_order", ["order_id", "account"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ledger_postings_transaction_id"), ["transaction_id"], unique=False
        )

    op.create_table(
        "payment_callbacks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("method", sa.String(length=6), nullable=False),
        sa.Column("remote_addr", sa.String(length=45), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("provider_ref", sa.String(length=64), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("payout_id", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "verdict in ('received', 'applied', 'duplicate', 'unknown', 'mismatch', 'disputed', 'forged', 'malformed')",
            name="known_verdict",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["payout_id"],
            ["payouts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payment_callbacks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payment_callbacks_ref", ["provider", "provider_ref"], unique=False
        )
        batch_op.create_index("ix_payment_callbacks_verdict", ["verdict", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payment_callbacks", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_callbacks_verdict")
        batch_op.drop_index("ix_payment_callbacks_ref")

    op.drop_table("payment_callbacks")
    with op.batch_alter_table("ledger_postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_postings_transaction_id"))
        batch_op.drop_index("ix_ledger_postings_order")
        batch_op.drop_index("ix_ledger_postings_account")

    op.drop_table("ledger_postings")
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.drop_index("ix_payouts_status")

    op.drop_table("payouts")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_status")

    op.drop_table("payments")
    with op.batch_alter_table("ledger_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_transactions_order_id"))

    op.drop_table("ledger_transactions")
