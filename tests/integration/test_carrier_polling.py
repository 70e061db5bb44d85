"""Polling a carrier without webhooks: the HTTP client against a local fake carrier, the
schedule, and the backoff when the carrier is down."""

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.commerce.parcels.polls import book_carrier
from gateway.providers.carriers.polling import HttpCarrier
from gateway.providers.carriers.polling import polled_carriers
from gateway.providers.errors import SendError
from gateway.providers.fakes.carrier import FakeCarrier
from gateway.store.models.shipments import RefusedCarrierEvent
from tests.parcel_support import BUYER
from tests.parcel_support import code_sent_to
from tests.parcel_support import events
from tests.parcel_support import opened_before
from tests.parcel_support import paid_parcel
from tests.parcel_support import shipment
from workers.parcels import poll

EVERY = timedelta(seconds=300)


@pytest.fixture()
def carrier() -> Iterator[FakeCarrier]:
    fake = FakeCarrier().start()
    yield fake
    fake.stop()


def _carriers(fake: FakeCarrier) -> dict:
    return polled_carriers(f"{fake.name}={fake.url}", f"{fake.name}={fake.api_key}")


def _booked(services, fake: FakeCarrier, number: str | None = "SB-1001") -> tuple[str, datetime]:
    ref = paid_parcel(services)
    now = datetime.now(UTC)
    book_carrier(services.uow(), ref, fake.name, number, now)
    return ref, now


def test_the_client_reads_a_carriers_events_in_our_vocabulary(carrier):
    carrier.add("SB-1001", "PickedUp", location="Molo")
    carrier.add("SB-1001", "in_transit", location="Nakuru")
    got = HttpCarrier(carrier.name, carrier.url, carrier.api_key).events("SB-1001")
    assert [(e.status, e.location, e.carrier, e.tracking_ref) for e in got] == [
        ("picked_up", "Molo", "swiftbox", "SB-1001"),
        ("in_transit", "Nakuru", "swiftbox", "SB-1001"),
    ]
    assert HttpCarrier(carrier.name, carrier.url, carrier.api_key).events("SB-404") == []


@pytest.mark.parametrize(("status", "retryable"), [(503, True), (429, True), (401, False)])
def test_carrier_errors_say_whether_asking_again_makes_sense(carrier, status, retryable):
    carrier.fail_next(status)
    with pytest.raises(SendError) as err:
        HttpCarrier(carrier.name, carrier.url, carrier.api_key).events("SB-1001")
    assert err.value.retryable is retryable


def test_a_wrong_key_is_refused_for_good(carrier):
    with pytest.raises(SendError) as err:
        HttpCarrier(carrier.name, carrier.url, "wrong").events("SB-1001")
    assert not err.value.retryable and err.value.code == "HTTP 401"


def test_polling_records_new_events_once_and_asks_again_after_the_interval(services, carrier):
    ref, now = _booked(services, carrier)
    carrier.add("SB-1001", "picked_up", now - timedelta(minutes=30))
    carrier.add("SB-1001", "in_transit", now - timedelta(minutes=10))
    assert poll(services, _carriers(carrier), now) == 1
    assert poll(services, _carriers(carrier), now) == 0
    later = now + EVERY
    assert poll(services, _carriers(carrier), later) == 1
    assert [e.status for e in events(services, ref)] == ["created", "picked_up", "in_transit"]
    assert {e.source for e in events(services, ref)[1:]} == {"poll"}
    assert shipment(services, ref).status == "in_transit"
    assert shipment(services, ref).poll_at == later + EVERY


def test_a_carrier_that_is_down_is_asked_less_and_less_often_then_normally_again(services, carrier):
    ref, now = _booked(services, carrier, number=None)
    carrier.fail_next(503, times=3)
    when = now
    for failures in (1, 2, 3):
        assert poll(services, _carriers(carrier), when) == 1
        assert shipment(services, ref).poll_at == when + EVERY * 2**failures
        when = shipment(services, ref).poll_at
    carrier.add(ref, "picked_up", now)
    poll(services, _carriers(carrier), when)
    assert (
        shipment(services, ref).poll_failures == 0
        and shipment(services, ref).poll_at == when + EVERY
    )
    assert carrier.calls == [ref] * 4  # no tracking number: asked by the order reference
    assert shipment(services, ref).status == "picked_up"


def test_a_polled_delivery_without_the_code_is_refused_once_not_at_every_poll(services, carrier):
    ref, now = _booked(services, carrier)
    carrier.add("SB-1001", "out_for_delivery", now - timedelta(minutes=20))
    carrier.add("SB-1001", "delivered", now - timedelta(minutes=5))
    poll(services, _carriers(carrier), now)
    poll(services, _carriers(carrier), now + EVERY)
    assert shipment(services, ref).status == "out_for_delivery"
    assert shipment(services, ref).carrier_code_attempts == 1


def test_polling_stops_once_the_parcel_is_delivered(services, carrier, run_outbox, fake_at):
    ref, now = _booked(services, carrier)
    carrier.add("SB-1001", "out_for_delivery", now - timedelta(minutes=20))
    poll(services, _carriers(carrier), now)
    run_outbox()
    code = code_sent_to(fake_at, BUYER)
    carrier.add("SB-1001", "delivered", now, delivery_code=code)
    poll(services, _carriers(carrier), now + EVERY)
    assert shipment(services, ref).status == "delivered" and shipment(services, ref).poll_at is None
    assert poll(services, _carriers(carrier), now + EVERY * 10) == 0


def test_an_operator_books_a_carrier_and_the_next_poll_finds_the_parcel(services, app, carrier):
    from dataclasses import replace

    ref = paid_parcel(services)
    runner = app.test_cli_runner()
    booked = runner.invoke(args=["parcels", "book", ref.lower(), "SwiftBox", "SB-2002"])
    assert booked.exit_code == 0 and booked.output == f"parcel {ref} booked with swiftbox SB-2002\n"
    assert runner.invoke(args=["parcels", "book", "ZZZZZZ", "swiftbox"]).exit_code == 1
    carrier.add("SB-2002", "picked_up", location="Molo")
    original = services.settings
    services.settings = replace(
        original,
        POLLED_CARRIERS=f"swiftbox={carrier.url}",
        CARRIER_API_KEYS=f"swiftbox={carrier.api_key}",
    )
    try:
        assert runner.invoke(args=["parcels", "poll"]).output == "1 parcels polled\n"
    finally:
        services.settings = original
    shown = runner.invoke(args=["parcels", "show", ref]).output.splitlines()
    assert shown[0] == f"{ref}\tpicked_up\tswiftbox\tSB-2002"
    assert [line.split("\t")[1:3] for line in shown[1:]] == [
        ["created", "system"],
        ["picked_up", "poll"],
    ]


def test_a_polled_event_from_before_the_parcel_or_too_long_ago_is_refused_and_remembered(
    services, carrier
):
    ref, now = _booked(services, carrier)
    opened_before(services, ref, timedelta(days=60))
    carrier.add("SB-1001", "picked_up", now - timedelta(days=61))
    carrier.add("SB-1001", "in_transit", now - timedelta(days=40))
    assert poll(services, _carriers(carrier), now) == 1
    assert [e.status for e in events(services, ref)] == ["created"]
    with services.uow() as uow:
        verdicts = uow.session.scalars(select(RefusedCarrierEvent.verdict)).all()
    assert sorted(verdicts) == ["before_shipment", "too_old"]
