"""The whole story over HTTP, as Africa's Talking and Safaricom drive it: a seller lists maize,
a buyer in another district finds it by category and by search and orders 2 bags, an agent
registers a customer who consents by SMS, the agent orders for them, an agent without consent
is refused, and the seller sees the paid orders."""

import pytest
from sqlalchemy import select

from gateway.store.models.agents import AgentAction
from gateway.store.models.agents import AgentConsent
from gateway.store.models.catalog import Listing
from gateway.store.models.messages import SmsMessage
from gateway.store.models.orders import Order
from gateway.store.models.outbox import OutboxItem
from tests.journeys_support import PIN
from tests.journeys_support import Walk
from tests.journeys_support import first_call
from tests.journeys_support import grant_agent
from tests.journeys_support import list_goods
from tests.journeys_support import register_seller
from tests.payment_support import TOKEN
from tests.payment_support import fake_daraja  # noqa: F401
from tests.sms_support import Texter
from tests.sms_support import rows

SELLER = "+254722000401"
BUYER = "+254711000402"
AGENT = "+254733000403"
CUSTOMER = "+254711000404"
STRANGER = "+254711000405"

pytestmark = pytest.mark.usefixtures("fake_at")


@pytest.fixture()
def market(services, app, phone):
    """Wanjiru Farm (Molo, Nakuru) lists 40 bags of maize; Mama Njeri runs a point in Kisumu."""
    seller = register_seller(phone(SELLER), "Wanjiru Farm", "Nakuru", "Molo")
    list_goods(seller, "Grains and flour", "Maize", "bag", "3200", "40")
    grant_agent(app, AGENT, "Mama Njeri Shop", "Kisumu Town")
    return seller


def _stock(services) -> int:
    with services.uow() as uow:
        return uow.session.scalar(select(Listing.stock).where(Listing.name == "Maize"))


def _buyer_in_kisumu(phone) -> Walk:
    buyer = first_call(phone(BUYER))
    buyer.go("@Language / Account", "@My place", "@Kisumu", "@Kisumu Town")
    assert buyer.screen.startswith("CON Save Kisumu Town as your place?")
    assert buyer.go("@Confirm").startswith("END Saved.")
    return buyer


def test_a_buyer_in_another_district_finds_maize_by_category_and_orders_two_bags(
    services,
    client,
    phone,
    market,
    run_outbox,
    fake_daraja,  # noqa: F811
):
    buyer = _buyer_in_kisumu(phone)
    buyer.dial()
    buyer.go("@Buy", "@Grains and flour")
    quantity = buyer.go("@Maize KES 3,200/bag")
    assert quantity == (
        "CON Maize, KES 3,200/bag\nSeller: Wanjiru Farm, Molo\nIn stock: 40\nHow many?\n0:Back 00:Home"
    )
    delivery = buyer.go("2")
    assert delivery.startswith("CON How do you get it?\n1. Pick up at Mama Njeri Shop, Kisumu Town")
    confirm = buyer.go("@Pick up at Mama Njeri Shop")
    assert confirm.startswith(
        "CON Order 2 bags Maize\nKES 6,400\nPickup: Mama Njeri Shop\n1. Confirm\n2. Cancel"
    )
    placed = buyer.go("@Confirm")
    assert placed.startswith("END Order ") and placed.endswith(
        "2 bags Maize, KES 6,400. A payment prompt will come to your phone."
    )
    ref = placed.split()[2]
    with services.uow() as uow:
        order = uow.orders.by_ref(ref)
        assert order.delivery == "pickup" and order.pickup_point_id is not None
        assert order.lines[0].unit_price_minor == 320000 and order.total_minor == 640000
    assert _stock(services) == 38
    run_outbox()
    client.post(f"/payments/mpesa/{TOKEN}", json=fake_daraja.complete())
    run_outbox()
    seller = Walk(phone(SELLER)).dial()
    to_fulfil = seller.go("@Sell", "@Orders to fulfil")
    assert f"1. {ref} 2 bags Maize" in to_fulfil
    detail = seller.go(f"@{ref}")
    assert detail.startswith(
        f"CON {ref} buyer {BUYER}\nPickup: Mama Njeri Shop\n1. Ready for pickup"
    )
    assert seller.go("@Ready for pickup").startswith(f"END Order {ref}: marked ready.")
    with services.uow() as uow:
        assert uow.orders.by_ref(ref).ready_at is not None


def test_a_buyer_finds_maize_by_typing_its_name_even_with_a_typo(phone, market):
    buyer = first_call(phone(BUYER))
    for typed in ("maize", "MAIZE", "Maï", "maze"):
        buyer.dial()
        found = buyer.go("@Buy", "@Search by name", typed)
        assert found.startswith("CON Choose goods:\n1. Maize KES 3,200/bag"), typed
    buyer.dial()
    assert buyer.go("@Buy", "@Search by name", "beans").startswith(
        "CON Nothing for sale matches that name."
    )


