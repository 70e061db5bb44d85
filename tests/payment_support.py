"""Payment test support: local fake Daraja and MoMo servers wired into the services, people,
listings and orders to pay for. Import the fixtures into a test module to use them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask import request
from hypothesis import strategies as st
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.providers.fakes.airtel import FakeAirtel
from gateway.providers.fakes.daraja import FakeDaraja
from gateway.providers.fakes.momo import FakeMomo
from gateway.providers.fakes.server import FakeServer
from gateway.providers.payments.daraja import Daraja
from gateway.store.models.catalog import Listing
from gateway.store.models.messages import SmsMessage
from gateway.store.models.orders import Order
from gateway.store.models.payments import CALLBACK_VERDICTS
from gateway.store.models.payments import Payment
from gateway.store.models.people import Person
from menus.i18n import LANGUAGES
from menus.i18n import t

TOKEN = "test-callback-token"
NOTICES = Notices(t, LANGUAGES, "*384*123#")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
"""Any JSON value, for throwing at callback parsers."""


class Inbox(FakeServer):
    """Where a fake provider calls back to: keeps each POSTed body as it came."""

    thread_name = "inbox"

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self._arrived = threading.Condition()
        self.app = Flask(__name__)
        self.app.add_url_rule("/", "receive", self._receive, methods=["POST"])

    def _receive(self) -> str:
        with self._arrived:
            self.bodies.append(request.get_data())
            self._arrived.notify_all()
        return "ok"

    def wait(self, count: int = 1, timeout: float = 5.0) -> list[bytes]:
        """The first `count` bodies, once they have arrived.

        Raises:
            AssertionError: fewer came within `timeout` seconds.
        """
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.bodies) >= count, timeout)
        assert len(self.bodies) >= count, f"{len(self.bodies)} of {count} callbacks arrived"
        return self.bodies[:count]


@pytest.fixture()
def inbox() -> Iterator[Inbox]:
    """A local URL to give a fake provider for its callbacks."""
    server = Inbox().start()
    yield server
    server.stop()


def _configure(services: Services, **settings: Any) -> Any:
    original = services.settings
    services.settings = replace(
        original, CALLBACK_BASE_URL="https://gw.example", CALLBACK_TOKEN=TOKEN, **settings
    )
    services.__dict__.pop("payment_providers", None)
    return original


def _restore(services: Services, original: Any) -> None:
    services.settings = original
    services.__dict__.pop("payment_providers", None)


@pytest.fixture()
def fake_daraja(services: Services) -> Iterator[FakeDaraja]:
    """A local Daraja; while it runs, Kenyan payments go to it through the real client."""
    fake = FakeDaraja().start()
    original = _configure(
        services,
        MPESA_API_URL=fake.url,
        MPESA_CONSUMER_KEY=fake.consumer_key,
        MPESA_CONSUMER_SECRET=fake.consumer_secret,
        MPESA_SHORTCODE=fake.shortcode,
        MPESA_PASSKEY=fake.passkey,
        MPESA_INITIATOR_NAME="sokoni-api",
        MPESA_SECURITY_CREDENTIAL="encrypted-credential",
    )
    yield fake
    _restore(services, original)
    fake.stop()


@pytest.fixture()
def fake_momo(services: Services) -> Iterator[FakeMomo]:
    """A local MTN MoMo; while it runs, Ugandan, Rwandan and Zambian payments go to it."""
    fake = FakeMomo().start()
    original = _configure(
        services,
        MOMO_API_URL=fake.url,
        MOMO_SUBSCRIPTION_KEY=fake.subscription_key,
        MOMO_API_USER=fake.api_user,
        MOMO_API_KEY=fake.api_key,
    )
    yield fake
    _restore(services, original)
    fake.stop()


@pytest.fixture()
def fake_airtel(services: Services) -> Iterator[FakeAirtel]:
    """A local Airtel Money with signed callbacks; while it runs, Airtel numbers (UG, KE, RW,
    ZM, MW, CD) pay and are paid through it."""
    fake = FakeAirtel().start()
    original = _configure(
        services,
        AIRTEL_API_URL=fake.url,
        AIRTEL_CLIENT_ID=fake.client_id,
        AIRTEL_CLIENT_SECRET=fake.client_secret,
        AIRTEL_CALLBACK_SECRET=fake.callback_secret,
    )
    yield fake
    _restore(services, original)
    fake.stop()


class LiveGateway(FakeServer):
    """The gateway's own Flask app served over real HTTP, for providers that call back."""

    thread_name = "gateway"

    def __init__(self, app: Flask) -> None:
        self.app = app


