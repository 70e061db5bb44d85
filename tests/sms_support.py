"""Helpers for SMS tests: a handset that texts the gateway as Africa's Talking would, and
readers of what the database recorded."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.messages import SmsInbound
from gateway.store.models.messages import SmsMessage
from gateway.store.schema import Base
from workers import runtime

_ids = itertools.count(1)


class Texter:
    """A handset sending SMS to the short code; each text gets a fresh AT id unless given."""

    def __init__(self, client: FlaskClient, number: str, network: str = "63902") -> None:
        self.client = client
        self.number = number
        self.network = network

    def text(self, body: str, at_id: str | None = None) -> str:
        """POST the message to /sms/inbound; returns the AT id used."""
        at_id = at_id or f"ATXinb_{next(_ids):012d}"
        response = self.client.post("/sms/inbound", data=self.form(body, at_id))
        assert response.status_code == 200, response.get_data(as_text=True)
        return at_id

    def form(self, body: str, at_id: str) -> dict[str, str]:
        return {
            "from": self.number,
            "to": "22384",
            "text": body,
            "date": "2026-11-29 08:34:18",
            "id": at_id,
            "linkId": "",
            "networkCode": self.network,
        }


def rows(services: Services, model: type[Base], **where: Any) -> list[Any]:
    """Every row of `model` matching `where`, oldest first."""
    with services.uow() as uow:
        query = select(model).filter_by(**where).order_by(model.id)  # type: ignore[attr-defined]
        return list(uow.session.scalars(query))


def sent_message(services: Services, number: str, at_message_id: str) -> None:
    """A notification Africa's Talking took for `number` as `at_message_id` (sent, no report)."""
    with services.uow() as uow:
        uow.sms.add(
            SmsMessage(
                to=number,
                text="hi",
                text_hash="x",
                encoding="GSM-7",
                units=2,
                segments=1,
                kind="notification",
                status="sent",
                at_message_id=at_message_id,
            )
        )
        uow.commit()


def sent_to(services: Services, number: str) -> list[SmsMessage]:
    return rows(services, SmsMessage, to=number)


def inbound(services: Services) -> list[SmsInbound]:
    return rows(services, SmsInbound)


@pytest.fixture()
def worker_services(
    services: Services, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    """The services a worker process builds from its environment, aimed at the test stores."""
    env = {
        "SOKONI_ENV": "test",
        "DATABASE_URL": services.settings.DATABASE_URL,
        "REDIS_URL": services.connections.redis_url,
        "AT_USERNAME": fake_at.username,
        "AT_API_KEY": fake_at.api_key,
        "AT_API_URL": fake_at.url,
        "AT_SENDER_ID": "SOKONI",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runtime.services.cache_clear()
    yield runtime.services()
    runtime.services().connections.dispose()
    runtime.services.cache_clear()
