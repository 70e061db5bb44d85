"""Parcel test support: a paid order with its parcel, agent points, signed carrier events,
carriers' scans judged as a worker judges them."""

from __future__ import annotations

import itertools
import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.commerce.parcels.events import open_shipment
from gateway.commerce.parcels.inbox import judge_kept
from gateway.commerce.payments import collection as payments
from gateway.providers.carriers.events import sign
from gateway.providers.payments.base import PaymentStatus
from gateway.store.models.agents import AgentPoint
from gateway.store.models.messages import SmsMessage
from gateway.store.models.shipments import QueuedCarrierEvent
from gateway.store.models.shipments import Shipment
from gateway.store.models.shipments import ShipmentEvent
from tests.payment_support import NOTICES
from tests.payment_support import listing
from tests.payment_support import order
from tests.payment_support import person

SECRET = "dev-logistics-secret"
SELLER = "+254722000501"
BUYER = "+254711000501"
_events = itertools.count(1)


def agent_point(
    services: Services,
    phone: str,
    name: str = "Mama Njeri Shop",
    hours: str | None = "Mon-Sat 8-18",
) -> tuple[int, int]:
    """An agent with a point: (agent id, point id)."""
    agent = person(services, phone, "agent")
    with services.uow() as uow:
        point = AgentPoint(agent_id=agent, name=name, country="KE", district="Molo", hours=hours)
        uow.session.add(point)
        uow.commit()
        return agent, point.id


def paid_parcel(
    services: Services,
    point_id: int | None = None,
    buyer: str = BUYER,
    seller: str = SELLER,
    language: str = "en",
) -> str:
    """A Kenyan order of 2 bags, paid (the sandbox's word, through the payments domain), and
    its parcel opened; the order reference."""
    seller_id = person(services, seller, "seller")
    buyer_id = person(services, buyer, language=language)
    order_id = order(services, buyer_id, listing(services, seller_id, 320000, "KES"), 2)
    now = datetime.now(UTC)
    with services.uow() as uow:
        found = uow.orders.get(order_id)
        found.pickup_point_id, ref = point_id, found.ref
        uow.commit()
    attempt = payments.start_attempt(
        services.uow(), order_id, 1, lambda _phone, _network: "sandbox"
    )
    payments.record_requested(services.uow(), attempt.payment_id, f"SBX-{ref}", None, now, now)
    paid = PaymentStatus(
        "succeeded", f"SBX-{ref}", receipt=f"R{ref}", amount_minor=640000, currency="KES"
    )
    payments.apply_report(services.uow(), attempt.payment_id, paid, NOTICES, now)
    assert open_shipment(order_id, services.uow(), now - OPENED_BEFORE)
    return ref


OPENED_BEFORE = timedelta(days=1)
"""How long before the test the parcels it opens were created (events may be dated since)."""


def opened_before(services: Services, ref: str, before: timedelta = OPENED_BEFORE) -> None:
    """Date the parcel's `created` event `before` now, as if it had been opened then."""
    with services.uow() as uow:
        found = uow.session.scalar(select(Shipment).where(Shipment.ref == ref))
        uow.shipments.events(found.id)[0].occurred_at = datetime.now(UTC) - before
        uow.commit()


def post_event(client: FlaskClient, secret: str = SECRET, **fields: Any) -> Any:
    """POST a signed carrier event; fields default to a fresh event of carrier `swiftbox`."""
    event = {
        "carrier": "swiftbox",
        "event_id": f"evt-{next(_events)}",
        "occurred_at": datetime.now(UTC).isoformat(),
        "location": "Nakuru hub",
        "note": "",
        **fields,
    }
    body = json.dumps(event).encode()
    headers = {"X-Sokoni-Signature": sign(body, secret), "Content-Type": "application/json"}
    return client.post("/logistics/events", data=body, headers=headers)


def scan(services: Services, client: FlaskClient, **fields: Any) -> str:
    """POST a signed tracking scan (`post_event`'s fields), which is kept and answered 202,
    then judge it as a worker does (only it: the work its verdict leaves stays queued); its
    verdict (`applied`, `history`, `duplicate`, `unknown_parcel` or a refusal's)."""
    answer = post_event(client, **fields)
    assert answer.status_code == 202, answer.get_data(as_text=True)
    wanted = (
        QueuedCarrierEvent.carrier == fields.get("carrier", "swiftbox"),
        QueuedCarrierEvent.event_id == answer.json["event_id"],
    )
    with services.uow() as uow:
        scan_id = uow.session.scalar(select(QueuedCarrierEvent.id).where(*wanted))
    judge_kept(services.uow(), services.deps.parcel_rules, [scan_id])
    with services.uow() as uow:
        return uow.session.scalar(select(QueuedCarrierEvent.verdict).where(*wanted))


def verdicts(services: Services) -> dict[str, str | None]:
    """Every kept scan's verdict (None while it waits), by event id."""
    with services.uow() as uow:
        query = select(QueuedCarrierEvent.event_id, QueuedCarrierEvent.verdict)
        return {
            row[0]: row[1] for row in uow.session.execute(query.order_by(QueuedCarrierEvent.id))
        }


def shipment(services: Services, ref: str) -> Shipment:
    with services.uow() as uow:
        return uow.session.scalar(select(Shipment).where(Shipment.ref == ref))


def events(services: Services, ref: str) -> list[ShipmentEvent]:
    with services.uow() as uow:
        found = uow.session.scalar(select(Shipment).where(Shipment.ref == ref))
        return uow.shipments.events(found.id)


def texts_to(services: Services, phone: str) -> list[str]:
    with services.uow() as uow:
        query = select(SmsMessage.text).where(SmsMessage.to == phone).order_by(SmsMessage.id)
        return list(uow.session.scalars(query))


def code_sent_to(fake_at: Any, phone: str) -> str:
    """The delivery code in the newest SMS `phone` received with one, as the phone shows it
    (the stored text shows it as ******), in any language."""
    codes = [
        code
        for call in fake_at.received
        if phone in call.recipients
        for code in _codes(call.message)
    ]
    return codes[-1]


def _codes(text: str) -> list[str]:
    words = (word.strip(".,:;") for word in text.split())
    return [word for word in words if word.isdigit() and len(word) == 6]


def code_in(text: str) -> str:
    """The 6-digit delivery code in an SMS."""
    return _codes(text)[0]


def choose(handset: Any, screen: str, label: str) -> str:
    """Choose the line of `screen` that starts with `label`, paging on with 98 until it shows."""
    while True:
        for line in screen.split("\n"):
            number, _, rest = line.partition(". ")
            if rest.startswith(label):
                return handset.send(number)
        if "98:" not in screen:
            raise AssertionError(f"{label!r} not on screen {screen!r}")
        screen = handset.send("98")
