"""journeys: agent points, consents, invites, audit trail; delivery, search and payout fields

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from gateway.text.folding import fold

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=True),
        sa.Column("district", sa.String(length=40), nullable=True),
        sa.Column("hours", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agent_id"),
    )
    op.create_table(
        "agent_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status in ('pending', 'granted', 'withdrawn')", name="known_status"),
        sa.ForeignKeyConstraint(["agent_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agent_id", "customer_id"),
    )
    op.create_index("ix_agent_consents_customer", "agent_consents", ["customer_id", "status"])
    op.create_table(
        "agent_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("point_name", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=40), nullable=False),
        sa.Column("hours", sa.String(length=40), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_by_id", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["used_by_id"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(sa.Column("payout_phone", sa.String(length=16), nullable=True))
    with op.batch_alter_table("listings") as batch_op:
        batch_op.add_column(
            sa.Column("search_name", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("home_delivery", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index("ix_listings_search", ["country", "search_name"])
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("pickup_point_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("delivery_place", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_orders_pickup_point", "agent_points", ["pickup_point_id"], ["id"]
        )
    op.create_table(
        "agent_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=10), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agent_actions_agent", "agent_actions", ["agent_id", "created_at"])
    _fold_existing_names()


def _fold_existing_names() -> None:
    listings = sa.table("listings", sa.column("id"), sa.column("name"), sa.column("search_name"))
    conn = op.get_bind()
    for row_id, name in conn.execute(sa.select(listings.c.id, listings.c.name)).all():
        conn.execute(
            listings.update().where(listings.c.id == row_id).values(search_name=fold(name))
        )


def downgrade() -> None:
    op.drop_index("ix_agent_actions_agent", table_name="agent_actions")
    op.drop_table("agent_actions")
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_constraint("fk_orders_pickup_point", type_="foreignkey")
        batch_op.drop_column("ready_at")
        batch_op.drop_column("delivery_place")
        batch_op.drop_column("pickup_point_id")
    with op.batch_alter_table("listings") as batch_op:
        batch_op.drop_index("ix_listings_search")
        batch_op.drop_column("home_delivery")
        batch_op.drop_column("search_name")
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("payout_phone")
    op.drop_table("agent_invites")
    op.drop_index("ix_agent_consents_customer", table_name="agent_consents")
    op.drop_table("agent_consents")
    op.drop_table("agent_points")
