"""parcels carry a version, and their events are indexed in the order they are placed in

A carrier's event recorded at once is written only over the version of the parcel it was judged
on. The last event at or before a time is read off the index (shipment, time, id) instead of
sorting every event of the parcel.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    version = sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("0"))
    op.add_column("shipments", version)  # not in a batch: SQLite's copy would lose an index
    _index_events(["shipment_id", "occurred_at", "id"])


def downgrade() -> None:
    _index_events(["shipment_id", "occurred_at"])
    op.drop_column("shipments", "version")


def _index_events(columns: list[str]) -> None:
    op.drop_index("ix_shipment_events_shipment", table_name="shipment_events")
    op.create_index("ix_shipment_events_shipment", "shipment_events", columns, unique=False)
