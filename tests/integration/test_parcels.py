"""Parcels in the store: opening once, the delivery-code lock, carrier numbers, coalesced SMS,
new codes, who may track, and duplicates arriving together."""

import threading
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from gateway.commerce import errors
from gateway.commerce.parcels import news as parcel_news
from gateway.commerce.parcels.events import Report
from gateway.commerce.parcels.events import Rules
from gateway.commerce.parcels.events import open_shipment
from gateway.commerce.parcels.events import record_event
from gateway.commerce.parcels.inbox import judge_kept
from gateway.commerce.parcels.polls import book_carrier
from gateway.commerce.parcels.tracking import track
from tests.parcel_support import BUYER
from tests.parcel_support import SELLER
from tests.parcel_support import agent_point
from tests.parcel_support import code_sent_to
from tests.parcel_support import events
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import scan
from tests.parcel_support import shipment
from tests.parcel_support import texts_to
from tests.parcel_support import verdicts
from tests.payment_support import NOTICES
from tests.payment_support import listing
from tests.payment_support import order
from tests.payment_support import person

RULES = Rules()


def _report(ref: str, status: str, when: datetime, **more) -> Report:
    return Report(ref, status, when, "ussd", "agent", **more)


def _at_point_with_code(services, client, run_outbox, fake_at) -> tuple[str, str]:
    ref = paid_parcel(services)
    post_event(client, tracking_ref=ref, status="at_pickup_point")
    run_outbox()
    [sms] = [text for text in texts_to(services, BUYER) if "delivery code" in text]
    assert "delivery code is ******." in sms
    return ref, code_sent_to(fake_at, BUYER)


def test_a_parcel_is_opened_once_and_only_for_a_paid_order(services):
    ref = paid_parcel(services)
    with services.uow() as uow:
        order_id = uow.orders.by_ref(ref).id
    assert open_shipment(order_id, services.uow()) is False
    assert [e.status for e in events(services, ref)] == ["created"]
    unpaid = order(
        services,
        person(services, "+254711000502"),
        listing(services, person(services, "+254722000502", "seller"), 5000, "KES"),
    )
    assert open_shipment(unpaid, services.uow()) is False


def test_five_wrong_codes_lock_the_parcel_for_an_hour_then_the_right_code_delivers(
    services, client, run_outbox, fake_at
):
    ref, code = _at_point_with_code(services, client, run_outbox, fake_at)
    now = datetime.now(UTC)
    for left in (4, 3, 2, 1):
        with pytest.raises(errors.WrongDeliveryCode) as wrong:
            record_event(
                _report(
                    ref, "delivered", now, delivery_code="999999" if code != "999999" else "888888"
                ),
                services.uow(),
                RULES,
                now=now,
            )
        assert wrong.value.left == left
    with pytest.raises(errors.ParcelLocked):
        record_event(_report(ref, "delivered", now), services.uow(), RULES, now=now)
    assert shipment(services, ref).locked_until == now + timedelta(hours=1)
    with pytest.raises(errors.ParcelLocked):
        record_event(
            _report(ref, "delivered", now, delivery_code=code),
            services.uow(),
            RULES,
            now=now + timedelta(minutes=59),
        )
    later = now + timedelta(minutes=61)
    done = record_event(
        _report(ref, "delivered", later, delivery_code=code), services.uow(), RULES, now=later
    )
    assert done.result == "applied" and shipment(services, ref).status == "delivered"
    assert shipment(services, ref).code_attempts == 0


def test_a_delivered_webhook_without_the_right_code_is_refused_and_counts_as_a_wrong_try(
    services, client, run_outbox, fake_at
):
    ref, code = _at_point_with_code(services, client, run_outbox, fake_at)
    missing = post_event(client, tracking_ref=ref, status="delivered")
    wrong = post_event(client, tracking_ref=ref, status="delivered", delivery_code="12345x")
    assert (missing.status_code, wrong.status_code) == (409, 409)
    assert missing.json["error"] == "wrong or missing delivery_code"
    assert shipment(services, ref).carrier_code_attempts == 2
    assert shipment(services, ref).code_attempts == 0
    assert [e.status for e in events(services, ref)] == ["created", "at_pickup_point"]
    right = post_event(client, tracking_ref=ref, status="Delivered", delivery_code=code)
    assert right.status_code == 200 and right.json["status"] == "delivered"


def test_a_carrier_tracking_number_is_accepted_like_the_order_reference(services, client):
    ref = paid_parcel(services)
    book_carrier(services.uow(), ref, "swiftbox", "SB-99812", datetime.now(UTC))
    by_number = {"carrier": "swiftbox", "tracking_ref": "SB-99812", "status": "picked_up"}
    assert scan(services, client, **by_number) == "applied"
    assert shipment(services, ref).status == "picked_up"
    by_ref = {"carrier": "swiftbox", "tracking_ref": ref.lower(), "status": "in_transit"}
    assert scan(services, client, **by_ref) == "applied"
    assert shipment(services, ref).status == "in_transit"
    stray = {"carrier": "otherco", "tracking_ref": "SB-99812", "status": "in_transit"}
    assert scan(services, client, **stray) == "unknown_parcel"


