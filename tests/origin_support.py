"""Cross-border test support: exchange rates set as an operator would, a Kenyan seller's
maize, a Ugandan MTN buyer walking Buy -> Other countries, and reading QR codes off PDFs."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import pypdfium2
import zxingcpp
from flask import Flask

from gateway.bootstrap import Services
from gateway.commerce import followups
from gateway.commerce.orders.placing import Abroad
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.commerce.payments import collection as payments
from gateway.providers.payments.base import PaymentStatus
from gateway.store.models.catalog import Listing
from tests.parcel_support import choose
from tests.payment_support import NOTICES
from tests.payment_support import person

KE_SELLER = "+254722000901"
UG_BUYER = "+256772123456"
MTN_UGANDA = "64110"
CODE = re.compile(r"VERIFY ([2-9A-Z]{10})")


def set_rates(app: Flask, day: date | None = None) -> None:
    """USD to KES and to UGX, as `flask fx set` records them (today unless `day`)."""
    for quote, rate in (("KES", "129.50"), ("UGX", "3700")):
        args = ["fx", "set", "USD", quote, rate, "--source", "CBK"]
        done = app.test_cli_runner().invoke(args=args + (["--date", str(day)] if day else []))
        assert done.exit_code == 0, done.output


def kenyan_maize(services: Services, price_minor: int = 320000, stock: int = 40) -> int:
    """A named Kenyan seller's maize in Molo, Nakuru; the listing id."""
    seller = person(services, KE_SELLER, "seller")
    with services.uow() as uow:
        uow.people.get(seller).name = "Wanjiru Farm"
        row = uow.listings.add(
            Listing(
                code="KEMZ01",
                seller_id=seller,
                category="grains",
                name="Maize",
                unit="bag",
                price_minor=price_minor,
                currency="KES",
                stock=stock,
                country="KE",
                region="Nakuru",
                district="Molo",
            )
        )
        uow.commit()
        return row.id


def to_kenyan_maize(handset: Any) -> str:
    """A first-time Ugandan caller: English, Uganda, Buy, Other countries, Kenya, Grains and
    flour, Maize; the quantity screen."""
    screen = choose(handset, handset.dial(), "English")
    screen = choose(handset, screen, "Uganda")
    screen = choose(handset, screen, "Buy")
    screen = choose(handset, screen, "Other countries")
    assert screen.startswith("CON Buy from: choose a country")
    screen = choose(handset, screen, "Kenya")
    assert screen.startswith("CON Goods from Kenya: choose a category")
    screen = choose(handset, screen, "Grains and flour")
    return choose(handset, screen, "Maize")


def qr_in(pdf: bytes) -> list[str]:
    """What every QR code on the PDF's pages says, read off the rendered pages."""
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=3).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def certified_parcel(services: Services, quantity: int = 2) -> tuple[str, str]:
    """A Ugandan's order of Kenyan maize placed through the domain as the menus place it,
    paid (the sandbox's word), its parcel opened and its certificate issued: (ref, code).
    The rates must be set first (`set_rates`)."""
    listing_id = kenyan_maize(services)
    buyer = person(services, UG_BUYER)
    today = datetime.now(UTC)
    placed = place_order(
        PlaceOrder(
            buyer,
            listing_id,
            quantity,
            "ussd",
            f"abroad-{buyer}",
            delivery="home",
            delivery_place="Kampala",
            abroad=Abroad(today.date(), timedelta(days=7)),
        ),
        services.uow(),
    )
    attempt = payments.start_attempt(
        services.uow(), placed.order_id, 1, lambda _phone, _network: "sandbox"
    )
    payments.record_requested(
        services.uow(), attempt.payment_id, f"SBX-{placed.ref}", None, today, today
    )
    paid = PaymentStatus(
        "succeeded",
        f"SBX-{placed.ref}",
        receipt=f"R{placed.ref}",
        amount_minor=placed.total.minor,
        currency=placed.total.currency,
    )
    payments.apply_report(services.uow(), attempt.payment_id, paid, NOTICES, today)
    followups.order_paid(services.deps, placed.order_id)
    with services.uow() as uow:
        certificate = uow.certificates.for_order(placed.order_id)
        assert certificate is not None
        return placed.ref, certificate.code
