"""Carriers over HTTP: each signs with its own key, a parcel listens only to the carrier it is
booked with, wrong codes from a carrier and from a pickup point count apart, and a refused
event sent again gets its first answer without counting again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.bootstrap import Services
from gateway.store.models.shipments import RefusedCarrierEvent
from gateway.store.models.shipments import ShipmentEvent
from tests.parcel_support import BUYER
from tests.parcel_support import agent_point
from tests.parcel_support import choose
from tests.parcel_support import code_sent_to
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import scan
from tests.parcel_support import shipment
from tests.sms_support import rows

SWIFTBOX_KEY = "swiftbox-" + "s" * 32
ACME_KEY = "acme-" + "a" * 32
OLD_SWIFTBOX_KEY = "old-swiftbox-" + "o" * 32
AGENT = "+254733000801"


@pytest.fixture()
def carrier_keys(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """swiftbox and acme each have their own key; swiftbox's old key is still accepted."""
    monkeypatch.setattr(
        services,
        "settings",
        replace(
            services.settings,
            CARRIER_WEBHOOK_SECRETS=f"swiftbox={SWIFTBOX_KEY},acme={ACME_KEY}",
            CARRIER_WEBHOOK_SECRETS_PREVIOUS=f"swiftbox={OLD_SWIFTBOX_KEY}",
        ),
    )


def _swiftbox(client: FlaskClient, **fields: object):  # type: ignore[no-untyped-def]
    return post_event(client, SWIFTBOX_KEY, carrier="swiftbox", **fields)


def _swiftbox_scan(services: Services, client: FlaskClient, **fields: object) -> str:
    """A swiftbox scan, judged (`scan`); its verdict."""
    return scan(services, client, secret=SWIFTBOX_KEY, carrier="swiftbox", **fields)


def _acme(client: FlaskClient, **fields: object):  # type: ignore[no-untyped-def]
    return post_event(client, ACME_KEY, carrier="acme", **fields)


@pytest.mark.usefixtures("carrier_keys")
def test_an_event_signed_with_one_carriers_key_naming_another_is_refused(
    services: Services, client: FlaskClient
) -> None:
    ref = paid_parcel(services)
    forged = post_event(client, ACME_KEY, carrier="swiftbox", tracking_ref=ref, status="in_transit")
    shared = post_event(client, carrier="swiftbox", tracking_ref=ref, status="in_transit")
    assert (forged.status_code, shared.status_code) == (401, 401)
    assert forged.json == {"error": "bad signature"}
    assert shipment(services, ref).status == "created"
    assert _swiftbox(client, tracking_ref=ref, status="in_transit").status_code == 202
    old = post_event(
        client, OLD_SWIFTBOX_KEY, carrier="swiftbox", tracking_ref=ref, status="at_pickup_point"
    )
    assert old.status_code == 202 and old.json["result"] == "queued"