def test_my_orders_lists_an_unpaid_order_and_cancelling_returns_the_stock(services, phone, market):
    buyer = first_call(phone(BUYER))
    buyer.go("@Buy", "@Grains and flour", "@Maize", "5", "@Pick up at", "@Confirm")
    ref = buyer.screen.split()[2]
    assert _stock(services) == 35
    buyer.dial()
    mine = buyer.go("@My orders")
    assert mine.startswith(f"CON My orders:\n1. {ref} placed KES 16,000")
    one = buyer.go(f"@{ref}")
    assert one == f"CON {ref}: placed\n5 bags Maize\nKES 16,000\n1. Cancel order\n0:Back 00:Home"
    asked = buyer.go("@Cancel order")
    assert asked.startswith(
        f"CON Cancel order {ref} (5 bags Maize)?\n1. Yes, cancel\n2. No, keep it"
    )
    assert buyer.go("@No, keep it") == f"END Order {ref} is kept. Nothing was changed."
    assert _stock(services) == 35
    buyer.dial()
    buyer.go("@My orders", f"@{ref}", "@Cancel order")
    assert buyer.go("@Yes, cancel") == f"END Order {ref} is cancelled. Nothing was charged."
    assert _stock(services) == 40
    buyer.dial()
    assert buyer.go("@My orders").startswith(f"CON My orders:\n1. {ref} cancelled KES 16,000")


def test_an_agent_registers_a_customer_who_consents_by_sms_then_orders_for_them(
    services, client, phone, market, run_outbox
):
    agent = first_call(phone(AGENT))
    agent.go("@Agent")
    assert agent.screen.startswith("CON Choose a 4-digit PIN.")
    menu = agent.go(PIN, PIN)
    assert menu.startswith("CON Agent menu:\n1. Register a customer\n2. Order for a customer")
    agent.go("@Register a customer", "0711 000 404")
    assert agent.screen.startswith("CON Name of +254711000404?\n1. No name")
    agent.go("Akinyi")
    assert agent.screen.startswith(
        "CON Send +254711000404 an SMS asking to let you order for them?"
    )
    asked = agent.go("@Confirm")
    assert asked == "END SMS sent to +254711000404. When they reply YES, you can order for them."
    [request] = rows(services, SmsMessage, to=CUSTOMER)
    assert request.kind == "transactional"
    assert request.text.startswith(  # a new customer in Kenya is asked in Swahili
        "Sokoni: wakala Mama Njeri Shop anaomba kukuagizia bidhaa. Jibu NDIO kukubali."
    )
    Texter(client, CUSTOMER).text("YES")
    run_outbox()
    assert [c.status for c in rows(services, AgentConsent)] == ["granted"]

    agent.dial()
    agent.go("@Agent", PIN, "@Order for a customer")
    assert agent.screen.startswith("CON Order for:\n1. Akinyi +254711000404\n2. Another number")
    assert agent.go("@Akinyi").startswith("CON Payment for +254711000404:\n1. Prompt")
    agent.go("@I took cash", "@Grains and flour", "@Maize", "3", "@Pick up at Mama Njeri")
    placed = agent.go("@Confirm")
    assert placed.endswith("3 bags Maize, KES 9,600. Paid in cash to you.")
    with services.uow() as uow:
        order = uow.orders.by_ref(placed.split()[2])
        customer, agent_person = uow.people.by_phone(CUSTOMER), uow.people.by_phone(AGENT)
        assert (order.buyer_id, order.placed_by_id) == (customer.id, agent_person.id)
        assert order.status == "paid"
    assert rows(services, OutboxItem, topic="payment.request") == []  # no prompt for cash
    trail = [(a.actor, a.action) for a in rows(services, AgentAction)]
    assert trail == [
        ("operator", "granted"),
        ("agent", "consent_requested"),
        ("customer", "consent_granted"),
        ("agent", "order_placed"),
    ]
    seller = Walk(phone(SELLER)).dial()
    assert "1. " + order.ref in seller.go("@Sell", "@Orders to fulfil")


def test_an_agent_without_the_customers_consent_is_offered_to_send_the_request_now(
    services, client, phone, market, run_outbox
):
    agent = first_call(phone(AGENT))
    agent.go("@Agent", PIN, PIN, "@Order for a customer", "@Another number")
    offered = agent.go("0711 000 405")
    assert offered.startswith(
        "CON +254711000405 has not agreed yet. They must reply YES to our SMS from their own "
        "phone.\n1. Send them the request now"
    )
    assert rows(services, SmsMessage, to=STRANGER) == []
    sent = agent.go("@Send them the request now")
    assert sent == "END SMS sent to +254711000405. When they reply YES, you can order for them."
    [request] = rows(services, SmsMessage, to=STRANGER)
    assert "Jibu NDIO kukubali" in request.text and "tuma ACHA WAKALA" in request.text
    agent.dial()
    agent.go("@Agent", PIN, "@My customers")
    assert agent.screen.startswith("CON My customers:\n1. +254711000405 waiting")
    Texter(client, STRANGER).text("YES")
    Texter(client, STRANGER).text("STOP AGENT")
    run_outbox()
    agent.dial()
    agent.go("@Agent", PIN, "@Order for a customer", "@Another number")
    assert agent.go(STRANGER).startswith("CON +254711000405 has not agreed yet.")
    with services.uow() as uow:
        assert uow.session.scalars(select(Order)).all() == []


def test_an_agent_cannot_register_themselves_as_a_customer(phone, market):
    agent = first_call(phone(AGENT))
    agent.go("@Agent", PIN, PIN, "@Register a customer")
    assert agent.go(AGENT).startswith("CON That is your own number.")
