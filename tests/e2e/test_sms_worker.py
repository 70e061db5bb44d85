"""The SMS channel through real RQ workers, and the receipt that follows every new order."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rq import SimpleWorker

from gateway.bootstrap import Services
from gateway.commerce.followups import order_placed
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.catalog import Listing
from gateway.store.models.people import Person
from tests.sms_support import Texter
from tests.sms_support import sent_to
from workers.queues import QUEUES


@pytest.mark.usefixtures("worker_services")
def test_an_rq_worker_runs_the_command_and_sends_the_answer(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking
) -> None:
    Texter(client, "+254711000701").text("MSAADA")
    SimpleWorker(list(QUEUES), connection=services.connections.redis).work(burst=True)
    [call] = fake_at.received
    assert call.recipients == ("+254711000701",) and call.sender == "SOKONI"
    assert call.message.startswith("Sokoni SMS: UZA bidhaa")
    [message] = sent_to(services, "+254711000701")
    assert (message.status, message.at_message_id) == ("sent", call.message_ids[0])


def _order(services: Services, buyer_language: str) -> int:
    with services.uow() as uow:
        seller = Person(phone="+254711000711", country="KE", name="Amina")
        buyer = Person(phone="+254711000712", country="KE", language=buyer_language)
        for person, role in ((seller, "seller"), (buyer, "buyer")):
            person.grant(role)
            uow.people.add(person)
        listing = Listing(
            code="BEAN01",
            seller_id=seller.id,
            category="grains",
            name="Beans",
            unit="kg",
            price_minor=15000,
            currency="KES",
            stock=100,
            country="KE",
        )
        uow.listings.add(listing)
        uow.commit()
        buyer_id, listing_id = buyer.id, listing.id
    return place_order(
        PlaceOrder(buyer_id, listing_id, 4, "ussd", "k-receipt"), services.uow()
    ).order_id


def test_every_new_order_texts_the_buyer_a_receipt_in_their_language(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    order_id = _order(services, "sw")
    run_outbox()
    [call] = fake_at.received
    assert call.recipients == ("+254711000712",)
    assert call.message.startswith("Agizo la Sokoni ")
    assert "4 kg Beans, jumla KES 600" in call.message
    order_placed(services.deps, order_id)  # the handler runs again after a crash
    run_outbox()
    assert len(sent_to(services, "+254711000712")) == 1 and len(fake_at.received) == 1
