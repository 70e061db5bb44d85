"""Alembic environment: the URL comes from the caller (gateway.store.migrate) or the settings."""

from alembic import context

from config.settings import load
from gateway.store.connections import make_engine
from gateway.store.schema import Base

url = context.config.attributes.get("url") or load().DATABASE_URL
engine = make_engine(url)

with engine.connect() as connection:
    if connection.dialect.name == "sqlite":
        # Batch mode rebuilds a table by copy, drop and rename; with foreign keys on, the drop
        # would cascade to the rows that point at it. The pragma only works outside a
        # transaction, so it goes straight to the driver before SQLAlchemy begins one.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
engine.dispose()
