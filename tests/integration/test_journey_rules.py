"""Rules the domain keeps whatever the channel: prices copied, paused and sold-out goods,
no buying from oneself, agents only with consent and never for themselves, cancelling."""

import threading

import pytest

from gateway.commerce import errors
from gateway.commerce.catalog.listings import Change
from gateway.commerce.catalog.listings import change
from gateway.commerce.money import Money
from gateway.commerce.orders.placing import cancel_order
from tests.journey_domain import agent_with_customer
from tests.journey_domain import buy
from tests.journey_domain import goods
from tests.journey_domain import someone


def _stock(services, listing_id: int) -> int:
    with services.uow() as uow:
        return uow.listings.get(listing_id).stock


def _status(services, order_id: int) -> str:
    with services.uow() as uow:
        return uow.orders.get(order_id).status


@pytest.fixture()
def maize(services) -> tuple[int, int]:
    """(seller, listing): ten bags of maize at KES 3,200."""
    seller = someone(services, "+254722000501", "seller")
    return seller, goods(services, seller)


def test_an_order_keeps_the_price_it_was_placed_at(services, maize):
    seller, listing = maize
    placed = buy(services, someone(services, "+254711000501"), listing, 2)
    change(Change(seller, listing, "price", Money(400000, "KES")), services.uow())
    with services.uow() as uow:
        order = uow.orders.get(placed.order_id)
        assert order.lines[0].unit_price_minor == 320000 and order.total_minor == 640000


def test_paused_or_sold_out_goods_cannot_be_ordered(services, maize):
    seller, listing = maize
    buyer = someone(services, "+254711000502")
    change(Change(seller, listing, "paused", True), services.uow())
    with pytest.raises(errors.ListingUnavailable):
        buy(services, buyer, listing)
    change(Change(seller, listing, "paused", False), services.uow())
    change(Change(seller, listing, "stock", 0), services.uow())
    with pytest.raises(errors.ListingUnavailable):
        buy(services, buyer, listing)
    assert _stock(services, listing) == 0


def test_a_seller_changes_only_their_own_listings(services, maize):
    _, listing = maize
    other = someone(services, "+254722000502", "seller")
    with pytest.raises(errors.ListingNotFound):
        change(Change(other, listing, "stock", 99), services.uow())
    with pytest.raises(errors.InvalidListing):
        change(Change(maize[0], listing, "price", Money(500, "UGX")), services.uow())


def test_a_seller_cannot_buy_from_themselves(services, maize):
    seller, listing = maize
    with pytest.raises(errors.OwnListing):
        buy(services, seller, listing)


def test_an_agent_orders_for_a_consenting_customer_only(services, maize):
    _, listing = maize
    customer = someone(services, "+254711000503")
    agent = agent_with_customer(services, "+254733000501", customer, "pending")
    with pytest.raises(errors.NoConsent):
        buy(services, customer, listing, placed_by_id=agent)
    with services.uow() as uow:
        uow.agents.consent(agent, customer).status = "granted"
        uow.commit()
    placed = buy(services, customer, listing, placed_by_id=agent)
    with services.uow() as uow:
        order = uow.orders.get(placed.order_id)
        assert (order.buyer_id, order.placed_by_id) == (customer, agent)


def test_an_agent_cannot_be_their_own_customer(services, maize):
    _, listing = maize
    customer = someone(services, "+254711000504")
    agent = agent_with_customer(services, "+254733000502", customer, "granted")
    with pytest.raises(errors.SelfCustomer):
        buy(services, agent, listing, placed_by_id=agent)


def test_someone_who_is_not_an_agent_cannot_order_for_others(services, maize):
    _, listing = maize
    customer = someone(services, "+254711000505")
    impostor = someone(services, "+254711000506")
    with pytest.raises(errors.NotAnAgent):
        buy(services, customer, listing, placed_by_id=impostor)


def test_an_agent_cannot_order_their_own_goods_for_a_customer(services):
    customer = someone(services, "+254711000507")
    agent = agent_with_customer(services, "+254733000503", customer, "granted")
    with services.uow() as uow:
        uow.people.get(agent).grant("seller")
        uow.commit()
    with pytest.raises(errors.OwnListing):
        buy(services, customer, goods(services, agent), placed_by_id=agent)


def test_home_delivery_only_where_the_seller_offers_it(services, maize):
    seller, listing = maize
    buyer = someone(services, "+254711000508")
    with pytest.raises(errors.DeliveryUnavailable):
        buy(services, buyer, listing, delivery="home", delivery_place="Ahero")
    delivered = goods(services, seller, "Beans", home=True)
    with pytest.raises(errors.DeliveryUnavailable):
        buy(services, buyer, delivered, delivery="home")  # where to?
    buy(services, buyer, delivered, delivery="home", delivery_place="Ahero")
    with pytest.raises(errors.DeliveryUnavailable):
        buy(services, buyer, delivered, 2, pickup_point_id=999)


def test_cancelling_an_unpaid_order_gives_the_stock_back_once(services, maize):
    _, listing = maize
    buyer = someone(services, "+254711000509")
    placed = buy(services, buyer, listing, 4)
    assert _stock(services, listing) == 6
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        barrier.wait()
        try:
            cancel_order(placed.order_id, buyer, services.uow())
            outcomes.append("cancelled")
        except errors.OrderNotCancellable:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["cancelled", "refused"]
    assert _stock(services, listing) == 10 and _status(services, placed.order_id) == "cancelled"


def test_only_the_buyer_or_their_agent_may_cancel(services, maize):
    _, listing = maize
    customer = someone(services, "+254711000510")
    agent = agent_with_customer(services, "+254733000504", customer, "granted")
    placed = buy(services, customer, listing, placed_by_id=agent)
    with pytest.raises(errors.OrderNotFound):
        cancel_order(placed.order_id, someone(services, "+254711000511"), services.uow())
    cancel_order(placed.order_id, agent, services.uow())
    assert _status(services, placed.order_id) == "cancelled"


def test_the_last_bag_goes_to_exactly_one_of_a_buyer_and_an_agent_ordering_at_once(services):
    seller = someone(services, "+254722000503", "seller")
    listing = goods(services, seller, stock=1)
    buyer = someone(services, "+254711000512")
    customer = someone(services, "+254711000513")
    agent = agent_with_customer(services, "+254733000505", customer, "granted")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(who: int, placed_by: int | None) -> None:
        barrier.wait()
        try:
            buy(services, who, listing, placed_by_id=placed_by)
            outcomes.append("won")
        except (errors.OutOfStock, errors.ListingUnavailable):
            outcomes.append("lost")

    threads = [
        threading.Thread(target=attempt, args=(buyer, None)),
        threading.Thread(target=attempt, args=(customer, agent)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost", "won"]
    assert _stock(services, listing) == 0