@pytest.mark.usefixtures("carrier_keys")
def test_a_carrier_not_listed_uses_the_shared_key_outside_production_only(
    services: Services, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = paid_parcel(services)
    assert (
        post_event(client, carrier="pikipiki", tracking_ref=ref, status="in_transit").status_code
        == 202
    )
    monkeypatch.setattr(services, "settings", replace(services.settings, SOKONI_ENV="production"))
    refused = post_event(client, carrier="pikipiki", tracking_ref=ref, status="at_pickup_point")
    assert refused.status_code == 401


@pytest.mark.usefixtures("carrier_keys")
def test_a_carrier_other_than_the_booked_one_cannot_move_or_lock_the_parcel(
    services: Services, app: Flask, client: FlaskClient
) -> None:
    ref = paid_parcel(services)
    booked = app.test_cli_runner().invoke(args=["parcels", "book", ref, "swiftbox"])
    assert booked.exit_code == 0
    assert (
        _swiftbox_scan(services, client, tracking_ref=ref, status="out_for_delivery") == "applied"
    )
    for _ in range(8):
        other = _acme(client, tracking_ref=ref, status="delivered", delivery_code="000000")
        assert other.status_code == 409
        assert other.json["error"] == "parcel booked with another carrier"
    parcel = shipment(services, ref)
    assert (parcel.status, parcel.carrier_code_attempts, parcel.carrier_locked_until) == (
        "out_for_delivery",
        0,
        None,
    )
    assert [e.carrier for e in rows(services, ShipmentEvent) if e.carrier] == ["swiftbox"]


@pytest.mark.usefixtures("carrier_keys")
def test_the_first_accepted_event_books_the_parcel_with_its_carrier(
    services: Services, client: FlaskClient
) -> None:
    ref = paid_parcel(services)
    picked_up = scan(
        services, client, secret=ACME_KEY, carrier="acme", tracking_ref=ref, status="picked_up"
    )
    assert picked_up == "applied"
    assert shipment(services, ref).carrier == "acme"
    assert (
        _swiftbox_scan(services, client, tracking_ref=ref, status="in_transit") == "wrong_carrier"
    )
    assert shipment(services, ref).status == "picked_up"


@pytest.mark.usefixtures("carrier_keys")
def test_a_retried_wrong_code_event_counts_once_and_gets_its_first_answer(
    services: Services, client: FlaskClient, run_outbox, fake_at
) -> None:
    ref = paid_parcel(services)
    _swiftbox(client, tracking_ref=ref, status="out_for_delivery")
    first = _swiftbox(
        client, tracking_ref=ref, status="delivered", delivery_code="000000", event_id="sb-d1"
    )
    for _ in range(6):
        again = _swiftbox(
            client, tracking_ref=ref, status="delivered", delivery_code="000000", event_id="sb-d1"
        )
        assert (again.status_code, again.json) == (first.status_code, first.json)
    assert first.status_code == 409 and first.json["error"] == "wrong or missing delivery_code"
    assert shipment(services, ref).carrier_code_attempts == 1
    [remembered] = rows(services, RefusedCarrierEvent)
    assert (remembered.carrier, remembered.event_id, remembered.verdict) == (
        "swiftbox",
        "sb-d1",
        "wrong_code",
    )
    run_outbox()
    code = code_sent_to(fake_at, BUYER)
    right = _swiftbox(client, tracking_ref=ref, status="delivered", delivery_code=code)
    assert right.status_code == 200 and right.json["status"] == "delivered"


@pytest.mark.usefixtures("carrier_keys")
def test_a_retried_illegal_event_is_answered_from_its_stored_verdict(
    services: Services, app: Flask, client: FlaskClient
) -> None:
    ref = paid_parcel(services)
    returned = {"tracking_ref": ref, "status": "returned", "event_id": "sb-r1"}
    assert _swiftbox_scan(services, client, **returned) == "illegal"
    again = _swiftbox(client, **returned)
    assert (again.status_code, again.json) == (202, {"result": "duplicate", "event_id": "sb-r1"})
    assert [r.verdict for r in rows(services, RefusedCarrierEvent)] == ["illegal"]
    shown = app.test_cli_runner().invoke(args=["parcels", "show", ref]).output.splitlines()
    assert shown[-1].split("\t")[1:5] == ["refused returned", "swiftbox", "sb-r1", "illegal"]


@pytest.mark.usefixtures("carrier_keys")
def test_a_carrier_locked_out_by_wrong_codes_does_not_lock_the_pickup_point(
    services: Services, client: FlaskClient, phone, run_outbox, fake_at
) -> None:
    _, point = agent_point(services, AGENT)
    ref = paid_parcel(services, point_id=point)
    _swiftbox(client, tracking_ref=ref, status="at_pickup_point")
    run_outbox()
    for _ in range(5):
        _swiftbox(client, tracking_ref=ref, status="delivered", delivery_code="000000")
    locked = _swiftbox(client, tracking_ref=ref, status="delivered", delivery_code="000000")
    assert locked.json["error"] == "parcel locked after too many wrong delivery codes"
    parcel = shipment(services, ref)
    assert parcel.carrier_locked_until > datetime.now(UTC) + timedelta(minutes=59)
    assert (parcel.code_attempts, parcel.locked_until) == (0, None)
    agent = phone(AGENT)
    choose(agent, choose(agent, agent.dial(), "Parcels"), "Handed to customer")
    agent.send(ref)
    code = code_sent_to(fake_at, BUYER)
    assert agent.send(code) == f"END Done. Parcel {ref}: Delivered. The buyer gets an SMS."


@pytest.mark.usefixtures("carrier_keys")
def test_wrong_codes_typed_at_the_point_do_not_lock_out_the_carrier(
    services: Services, client: FlaskClient, phone, run_outbox, fake_at
) -> None:
    _, point = agent_point(services, AGENT)
    ref = paid_parcel(services, point_id=point)
    _swiftbox(client, tracking_ref=ref, status="at_pickup_point")
    run_outbox()
    agent = phone(AGENT)
    choose(agent, choose(agent, agent.dial(), "Parcels"), "Handed to customer")
    agent.send(ref)
    for _ in range(4):
        agent.send("000000")
    assert agent.send("000000").startswith("END Too many wrong codes.")
    assert shipment(services, ref).locked_until is not None
    code = code_sent_to(fake_at, BUYER)
    delivered = _swiftbox(client, tracking_ref=ref, status="delivered", delivery_code=code)
    assert delivered.status_code == 200 and delivered.json["status"] == "delivered"