@pytest.fixture()
def live_gateway(services: Services, app: Flask) -> Iterator[LiveGateway]:
    """The app listening on a local port; callback URLs handed to providers point at it."""
    server = LiveGateway(app).start()
    original = services.settings
    services.settings = replace(original, CALLBACK_BASE_URL=server.url)
    services.__dict__.pop("payment_providers", None)
    yield server
    server.stop()
    services.settings = original
    services.__dict__.pop("payment_providers", None)


@pytest.fixture()
def ledger_checked(app: Flask) -> Iterator[None]:
    """After the test, `flask ledger check` passes: every transaction balances, escrow and
    payouts in flight match the orders and payouts."""
    yield
    checked = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert checked.exit_code == 0, checked.output


def wait_for_callbacks(services: Services, count: int, timeout: float = 10.0) -> None:
    """Block until `count` provider callbacks are stored (they arrive from another thread).

    Raises:
        AssertionError: fewer arrived within `timeout` seconds.
    """
    arrived = threading.Event()
    for _ in range(int(timeout * 20)):
        with services.uow() as uow:
            if len(uow.payments.callbacks_with(CALLBACK_VERDICTS, count)) >= count:
                return
        arrived.wait(0.05)
    raise AssertionError(f"fewer than {count} callbacks arrived")


@pytest.fixture()
def sandbox_only(services: Services) -> Iterator[None]:
    """No provider credentials: every payment goes to the sandbox."""
    original = _configure(services)
    yield
    _restore(services, original)


def person(services: Services, phone: str, role: str = "buyer", language: str = "en") -> int:
    country = {"254": "KE", "256": "UG", "250": "RW", "260": "ZM"}[phone[1:4]]
    with services.uow() as uow:
        found = uow.people.add(Person(phone=phone, country=country, language=language, name=role))
        found.grant(role)
        uow.commit()
        return found.id


def listing(
    services: Services, seller: int, price_minor: int, currency: str, stock: int = 10
) -> int:
    with services.uow() as uow:
        row = uow.listings.add(
            Listing(
                code=f"P{seller:04d}",
                seller_id=seller,
                category="grains",
                name="Maize",
                unit="bag",
                price_minor=price_minor,
                currency=currency,
                stock=stock,
                country=currency[:2],
            )
        )
        uow.commit()
        return row.id


def order(
    services: Services, buyer: int, listing_id: int, qty: int = 1, placed_by: int | None = None
) -> int:
    """An order placed by the buyer; with `placed_by`, recorded as an agent's order for them
    (consent is the journeys' business, not what these tests are about)."""
    placed = place_order(
        PlaceOrder(buyer, listing_id, qty, "ussd", f"test-{buyer}-{listing_id}-{qty}"),
        services.uow(),
    )
    if placed_by is not None:
        with services.uow() as uow:
            uow.session.get(Order, placed.order_id).placed_by_id = placed_by
            uow.commit()
    return placed.order_id


def kenyan_order(services: Services, price_minor: int = 320000, qty: int = 2) -> tuple[int, str]:
    """A Kenyan seller, a Safaricom buyer and their order: (order id, buyer phone)."""
    seller = person(services, "+254722000301", "seller")
    buyer_phone = "+254711000301"
    buyer = person(services, buyer_phone)
    return order(services, buyer, listing(services, seller, price_minor, "KES"), qty), buyer_phone


def the_order(services: Services, order_id: int) -> Order:
    with services.uow() as uow:
        return uow.session.get(Order, order_id)


def stock(services: Services, listing_id: int) -> int:
    with services.uow() as uow:
        return uow.listings.get(listing_id).stock


def attempts(services: Services, order_id: int) -> list[Payment]:
    with services.uow() as uow:
        return list(
            uow.session.scalars(
                select(Payment).where(Payment.order_id == order_id).order_by(Payment.attempt)
            )
        )


def texts_to(services: Services, phone: str) -> list[str]:
    with services.uow() as uow:
        rows = uow.session.scalars(
            select(SmsMessage).where(SmsMessage.to == phone).order_by(SmsMessage.id)
        )
        return [row.text for row in rows]


def daraja_for(fake: FakeDaraja, **extra: str) -> Daraja:
    """A Daraja client holding the fake's credentials; `extra` are its B2C options."""
    return Daraja(
        fake.url, fake.consumer_key, fake.consumer_secret, fake.shortcode, fake.passkey, **extra
    )
