"""The phone simulator: a purchase walked in the browser's pages, through the public
endpoints only (the hop, the sandbox's decision), with the screen's character count and the
receipt SMS in the phone's inbox from the fake Africa's Talking; SMS commands and carrier
events sent as their providers send them; and no simulator in production."""

from __future__ import annotations

import pytest

from config.settings import load
from gateway.app import create_app
from gateway.cli.demo import seed
from tests.journeys_support import choose
from tests.journeys_support import walk_to_maize
from tests.simulator_support import SimulatedPhone

pytestmark = pytest.mark.usefixtures("sandbox_only")


def test_a_purchase_walked_in_the_simulator_ends_with_the_receipt_sms_in_its_inbox(
    services, client, fake_at, run_outbox
):
    seed(services.uow())
    phone = SimulatedPhone(client, "+254711000901")
    quantity = walk_to_maize(phone)
    assert "Maize, KES 3,200/bag" in quantity
    assert "/160 characters (GSM-7)" in phone.page()
    delivery = phone.send("2")
    placed = phone.send("1") if "Confirm" in delivery else None
    if placed is None:
        phone.send(choose(delivery, "Collect from the seller"))
        placed = phone.send("1")
    assert placed.startswith("END Order "), placed
    ref = placed.split()[2].rstrip(":")
    run_outbox()  # the worker asks the sandbox wallet: the prompt shows on the phone
    page = phone.page()
    assert f"to Sokoni for {ref}?" in page
    sandbox_ref = page.split('name="ref" value="')[1].split('"')[0]
    said = phone.post("pay", ref=sandbox_ref, result="approve")
    assert "Payment prompt answered: HTTP 200" in said
    run_outbox()
    inbox = phone.page().split('id="inbox">')[1]
    assert f"received for order {ref}" in inbox
    with services.uow() as uow:
        assert uow.orders.by_ref(ref).status == "paid"


def test_sms_commands_and_carrier_events_go_to_the_public_endpoints(
    services, client, fake_at, run_outbox
):
    seed(services.uow())
    phone = SimulatedPhone(client, "+254711000902")
    assert "SMS sent: HTTP 200 OK" in phone.post("sms", text="HELP")
    run_outbox()
    assert "Sokoni" in phone.page().split('id="inbox">')[1]
    answer = phone.post("carrier", ref="NOSUCH", status="in_transit", carrier="swiftbox")
    assert "Carrier event: HTTP 202" in answer and "queued" in answer
    answer = phone.post("carrier", ref="NOSUCH", status="delivered", carrier="swiftbox")
    assert "Carrier event: HTTP 404" in answer and "unknown tracking_ref" in answer


def test_there_is_no_simulator_in_production(settings):
    production = {
        "SOKONI_ENV": "production",
        "SECRET_KEY": "s" * 40,
        "DATABASE_URL": settings.DATABASE_URL,
        "REDIS_URL": settings.REDIS_URL,
        "AT_USERNAME": "sokoni",
        "AT_API_KEY": "k" * 40,
        "CALLBACK_BASE_URL": "https://gateway.example",
        "CALLBACK_TOKEN": "c" * 40,
        "AT_CALLBACK_TOKEN": "a" * 40,
    }
    app = create_app(load(production))
    assert app.test_client().get("/simulator/").status_code == 404
    assert app.test_client().get("/metrics").status_code == 404
