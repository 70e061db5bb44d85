"""The Alembic migrations build exactly the schema the models describe, and go down and up again."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.store.connections import make_engine
from gateway.store.migrate import downgrade
from gateway.store.migrate import upgrade
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.models.orders import OrderLine
from gateway.store.schema import Base


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()


def test_the_migrated_database_matches_the_models(services):
    assert _differences(services.settings.DATABASE_URL) == []


def test_migrations_go_down_to_nothing_and_back_up(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    upgrade(url)
    downgrade(url)
    upgrade(url)
    assert _differences(url) == []


def test_rebuilding_the_orders_table_keeps_every_row_that_points_at_it(tmp_path):
    """SQLite rebuilds a table to add a CHECK constraint; order lines must survive it."""
    url = f"sqlite:///{tmp_path / 'rows.db'}"
    upgrade(url, "0005")
    engine = make_engine(url)
    with Session(engine) as session:
        # Columns later migrations add to people are not there yet: insert as of 0005.
        seller_id = session.execute(
            text(
                "INSERT INTO people (phone, country, failed_pin_count, created_at) "
                "VALUES ('+254700000001', 'KE', 0, '2026-01-01') RETURNING id"
            )
        ).scalar_one()
        listing = Listing(
            code="TEST01",
            seller_id=seller_id,
            category="grains",
            name="Maize",
            unit="bag",
            price_minor=100,
            currency="KES",
            stock=5,
            country="KE",
        )
        session.add(listing)
        session.flush()
        line = OrderLine(
            listing_id=listing.id,
            name="Maize",
            unit="bag",
            quantity=2,
            unit_price_minor=100,
            currency="KES",
        )
        session.add(
            Order(
                ref="REF001",
                buyer_id=seller_id,
                seller_id=seller_id,
                status="paid",
                total_minor=200,
                currency="KES",
                channel="ussd",
                idempotency_key="k1",
                lines=[line],
            )
        )
        session.commit()
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM order_lines")) == 1
            assert conn.scalar(text("SELECT status FROM orders")) == "paid"
    finally:
        engine.dispose()


def test_the_database_refuses_an_order_status_the_machine_does_not_know(services):
    with services.uow() as uow, pytest.raises(IntegrityError):
        uow.session.execute(text("UPDATE orders SET status = 'teleported'"))
        uow.session.execute(
            text("INSERT INTO people (id, phone, country) VALUES (90, '+254700000090', 'KE')")
        )
        uow.session.execute(
            text(
                "INSERT INTO orders (ref, buyer_id, seller_id, status, total_minor, currency, "
                "delivery, channel, idempotency_key) VALUES "
                "('BAD001', 90, 90, 'teleported', 1, 'KES', 'pickup', 'ussd', 'bad')"
            )
        )
        uow.session.flush()
