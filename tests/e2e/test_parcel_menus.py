"""Parcels from a feature phone: TRACK by USSD and SMS in three languages, sellers sending,
couriers delivering, buyers asking for a new code, and the lock after five wrong codes."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from gateway.text.gsm import measure
from tests.parcel_support import BUYER
from tests.parcel_support import SELLER
from tests.parcel_support import agent_point
from tests.parcel_support import choose
from tests.parcel_support import code_sent_to
from tests.parcel_support import events
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import scan
from tests.parcel_support import shipment
from tests.parcel_support import texts_to
from tests.payment_support import person
from tests.sms_support import Texter

COURIER = "+254744000601"
NAIROBI = ZoneInfo("Africa/Nairobi")
TRACK = {
    "en": ("Track a parcel", "TRACK"),
    "sw": ("Fuatilia kifurushi", "FUATILIA"),
    "fr": ("Suivre un colis", "SUIVRE"),
}
SEEN = {
    "en": (
        "Parcel {ref}:",
        "Out for delivery Naivasha",
        "In transit Nakuru Town",
        "Picked up Molo",
    ),
    "sw": (
        "Kifurushi {ref}:",
        "Kinaletwa kwako Naivasha",
        "Njiani Nakuru Town",
        "Kimechukuliwa Molo",
    ),
    "fr": ("Colis {ref}:", "En livraison Naivasha", "En route Nakuru Town", "Enlevé Molo"),
}


def _travelled(services, client, language: str) -> str:
    """A parcel with four events, the last one out for delivery; its reference."""
    ref = paid_parcel(services, language=language)
    start = datetime.now(UTC) - timedelta(hours=5)
    with services.uow() as uow:  # paid five hours ago
        uow.shipments.events(uow.shipments.find(ref).id)[0].occurred_at = start
        uow.commit()
    for hours, status, place in (
        (1, "picked_up", "Molo"),
        (2, "in_transit", "Nakuru Town Hub"),
        (3, "out_for_delivery", "Naivasha"),
    ):
        when = (start + timedelta(hours=hours)).isoformat()
        verdict = scan(
            services, client, tracking_ref=ref, status=status, occurred_at=when, location=place
        )
        assert verdict == "applied"
    return ref


@pytest.mark.parametrize("language", ["en", "sw", "fr"])
def test_track_by_ussd_shows_the_last_three_events_in_the_callers_language(
    services, client, phone, language
):
    started = datetime.now(UTC)
    ref = _travelled(services, client, language)
    buyer = phone(BUYER)
    label, _ = TRACK[language]
    choose(buyer, buyer.dial(), label)
    screen = buyer.send(ref.lower())
    assert screen.startswith("END ") and len(screen) <= 160 and measure(screen).encoding == "GSM-7"
    header, *lines = screen.removeprefix("END ").split("\n")
    assert header == SEEN[language][0].format(ref=ref)
    assert [line[12:] for line in lines] == list(SEEN[language][1:])
    minutes = {  # the clock may turn a minute while the parcel travels
        (moment - timedelta(hours=2)).astimezone(NAIROBI).strftime("%d/%m %H:%M")
        for moment in (started, datetime.now(UTC))
    }
    assert lines[0][:11] in minutes


@pytest.mark.parametrize("language", ["en", "sw", "fr"])
def test_track_by_sms_answers_with_the_same_events_within_two_segments(
    services, client, run_outbox, fake_at, language
):
    ref = _travelled(services, client, language)
    run_outbox()
    _, keyword = TRACK[language]
    Texter(client, BUYER).text(f"{keyword} {ref}")
    run_outbox()
    reply = texts_to(services, BUYER)[-1]
    first, *lines = reply.split("\n")
    assert ref in first and measure(reply).segments <= 2
    assert [line[12:] for line in lines] == list(SEEN[language][1:])
    assert any(call.message == reply for call in fake_at.received)


def test_track_by_sms_of_someone_elses_parcel_reveals_nothing(services, client, run_outbox):
    ref = _travelled(services, client, "en")
    person(services, "+254711000699")
    Texter(client, "+254711000699").text(f"TRACK {ref}")
    run_outbox()
    assert (
        texts_to(services, "+254711000699")[-1]
        == f"No order {ref} for your number. Check the reference and try again."
    )


def test_a_seller_marks_a_parcel_handed_to_a_courier(services, phone, run_outbox):
    ref = paid_parcel(services)
    seller = phone(SELLER)
    screen = choose(seller, seller.dial(), "Parcels")
    screen = choose(seller, screen, "Send a parcel")
    screen = choose(seller, screen, ref)
    assert screen.startswith("CON How did it leave?")
    assert choose(seller, screen, "Handed to courier").startswith(
        f"CON Parcel {ref}: 2 bags Maize\nHanded to a courier?"
    )
    assert seller.send("1") == f"END Done. Parcel {ref}: Picked up. The buyer gets an SMS."
    [_, picked] = events(services, ref)
    assert (picked.status, picked.source, picked.actor, picked.note) == (
        "picked_up",
        "ussd",
        "seller",
        "handed to courier",
    )
    again = phone(SELLER)
    screen = choose(again, choose(again, again.dial(), "Parcels"), "Send a parcel")
    assert "No paid parcels are waiting to be sent." in screen


def test_a_courier_takes_a_parcel_out_and_hands_it_over_against_the_code(
    services, phone, run_outbox, fake_at
):
    ref = paid_parcel(services)
    person(services, COURIER, "courier")
    courier = phone(COURIER)
    choose(courier, choose(courier, courier.dial(), "Parcels"), "Parcel received")
    assert "Received, in your hands now?" in courier.send(ref)
    assert courier.send("1") == f"END Done. Parcel {ref}: Out for delivery. The buyer gets an SMS."
    run_outbox()
    code = code_sent_to(fake_at, BUYER)
    other = phone("+254744000602")
    person(services, "+254744000602", "courier")
    choose(other, choose(other, other.dial(), "Parcels"), "Handed to customer")
    assert other.send(ref).startswith("CON You cannot record that for this parcel.")
    hand = phone(COURIER)
    choose(hand, choose(hand, hand.dial(), "Parcels"), "Handed to customer")
    hand.send(ref)
    assert hand.send(code) == f"END Done. Parcel {ref}: Delivered. The buyer gets an SMS."
    assert shipment(services, ref).courier_id is not None


def test_five_wrong_codes_by_ussd_lock_the_parcel(services, client, phone):
    ref = paid_parcel(services)
    person(services, COURIER, "courier")
    scan(services, client, tracking_ref=ref, status="out_for_delivery")
    with services.uow() as uow:
        uow.shipments.find(ref).courier_id = uow.people.by_phone(COURIER).id
        uow.commit()
    hand = phone(COURIER)
    choose(hand, choose(hand, hand.dial(), "Parcels"), "Handed to customer")
    hand.send(ref)
    for left in (4, 3, 2, 1):
        tries = "try" if left == 1 else "tries"
        assert hand.send("000000").startswith(f"CON Wrong code. {left} {tries} left.")
    assert hand.send("000000") == "END Too many wrong codes. This parcel is locked for an hour."
    assert shipment(services, ref).locked_until > datetime.now(UTC) + timedelta(minutes=59)


def test_a_buyer_asks_for_a_new_delivery_code(services, client, phone, run_outbox):
    ref = paid_parcel(services)
    post_event(client, tracking_ref=ref, status="at_pickup_point", location="Molo stage")
    run_outbox()
    with services.uow() as uow:
        uow.shipments.find(ref).code_sent_at = datetime.now(UTC) - timedelta(minutes=5)
        uow.commit()
    buyer = phone(BUYER)
    screen = choose(buyer, choose(buyer, buyer.dial(), "Parcels"), "Resend delivery code")
    assert screen.startswith("CON New delivery code: enter the order reference:")
    assert (
        buyer.send(ref)
        == "END A new delivery code is on its way by SMS. The old code no longer works."
    )
    assert texts_to(services, BUYER)[-1].startswith(
        f"Sokoni: your new delivery code for parcel {ref} is "
    )
    again = phone(BUYER)
    choose(again, choose(again, again.dial(), "Parcels"), "Resend delivery code")
    assert again.send(ref).startswith("CON A code was just sent. Wait a minute.")


def test_a_buyer_asks_for_a_new_code_from_my_orders(services, client, phone, run_outbox):
    ref = paid_parcel(services)
    post_event(client, tracking_ref=ref, status="out_for_delivery")
    run_outbox()
    assert "Your delivery code is" in texts_to(services, BUYER)[-1]
    with services.uow() as uow:
        uow.shipments.find(ref).code_sent_at = datetime.now(UTC) - timedelta(minutes=5)
        uow.commit()
    buyer = phone(BUYER)
    order = choose(buyer, choose(buyer, buyer.dial(), "My orders"), ref)
    confirm = choose(buyer, order, "Resend delivery code")
    assert confirm.startswith(f"CON Send a new delivery code for parcel {ref}?")
    assert buyer.send("1").startswith("END A new delivery code is on its way by SMS.")
    newest = texts_to(services, BUYER)[-1]
    assert newest.startswith(f"Sokoni: your new delivery code for parcel {ref} is ")


def test_an_agent_cannot_receive_a_parcel_bound_for_another_agents_point(services, phone):
    _, point = agent_point(services, "+254733000601")
    ref = paid_parcel(services, point_id=point)
    agent_point(services, "+254733000602", name="Duka la Baraka")
    other = phone("+254733000602")
    choose(other, choose(other, other.dial(), "Parcels"), "Parcel received")
    assert other.send(ref).startswith("CON You cannot record that for this parcel.")
    assert shipment(services, ref).status == "created"
