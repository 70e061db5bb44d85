"""A seller books a carrier by USSD (one configured for their country, or "Other") under the
carrier's tracking number; the carrier's signed webhook events then find the parcel by that
number, and the seller's parcel list shows it."""

from collections.abc import Iterator
from dataclasses import replace

import pytest

from gateway.bootstrap import Services
from gateway.commerce.parcels.carriers import parse_carriers
from tests.parcel_support import BUYER
from tests.parcel_support import SELLER
from tests.parcel_support import choose
from tests.parcel_support import events
from tests.parcel_support import paid_parcel
from tests.parcel_support import scan
from tests.parcel_support import shipment

pytestmark = pytest.mark.usefixtures("ledger_checked")


@pytest.fixture()
def carriers(services: Services) -> Iterator[None]:
    """Kenyan sellers may pick swiftbox or sendy (CARRIERS)."""
    original = services.settings
    services.settings = replace(original, CARRIERS="KE=swiftbox,sendy;UG=posta-ug")
    for built in ("deps", "engine"):
        services.__dict__.pop(built, None)
    yield
    services.settings = original
    for built in ("deps", "engine"):
        services.__dict__.pop(built, None)


def _to_carriers(phone, ref: str):
    """The seller goes Parcels -> Send a parcel -> the parcel -> Sent with a carrier."""
    seller = phone(SELLER)
    screen = choose(seller, seller.dial(), "Parcels")
    screen = choose(seller, screen, "Send a parcel")
    screen = choose(seller, screen, ref)
    return seller, choose(seller, screen, "Sent with a carrier")


def test_a_seller_books_a_carrier_by_ussd_and_its_events_find_the_parcel_by_tracking_number(
    services, client, phone, carriers
):
    ref = paid_parcel(services)
    seller, screen = _to_carriers(phone, ref)
    assert screen == (
        "CON Which carrier took it?\n1. swiftbox\n2. sendy\n3. Other: type the name\n0:Back 00:Home"
    )
    screen = choose(seller, screen, "swiftbox")
    assert screen.startswith(f"CON Parcel {ref}, swiftbox:\nEnter the carrier's tracking number:")
    assert seller.send("sb-99812") == (
        f"CON Parcel {ref} sent by swiftbox, number sb-99812?\n1. Confirm\n2. Cancel\n"
        "0:Back 00:Home"
    )
    assert seller.send("1") == f"END Done. Parcel {ref}: Picked up. The buyer gets an SMS."
    booked = shipment(services, ref)
    assert (booked.carrier, booked.tracking_number) == ("swiftbox", "sb-99812")
    assert events(services, ref)[-1].note == "handed to carrier"
    assert scan(services, client, tracking_ref="SB-99812", status="in_transit") == "applied"
    assert shipment(services, ref).status == "in_transit"
    # Another carrier's event with that number is not about this parcel.
    stray = {"carrier": "sendy", "tracking_ref": "SB-99812", "status": "in_transit"}
    assert scan(services, client, **stray) == "unknown_parcel"
    assert shipment(services, ref).status == "in_transit"
    buyer = phone(BUYER)
    screen = choose(buyer, buyer.dial(), "Track a parcel")
    assert buyer.send("SB99812").startswith(f"END Parcel {ref}:")
    again = phone(SELLER)
    screen = choose(again, choose(again, again.dial(), "Parcels"), "My parcels")
    assert f"1. {ref} In transit swiftbox sb-99812" in screen
    assert choose(again, screen, ref).startswith(f"END Parcel {ref}:")


def test_a_carrier_not_configured_is_typed_by_name_and_a_taken_number_is_refused(
    services, client, phone, carriers
):
    first = paid_parcel(services)
    seller, screen = _to_carriers(phone, first)
    screen = choose(seller, screen, "Other: type the name")
    assert screen.startswith("CON Carrier's name:")
    assert seller.send("Fargo!!").startswith("CON Use letters and digits, up to 20.")
    assert "Parcel" in seller.send("Fargo Courier")
    seller.send("FC 1001 77")
    assert seller.send("1").startswith(f"END Done. Parcel {first}: Picked up.")
    assert (shipment(services, first).carrier, shipment(services, first).tracking_number) == (
        "fargo-courier",
        "FC 1001 77",
    )
    second = paid_parcel(services, buyer="+254711000502", seller="+254722000502")
    other = phone("+254722000502")
    screen = choose(other, choose(other, other.dial(), "Parcels"), "Send a parcel")
    screen = choose(other, choose(other, screen, second), "Sent with a carrier")
    choose(other, screen, "Other")
    other.send("fargo-courier")
    assert other.send("fc-100177").startswith(
        "CON That carrier has another parcel with that number."
    )
    moved = {"carrier": "fargo-courier", "tracking_ref": "FC100177", "status": "in_transit"}
    assert scan(services, client, **moved) == "applied"
    assert shipment(services, first).status == "in_transit"


def test_only_other_is_offered_where_no_carrier_is_configured(services, phone):
    ref = paid_parcel(services)
    _, screen = _to_carriers(phone, ref)
    assert screen.startswith("CON Which carrier took it?\n1. Other: type the name\n")


def test_carriers_are_configured_per_comesa_country_with_webhook_names():
    assert parse_carriers(" KE=swiftbox, Sendy ; ug=posta-ug") == {
        "KE": ("swiftbox", "sendy"),
        "UG": ("posta-ug",),
    }
    assert parse_carriers("") == {}
    for bad in ("XX=swiftbox", "KE=", "KE=swift box", "KE=" + "a" * 21):
        with pytest.raises(ValueError):
            parse_carriers(bad)
