"""cross-border trade: exchange rates, orders in two currencies with the rate used and the
trade regime, HS headings on listings and per category, certificates of origin and their
flags, border statuses of parcels, border agents

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PARCEL_BEFORE = (
    "created",
    "picked_up",
    "in_transit",
    "at_pickup_point",
    "out_for_delivery",
    "delivered",
    "failed_delivery",
    "returning",
    "returned",
    "expired",
)
PARCEL_AFTER = (
    "created",
    "picked_up",
    "in_transit",
    "at_border",
    "cleared_border",
    "at_pickup_point",
    "out_for_delivery",
    "delivered",
    "failed_delivery",
    "returning",
    "returned",
    "expired",
)
"""gateway.commerce.parcels.states as of this revision, before and after."""
VERDICTS_BEFORE = ("illegal", "wrong_code", "locked", "wrong_carrier", "before_shipment", "too_old")
VERDICTS_AFTER = (*VERDICTS_BEFORE, "certificate_used", "certificate_cancelled")
ROLES_BEFORE = ("buyer", "seller", "agent", "courier")
ROLES_AFTER = (*ROLES_BEFORE, "border")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


def _recheck(table: str, name: str, column: str, values: tuple[str, ...]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
        batch_op.create_check_constraint(name, _in(column, values))


def upgrade() -> None:
    op.create_table(
        "fx_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.String(length=32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fx_rates_pair", "fx_rates", ["base", "quote", "as_of"], unique=False)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seller_total_minor", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("seller_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("fx_rate", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("fx_as_of", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("fx_source", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("usd_value_minor", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("trade_regime", sa.String(length=4), nullable=True))
    op.execute("UPDATE orders SET seller_total_minor = total_minor, seller_currency = currency")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("seller_total_minor", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("seller_currency", existing_type=sa.String(length=3), nullable=False)
        batch_op.create_check_constraint("known_trade_regime", _in("trade_regime", ("str", "full")))
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hs_heading", sa.String(length=5), nullable=True))
    op.create_table(
        "category_headings",
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("heading", sa.String(length=5), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("category"),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("exporter", sa.String(length=40), nullable=False),
        sa.Column("exporter_country", sa.String(length=2), nullable=False),
        sa.Column("consignee", sa.String(length=40), nullable=False),
        sa.Column("consignee_country", sa.String(length=2), nullable=False),
        sa.Column("description", sa.String(length=40), nullable=False),
        sa.Column("hs_heading", sa.String(length=5), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("value_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("buyer_value_minor", sa.BigInteger(), nullable=False),
        sa.Column("buyer_currency", sa.String(length=3), nullable=False),
        sa.Column("usd_value_minor", sa.BigInteger(), nullable=False),
        sa.Column("origin_country", sa.String(length=2), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.String(length=40), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(_in("status", ("valid", "used", "cancelled")), name="known_status"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("order_id"),
    )
    op.create_table(
        "certificate_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("parcel_ref", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("reason", ("used_again", "cancelled_used")), name="known_reason"),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificates.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_certificate_flags_certificate",
        "certificate_flags",
        ["certificate_id", "id"],
        unique=False,
    )
    _recheck("shipments", "known_status", "status", PARCEL_AFTER)
    _recheck("shipment_events", "known_status", "status", PARCEL_AFTER)
    _recheck("refused_carrier_events", "known_verdict", "verdict", VERDICTS_AFTER)
    _recheck("person_roles", "known_role", "role", ROLES_AFTER)


def downgrade() -> None:
    _recheck("person_roles", "known_role", "role", ROLES_BEFORE)
    _recheck("refused_carrier_events", "known_verdict", "verdict", VERDICTS_BEFORE)
    _recheck("shipment_events", "known_status", "status", PARCEL_BEFORE)
    _recheck("shipments", "known_status", "status", PARCEL_BEFORE)
    op.drop_index("ix_certificate_flags_certificate", table_name="certificate_flags")
    op.drop_table("certificate_flags")
    op.drop_table("certificates")
    op.drop_table("category_headings")
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_column("hs_heading")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint("known_trade_regime", type_="check")
        batch_op.drop_column("trade_regime")
        batch_op.drop_column("usd_value_minor")
        batch_op.drop_column("fx_source")
        batch_op.drop_column("fx_as_of")
        batch_op.drop_column("fx_rate")
        batch_op.drop_column("seller_currency")
        batch_op.drop_column("seller_total_minor")
    op.drop_index("ix_fx_rates_pair", table_name="fx_rates")
    op.drop_table("fx_rates")
