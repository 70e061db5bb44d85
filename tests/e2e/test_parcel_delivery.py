"""A paid order's parcel end to end over HTTP: carrier webhooks, the agent's USSD, the delivery
code by SMS at the fake Africa's Talking, escrow released and the seller paid at the fake
Daraja; and a parcel nobody collects, refunded."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select

from gateway.commerce.payments import ledger
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.models.payments import Payout
from tests.parcel_support import agent_point
from tests.parcel_support import choose
from tests.parcel_support import code_sent_to
from tests.parcel_support import events
from tests.parcel_support import opened_before
from tests.parcel_support import post_event
from tests.parcel_support import scan
from tests.parcel_support import shipment
from tests.parcel_support import texts_to
from tests.parcel_support import verdicts
from tests.payment_support import TOKEN
from tests.payment_support import fake_daraja  # noqa: F401  (a fixture)
from tests.payment_support import kenyan_order
from tests.sms_support import sent_to
from workers.parcels import expire

CALLBACK = f"/payments/mpesa/{TOKEN}"
SELLER = "+254722000301"
AGENT = "+254733000401"
SHARE = "Share it only when you have the parcel in your hands."


def _paid_parcel(services, client, run_outbox, daraja, point_id=None) -> tuple[str, str]:
    """A Kenyan order paid by M-Pesa at the fake Daraja; its parcel's (ref, buyer phone)."""
    order_id, buyer = kenyan_order(services)
    with services.uow() as uow:
        order = uow.orders.get(order_id)
        order.pickup_point_id = point_id
        ref = order.ref
        uow.commit()
    run_outbox()
    assert client.post(CALLBACK, json=daraja.complete()).status_code == 200
    run_outbox()
    assert shipment(services, ref).status == "created"
    opened_before(services, ref, timedelta(days=10))
    return ref, buyer


def _menu(agent, item: str) -> str:
    screen = agent.dial()
    if "Choose language" in screen:
        screen = choose(agent, screen, "English")
    return choose(agent, choose(agent, screen, "Parcels"), item)


