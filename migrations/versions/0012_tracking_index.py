"""tracking numbers indexed as carriers' events compare them (letters and digits, lower case)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SQUEEZED = (
    "replace(replace(replace(replace(replace(lower(tracking_number),"
    " ' ', ''), '-', ''), '/', ''), '.', ''), '_', '')"
)


def upgrade() -> None:
    op.create_index("ix_shipments_tracked", "shipments", [sa.text(SQUEEZED)])


def downgrade() -> None:
    op.drop_index("ix_shipments_tracked", table_name="shipments")
