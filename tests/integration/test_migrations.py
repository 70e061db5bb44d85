"""The Alembic migrations build exactly the schema the models describe, and go down and up again."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from gateway.store.connections import make_engine
from gateway.store.migrate import downgrade
from gateway.store.migrate import upgrade
from gateway.store.schema import Base

pytestmark = [  # ix_shipments_tracked is on an expression, which reflection cannot read back
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based"),
]


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


ROWS_AT_0005 = (
    "INSERT INTO people (id, phone, country, failed_pin_count, created_at) "
    "VALUES (1, '+254700000001', 'KE', 0, '2026-11-29 08:00:00')",
    "INSERT INTO listings (id, code, seller_id, category, name, unit, price_minor, currency, "
    "stock, status, country, created_at, updated_at, search_name, home_delivery) VALUES "
    "(1, 'TEST01', 1, 'grains', 'Maize', 'bag', 100, 'KES', 5, 'active', 'KE', "
    "'2026-11-29 08:00:00', '2026-11-29 08:00:00', 'maize', 0)",
    "INSERT INTO orders (id, ref, buyer_id, seller_id, status, total_minor, currency, delivery, "
    "channel, idempotency_key, created_at) VALUES "
    "(1, 'REF001', 1, 1, 'paid', 200, 'KES', 'pickup', 'ussd', 'k1', '2026-11-29 08:00:00')",
    "INSERT INTO order_lines (id, order_id, listing_id, name, unit, quantity, unit_price_minor, "
    "currency) VALUES (1, 1, 1, 'Maize', 'bag', 2, 100, 'KES')",
)


def test_rebuilding_the_orders_table_keeps_every_row_that_points_at_it(tmp_path):
    """SQLite rebuilds a table to add a CHECK constraint; order lines must survive it."""
    url = f"sqlite:///{tmp_path / 'rows.db'}"
    upgrade(url, "0005")
    engine = make_engine(url)
    with engine.begin() as conn:  # rows as the 0005 schema has them (today's models may not fit)
        for statement in ROWS_AT_0005:
            conn.execute(text(statement))
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
