"""The Alembic migrations build exactly the schema the models describe, and go down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gateway.store.connections import make_engine
from gateway.store.migrate import downgrade
from gateway.store.migrate import upgrade
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