def test_a_parcel_goes_from_carrier_webhooks_to_the_agent_and_is_collected_with_its_code(
    services,
    client,
    phone,
    run_outbox,
    fake_daraja,  # noqa: F811
    fake_at,
):
    _, point = agent_point(services, AGENT)
    ref, buyer = _paid_parcel(services, client, run_outbox, fake_daraja, point)
    now = datetime.now(UTC)

    in_transit = post_event(
        client,
        tracking_ref=ref,
        status="in_transit",
        occurred_at=(now - timedelta(hours=1)).isoformat(),
        event_id="sb-2",
    )
    assert (in_transit.status_code, in_transit.json) == (
        202,
        {"result": "queued", "event_id": "sb-2"},
    )
    again = post_event(
        client,
        tracking_ref=ref,
        status="in_transit",
        occurred_at=(now - timedelta(hours=1)).isoformat(),
        event_id="sb-2",
    )
    assert (again.status_code, again.json["result"]) == (202, "duplicate")
    late = post_event(
        client,
        tracking_ref=ref,
        status="PickedUp",
        occurred_at=(now - timedelta(hours=3)).isoformat(),
        event_id="sb-1",
    )
    assert late.status_code == 202
    forged = post_event(
        client, secret="guessed", tracking_ref=ref, status="delivered", event_id="sb-x"
    )
    unknown = post_event(client, tracking_ref="ZZZZZZ", status="in_transit", event_id="sb-y")
    malformed = post_event(client, tracking_ref=ref, status="teleported", event_id="sb-z")
    illegal = post_event(client, tracking_ref=ref, status="returned", event_id="sb-w")
    assert (
        forged.status_code,
        unknown.status_code,
        malformed.status_code,
        illegal.status_code,
    ) == (401, 202, 400, 202)
    assert malformed.json["error"] == "unknown status 'teleported'"
    run_outbox()  # a worker judges the scans kept
    assert verdicts(services) == {
        "sb-2": "applied",
        "sb-1": "history",
        "sb-y": "unknown_parcel",
        "sb-w": "illegal",
    }
    assert [e.status for e in events(services, ref)] == ["created", "in_transit", "picked_up"]
    assert shipment(services, ref).status == "in_transit"

    agent = phone(AGENT)
    assert "order reference" in _menu(agent, "Parcel received")
    assert f"Parcel {ref}: 2 bags Maize" in agent.send(ref)
    assert agent.send("1") == f"END Done. Parcel {ref}: At pickup point. The buyer gets an SMS."
    run_outbox()
    [code_sms] = [m for m in texts_to(services, buyer) if "delivery code" in m]
    assert code_sms.startswith(f"Sokoni: parcel {ref} is at Mama Njeri Shop (open Mon-Sat 8-18).")
    assert code_sms.endswith(SHARE) and "Your delivery code is ******." in code_sms
    code = code_sent_to(fake_at, buyer)
    assert any(
        buyer in call.recipients and call.message == code_sms.replace("******", code)
        for call in fake_at.received
    )
    assert all(message.secret is None for message in sent_to(services, buyer))

    hand = phone(AGENT)
    assert "order reference" in _menu(hand, "Handed to customer")
    assert "delivery code" in hand.send(ref)
    wrong = "000000" if code != "000000" else "111111"
    assert hand.send(wrong).startswith("CON Wrong code. 4 tries left.")
    assert hand.send(code) == f"END Done. Parcel {ref}: Delivered. The buyer gets an SMS."
    late_delivery = post_event(client, tracking_ref=ref, status="delivered", delivery_code=code)
    assert late_delivery.status_code == 409

    run_outbox()
    with services.uow() as uow:
        order = uow.session.scalar(select(Order).where(Order.ref == ref))
        assert order.status == "delivered"
        [payout] = uow.session.scalars(select(Payout).where(Payout.order_id == order.id)).all()
    assert payout.kind == "seller" and payout.status == "pending" and payout.amount_minor == 608000
    [b2c] = fake_daraja.payouts
    assert (
        fake_daraja.payouts[b2c]["Amount"] == 6080
        and fake_daraja.payouts[b2c]["PartyB"] == "254722000301"
    )
    assert client.post(CALLBACK, json=fake_daraja.b2c_result(b2c)).status_code == 200
    run_outbox()
    seller_texts = texts_to(services, SELLER)
    assert (
        f"Sokoni: parcel {ref} was delivered to the buyer. Your payment is on its way."
        in seller_texts
    )
    assert any("6,080" in text and ref in text for text in seller_texts)
    assert ledger.check(services.uow()) == []
    balances = ledger.balances(services.uow())
    assert balances.get(("escrow", "KES"), 0) == 0 and balances[("seller_payable", "KES")] == 0
    assert shipment(services, ref).return_until is not None


def test_a_parcel_nobody_collects_expires_goes_back_and_the_buyer_is_refunded(
    services,
    client,
    run_outbox,
    fake_daraja,  # noqa: F811
    fake_at,
):
    _, point = agent_point(services, AGENT)
    ref, buyer = _paid_parcel(services, client, run_outbox, fake_daraja, point)
    arrived = datetime.now(UTC) - timedelta(days=8)
    verdict = scan(
        services,
        client,
        tracking_ref=ref,
        status="AvailableForPickup",
        occurred_at=arrived.isoformat(),
    )
    assert verdict == "applied" and shipment(services, ref).status == "at_pickup_point"
    run_outbox()
    assert any("is at your point" in text for text in texts_to(services, AGENT))

    assert expire(services, datetime.now(UTC)) == 1
    run_outbox()
    assert [e.status for e in events(services, ref)][-2:] == ["expired", "returning"]
    with services.uow() as uow:
        order = uow.session.scalar(select(Order).where(Order.ref == ref))
        assert order.status == "refunded"
        assert uow.session.scalar(select(Listing.stock)) == 10
        [refund] = uow.session.scalars(select(Payout).where(Payout.order_id == order.id)).all()
    assert refund.kind == "refund" and refund.amount_minor == 640000
    [b2c] = fake_daraja.payouts
    assert fake_daraja.payouts[b2c]["PartyB"] == buyer.removeprefix("+")
    run_outbox(datetime.now(UTC) + timedelta(minutes=2))
    assert texts_to(services, buyer)[-1] == (
        f"Sokoni: parcel {ref} is going back to the seller. KES 6,400 will be refunded to your mobile money."
    )
    assert expire(services, datetime.now(UTC)) == 0
