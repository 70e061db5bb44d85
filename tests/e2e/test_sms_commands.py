"""People text commands to the short code; the worker answers through the fake Africa's Talking."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from gateway.bootstrap import Services
from gateway.commerce.topics import INBOUND
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.catalog import Listing
from gateway.store.models.messages import SmsOptOut
from gateway.store.models.orders import Order
from gateway.store.models.people import Person
from tests.sms_support import Texter
from tests.sms_support import inbound
from tests.sms_support import rows
from tests.sms_support import sent_to
from tests.sql_support import listening
from workers.outbox import run_batch

pytestmark = pytest.mark.usefixtures("fake_at")


def _person(
    services: Services, phone: str, *roles: str, language: str | None = None, name: str = ""
) -> int:
    with services.uow() as uow:
        person = Person(phone=phone, country="KE", language=language, name=name or None)
        for role in ("buyer", *roles):
            person.grant(role)
        uow.people.add(person)
        uow.commit()
        return person.id


def _listing(services: Services, seller_id: int, code: str, name: str, price: int, **extra) -> None:
    fields = dict(category="grains", unit="bag", currency="KES", stock=50, status="active")
    fields |= dict(country="KE", region="Rift Valley", district="Nakuru") | extra
    with services.uow() as uow:
        uow.listings.add(
            Listing(code=code, seller_id=seller_id, name=name, price_minor=price, **fields)
        )
        uow.commit()


def _replies(fake: FakeAfricasTalking, number: str) -> list[str]:
    return [call.message for call in fake.received if number in call.recipients]


def test_help_is_answered_by_sms_from_our_sender_id(
    client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    Texter(client, "+254711000401").text("help")
    run_outbox()
    [call] = fake_at.received
    assert call.recipients == ("+254711000401",) and call.sender == "SOKONI"
    assert call.message.startswith("Sokoni SMS: SELL item price")


def test_an_unknown_command_gets_one_sms_of_usage_in_the_countrys_language_and_changes_nothing(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    Texter(client, "+254711000402").text("hello there")
    Texter(client, "+256771000402", network="64110").text("?")
    run_outbox()
    [message] = sent_to(services, "+254711000402")
    assert (message.segments, message.kind) == (1, "reply")
    assert message.text.startswith("Sokoni: tuma MSAADA")
    assert sent_to(services, "+256771000402")[0].text.startswith("Sokoni: send HELP")
    assert rows(services, Listing) == [] and rows(services, Order) == []
    assert [(m.status, m.command) for m in inbound(services)] == [("handled", None)] * 2


def test_the_usage_reply_comes_in_the_language_of_the_keyword(
    client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    Texter(client, "+254711000403").text("UZA mahindi")
    run_outbox()
    assert _replies(fake_at, "+254711000403") == [
        "Kuuza, tuma: UZA bidhaa bei idadi kipimo. Mfano: UZA mahindi 3200 10 gunia"
    ]


def test_a_person_who_chose_french_gets_french_whatever_they_type(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    _person(services, "+254711000404", language="fr")
    Texter(client, "+254711000404").text("blah")
    run_outbox()
    assert _replies(fake_at, "+254711000404")[0].startswith("Sokoni: envoyez AIDE")


def test_a_seller_lists_goods_by_sms(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    seller = _person(services, "+254711000411", "seller")
    with services.uow() as uow:
        uow.people.get(seller).district = "Eldoret"
        uow.commit()
    Texter(client, "+254711000411").text("  sell  Maize flour  3,200  10 bags!")
    run_outbox()
    [listing] = rows(services, Listing)
    assert (listing.name, listing.price_minor, listing.currency) == ("Maize Flour", 320000, "KES")
    assert (listing.stock, listing.unit, listing.category) == (10, "bag", "other")
    assert (listing.seller_id, listing.district, listing.status) == (seller, "Eldoret", "active")
    [reply] = _replies(fake_at, "+254711000411")
    assert reply == (
        f"Listed {listing.code}: Maize Flour, KES 3,200/bag, 10 bags in stock. "
        f"Buyers send ORDER {listing.code} qty. To stop selling it, send PAUSE {listing.code}"
    )


def test_a_listing_takes_the_category_others_use_for_the_same_name(
    services: Services, client: FlaskClient, run_outbox
) -> None:
    seller = _person(services, "+254711000412", "seller")
    _listing(services, seller, "GR4NZ2", "Sorghum", 150000, category="grains")
    Texter(client, "+254711000412").text("SELL sorghum 1400")
    run_outbox()
    assert [(x.name, x.category, x.stock, x.unit) for x in rows(services, Listing)][1] == (
        "Sorghum",
        "grains",
        1,
        "piece",
    )


def test_someone_who_is_not_a_seller_cannot_sell(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    Texter(client, "+254711000413").text("SELL goats 9000 2")
    run_outbox()
    assert rows(services, Listing) == []
    assert _replies(fake_at, "+254711000413") == [
        "Only registered sellers can SELL. Dial *384*123# and choose Sell to register."
    ]


def test_price_lists_the_cheapest_offers_first(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    seller = _person(services, "+254711000421", "seller")
    _listing(services, seller, "DEAR01", "Maize", 400000)
    _listing(services, seller, "CHEAP1", "White maize", 290000, district="Kitale")
    _listing(services, seller, "MID001", "Maize", 310000)
    _listing(services, seller, "GONE01", "Maize", 100000, stock=0)
    _listing(services, seller, "BEANS1", "Beans", 100000)
    Texter(client, "+254711000422").text("PRICE maize")
    run_outbox()
    assert _replies(fake_at, "+254711000422") == [
        "Cheapest Maize:\n"
        "CHEAP1: White maize KES 2,900/bag, Kitale\n"
        "MID001: Maize KES 3,100/bag, Nakuru\n"
        "DEAR01: Maize KES 4,000/bag, Nakuru\n"
        "Order: ORDER code qty"
    ]


def test_price_near_a_place_keeps_to_that_place(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    seller = _person(services, "+254711000423", "seller")
    _listing(services, seller, "KIT001", "Maize", 290000, district="Kitale")
    _listing(services, seller, "NAK001", "Maize", 310000)
    Texter(client, "+254711000424").text("bei mahindi Nakuru")
    Texter(client, "+254711000425").text("PRICE maize nakuru")
    run_outbox()
    assert _replies(fake_at, "+254711000424") == [  # mahindi is maize, shown in Swahili
        "Mahindi nafuu zaidi:\nNAK001: Mahindi KES 3,100/gunia, Nakuru\nAgiza: AGIZA namba idadi"
    ]
    assert "NAK001" in _replies(fake_at, "+254711000425")[0]
    assert "KIT001" not in _replies(fake_at, "+254711000425")[0]


def test_an_order_by_sms_is_placed_once_and_the_receipt_is_the_answer(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    seller = _person(services, "+254711000431", "seller")
    _listing(services, seller, "K7M2QX", "Maize", 320000)
    buyer = Texter(client, "+254711000432")
    at_id = buyer.text("order k7m2qx 2")
    buyer.text("order k7m2qx 2", at_id=at_id)  # Africa's Talking retries the same message
    run_outbox()
    buyer.text("order k7m2qx 2", at_id=at_id)  # ... even after we handled it
    run_outbox()
    [order] = rows(services, Order)
    assert (order.channel, order.total_minor, order.idempotency_key) == (
        "sms",
        640000,
        f"sms:{at_id}",
    )
    assert rows(services, Listing)[0].stock == 48
    [receipt] = sent_to(services, "+254711000432")
    assert receipt.kind == "transactional"
    assert _replies(fake_at, "+254711000432") == [
        f"Sokoni order {order.ref}: 2 bags Maize, total KES 6,400. A payment prompt will "
        f"come to your phone. Send TRACK {order.ref} for news."
    ]
    assert len(inbound(services)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ORDER ZZZ999", "No goods with code ZZZ999. Send PRICE item to find codes."),
        ("ORDER OWN001", "You cannot buy your own goods."),
        ("ORDER FEW001 9", "Not enough left of FEW001. Send ORDER FEW001 with a smaller quantity."),
        ("ORDER PAUSE1", "Goods PAUSE1 are no longer for sale."),
    ],
)
def test_an_order_that_cannot_be_placed_is_explained(
    services: Services,
    client: FlaskClient,
    fake_at: FakeAfricasTalking,
    run_outbox,
    text: str,
    expected: str,
) -> None:
    seller = _person(services, "+254711000441", "seller")
    _listing(services, seller, "OWN001", "Eggs", 1500, unit="tray")
    _listing(services, seller, "FEW001", "Eggs", 1500, unit="tray", stock=2)
    _listing(services, seller, "PAUSE1", "Eggs", 1500, unit="tray", status="paused")
    number = "+254711000441" if "OWN" in text else "+254711000442"
    Texter(client, number).text(text)
    run_outbox()
    assert _replies(fake_at, number) == [expected]
    assert rows(services, Order) == []


def test_my_orders_and_track_show_only_my_own_orders(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    seller = _person(services, "+254711000451", "seller")
    _listing(services, seller, "ONION1", "Onions", 8000, unit="kg")
    buyer = Texter(client, "+254711000452")
    buyer.text("ORDER ONION1 3")
    run_outbox()
    [order] = rows(services, Order)
    buyer.text("my orders")
    buyer.text(f"track {order.ref.lower()}")
    Texter(client, "+254711000453").text(f"TRACK {order.ref}")
    run_outbox()
    assert _replies(fake_at, "+254711000452")[1:] == [
        f"Your last orders:\n{order.ref} awaiting payment KES 240",
        f"Order {order.ref}: awaiting payment. 3 kg Onions, total KES 240.",
    ]
    assert _replies(fake_at, "+254711000453") == [
        f"No order {order.ref} for your number. Check the reference and try again."
    ]


def test_stop_silences_notifications_until_start_and_is_stored_with_time_and_channel(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    from gateway.commerce.messaging.outgoing import queue_sms

    texter = Texter(client, "+254711000461")
    texter.text("STOP")
    run_outbox()
    with services.uow() as uow:
        queue_sms(uow, "+254711000461", "New maize in your district")
        uow.commit()
    run_outbox()
    texter.text("start")
    run_outbox()
    [stop, start] = rows(services, SmsOptOut)
    assert (stop.phone, stop.opted_out, stop.channel) == ("+254711000461", True, "sms")
    assert (start.opted_out, start.channel) == (False, "sms")
    assert stop.created_at <= start.created_at
    assert [m.status for m in sent_to(services, "+254711000461")] == ["sent", "suppressed", "sent"]
    assert _replies(fake_at, "+254711000461") == [
        "You will get no more Sokoni news; replies and receipts you ask for still come. "
        "Send START to resume.",
        "Welcome back: you will get Sokoni news again. Send STOP to stop.",
    ]


def test_past_the_rate_limit_messages_are_stored_not_run_and_answered_once(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    services.settings = replace(services.settings, SMS_INBOUND_LIMIT=2)
    texter = Texter(client, "+254711000471")
    for _ in range(5):
        texter.text("HELP")
    texter.text("STOP")
    run_outbox()
    statuses = [m.status for m in inbound(services)]
    assert statuses == [
        "handled",
        "handled",
        "rate_limited",
        "rate_limited",
        "rate_limited",
        "handled",
    ]
    replies = _replies(fake_at, "+254711000471")
    assert len(replies) == 4
    assert (
        replies.count(
            "Sokoni: too many messages. We will read your messages again in a few minutes."
        )
        == 1
    )
    assert [(o.phone, o.opted_out) for o in rows(services, SmsOptOut)] == [("+254711000471", True)]


def test_a_message_from_no_phone_number_is_stored_and_ignored(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    Texter(client, "Safaricom").text("HELP")
    run_outbox()
    assert [m.status for m in inbound(services)] == ["ignored"]
    assert fake_at.received == []


def test_the_language_of_a_first_keyword_is_remembered_unless_it_is_ambiguous(
    services: Services, client: FlaskClient, run_outbox
) -> None:
    Texter(client, "+254711000481").text("BEI mahindi")
    Texter(client, "+254711000482").text("STOP")
    run_outbox()
    languages = {p.phone: p.language for p in rows(services, Person)}
    assert languages == {"+254711000481": "sw", "+254711000482": None}


def _inbound_batch_cost(services: Services, client: FlaskClient, numbers: range) -> tuple[int, int]:
    """Transactions and SQL statements one inbound batch of HELP from new numbers takes."""
    for n in numbers:
        Texter(client, f"+2547110{n:05d}").text("HELP")
    counts = {"begin": 0, "before_cursor_execute": 0}

    def count(name: str):  # type: ignore[no-untyped-def]
        return lambda *_, **__: counts.__setitem__(name, counts[name] + 1)

    with (
        listening(services, "begin", count("begin")),
        listening(services, "before_cursor_execute", count("before_cursor_execute")),
    ):
        assert run_batch(services, INBOUND) == ["done"] * len(numbers)
    return counts["begin"], counts["before_cursor_execute"]


def test_a_batch_of_help_costs_the_same_few_statements_whatever_its_size(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    small = _inbound_batch_cost(services, client, range(3))
    large = _inbound_batch_cost(services, client, range(100, 130))
    assert small[0] == large[0] <= 3  # transactions: claim, answer all, settle the rows
    if services.connections.engine.dialect.name == "postgresql":  # SQLite inserts row by row
        assert small[1] == large[1]
    run_outbox()
    assert sorted(n for call in fake_at.received for n in call.recipients) == sorted(
        f"+2547110{n:05d}" for n in [*range(3), *range(100, 130)]
    )
    assert {m.status for m in inbound(services)} == {"handled"}


def test_a_senders_messages_are_answered_in_order_around_a_command_with_work(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    first, second = Texter(client, "+254711000491"), Texter(client, "+254711000492")
    first.text("HELP")
    first.text("SELL maize 3500")  # not a seller: answered after the batch, by its handler
    second.text("HELP")
    first.text("HELP")  # waits behind the SELL before it
    run_outbox()
    help_text = "Sokoni SMS: SELL item price"
    texts = [m.text for m in sent_to(services, "+254711000491")]
    assert [text.startswith(help_text) for text in texts] == [True, False, True]
    assert len(sent_to(services, "+254711000492")) == 1
    assert {m.status for m in inbound(services)} == {"handled"}