def test_a_burst_of_updates_within_a_minute_is_one_sms_to_the_buyer(
    services, client, run_outbox, fake_at
):
    ref = paid_parcel(services)
    start = datetime.now(UTC)
    run_outbox(start)
    before = len(texts_to(services, BUYER))
    post_event(
        client,
        tracking_ref=ref,
        status="picked_up",
        occurred_at=(start - timedelta(seconds=40)).isoformat(),
    )
    post_event(
        client,
        tracking_ref=ref,
        status="in_transit",
        occurred_at=(start - timedelta(seconds=20)).isoformat(),
    )
    post_event(
        client,
        tracking_ref=ref,
        status="in_transit",
        occurred_at=start.isoformat(),
        location="Naivasha",
    )
    run_outbox(start)
    assert len(texts_to(services, BUYER)) == before
    run_outbox(start + timedelta(seconds=61))
    assert texts_to(services, BUYER)[before:] == [
        f"Sokoni: your parcel {ref} is on its way. Send TRACK {ref} for news."
    ]
    post_event(client, tracking_ref=ref, status="out_for_delivery")
    run_outbox(start + timedelta(seconds=62))
    [code_sms] = texts_to(services, BUYER)[before + 1 :]
    assert code_sms.startswith(f"Sokoni: parcel {ref} is out for delivery. Your delivery code is ")
    post_event(client, tracking_ref=ref, status="failed_delivery")
    run_outbox(start + timedelta(minutes=5))
    assert (
        texts_to(services, BUYER)[-1]
        == f"Sokoni: parcel {ref} could not be delivered. We will try again; send TRACK {ref} for news."
    )
    assert len(texts_to(services, BUYER)) == before + 3


def test_the_buyer_can_have_a_new_code_sent_and_the_old_one_stops_working(
    services, client, run_outbox, fake_at
):
    ref, old = _at_point_with_code(services, client, run_outbox, fake_at)
    with services.uow() as uow:
        buyer_id = uow.people.by_phone(BUYER).id
    now = datetime.now(UTC)
    with pytest.raises(errors.CodeRecentlySent):
        parcel_news.resend_code(services.uow(), buyer_id, ref, NOTICES, RULES, now)
    later = now + timedelta(minutes=2)
    parcel_news.resend_code(services.uow(), buyer_id, ref, NOTICES, RULES, later)
    run_outbox()
    new = code_sent_to(fake_at, BUYER)
    assert texts_to(services, BUYER)[-1].startswith(
        f"Sokoni: your new delivery code for parcel {ref} is ******."
    )
    seller_id = person(services, "+254722000599", "seller")
    with pytest.raises(errors.ParcelNotFound):
        parcel_news.resend_code(
            services.uow(), seller_id, ref, NOTICES, RULES, later + timedelta(minutes=2)
        )
    if old != new:
        with pytest.raises(errors.WrongDeliveryCode):
            record_event(
                _report(ref, "delivered", later, delivery_code=old),
                services.uow(),
                RULES,
                now=later,
            )
    assert (
        record_event(
            _report(ref, "delivered", later, delivery_code=new), services.uow(), RULES, now=later
        ).status
        == "delivered"
    )


def test_only_the_people_of_a_parcel_can_track_it(services):
    agent, point = agent_point(services, "+254733000501")
    ref = paid_parcel(services, point_id=point)
    with services.uow() as uow:
        buyer, seller = uow.people.by_phone(BUYER).id, uow.people.by_phone(SELLER).id
    stranger = person(services, "+254711000599")
    for who in (buyer, seller, agent):
        view = track(services.uow(), who, ref)
        assert view.ref == ref and [e.status for e in view.events] == ["created"]
    assert track(services.uow(), stranger, ref) is None
    assert track(services.uow(), buyer, "ZZZZZZ") is None


def test_the_same_event_posted_and_judged_many_times_at_once_is_stored_once(services, app):
    ref = paid_parcel(services)
    answers: list[str] = []

    def post() -> None:
        answer = post_event(
            app.test_client(), tracking_ref=ref, status="picked_up", event_id="sb-same"
        )
        answers.append(f"{answer.status_code} {answer.json['result']}")

    _all_at_once(post)
    assert sorted(answers) == ["202 duplicate"] * 5 + ["202 queued"]
    assert verdicts(services) == {"sb-same": None}
    with services.uow() as uow:
        [kept] = uow.inbox.waiting_for("swiftbox", ref)
    judged: list[dict[int, str]] = []
    _all_at_once(
        lambda: judged.append(judge_kept(services.uow(), services.deps.parcel_rules, [kept.id]))
    )
    assert [v for found in judged for v in found.values()].count("applied") == 1
    assert [e.status for e in events(services, ref)] == ["created", "picked_up"]
    assert verdicts(services) == {"sb-same": "applied"}


def _all_at_once(work: Callable[[], object], threads: int = 6) -> None:
    """Run `work` in `threads` threads started together."""
    running = [threading.Thread(target=work) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
