"""Placing orders against the real database: atomic stock, copied prices, idempotency, races."""

import threading

import pytest

from gateway.commerce import errors
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.store.models.catalog import Listing
from gateway.store.models.people import Person


def _listing(services, stock: int, status: str = "active") -> tuple[int, int]:
    """A seller's listing of honey with `stock` jars; returns (listing id, seller id)."""
    with services.uow() as uow:
        seller = uow.people.add(Person(phone="+254722000900", country="KE", name="Honey Seller"))
        listing = uow.listings.add(
            Listing(
                code="HNY1",
                seller_id=seller.id,
                category="other",
                name="Honey",
                unit="piece",
                price_minor=50000,
                currency="KES",
                stock=stock,
                status=status,
                country="KE",
            )
        )
        uow.commit()
        return listing.id, seller.id


def _buyer(services, number: str) -> int:
    with services.uow() as uow:
        person = uow.people.add(Person(phone=number, country="KE"))
        uow.commit()
        return person.id


def _order(services, buyer: int, listing: int, qty: int = 1, key: str | None = None):
    return place_order(
        PlaceOrder(buyer, listing, qty, "ussd", key or f"k-{buyer}-{listing}-{qty}"), services.uow()
    )


def _stock(services, listing_id: int) -> int:
    with services.uow() as uow:
        return uow.listings.get(listing_id).stock


def test_two_concurrent_orders_for_the_last_unit_exactly_one_wins(services):
    listing, _ = _listing(services, stock=1)
    buyers = [_buyer(services, f"+25471100070{i}") for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(buyer: int) -> None:
        barrier.wait()
        try:
            _order(services, buyer, listing)
            outcomes.append("won")
        except (errors.OutOfStock, errors.ListingUnavailable):  # lost the race, or came after it
            outcomes.append("out of stock")

    threads = [threading.Thread(target=attempt, args=(b,)) for b in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["out of stock", "won"]
    assert _stock(services, listing) == 0


def test_many_concurrent_orders_never_take_stock_below_zero(services):
    listing, _ = _listing(services, stock=5)
    buyers = [_buyer(services, f"+25471100080{i}") for i in range(8)]
    won: list[int] = []

    def attempt(buyer: int) -> None:
        try:
            _order(services, buyer, listing)
            won.append(buyer)
        except (errors.OutOfStock, errors.ListingUnavailable):
            pass

    threads = [threading.Thread(target=attempt, args=(b,)) for b in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 5
    assert _stock(services, listing) == 0


def test_the_price_is_copied_into_the_order_at_order_time(services):
    listing, _ = _listing(services, stock=10)
    placed = _order(services, _buyer(services, "+254711000601"), listing, qty=3)
    with services.uow() as uow:
        uow.listings.get(listing).price_minor = 99900
        uow.commit()
    with services.uow() as uow:
        order = uow.orders.by_ref(placed.ref)
        assert order.total_minor == 150000 and order.lines[0].unit_price_minor == 50000


def test_the_same_idempotency_key_places_one_order(services):
    listing, _ = _listing(services, stock=10)
    buyer = _buyer(services, "+254711000602")
    first = _order(services, buyer, listing, qty=2, key="ussd:s1:1*1*1*2*1")
    again = _order(services, buyer, listing, qty=2, key="ussd:s1:1*1*1*2*1")
    assert first == again
    assert _stock(services, listing) == 8


@pytest.mark.parametrize(
    ("status", "stock", "qty", "error"),
    [
        ("paused", 5, 1, errors.ListingUnavailable),
        ("active", 0, 1, errors.ListingUnavailable),
        ("active", 2, 3, errors.OutOfStock),
        ("active", 2, 0, errors.InvalidQuantity),
    ],
    ids=["paused", "sold out", "more than stock", "zero"],
)
def test_orders_that_break_a_rule_change_nothing(services, status, stock, qty, error):
    listing, _ = _listing(services, stock=stock, status=status)
    with pytest.raises(error):
        _order(services, _buyer(services, "+254711000603"), listing, qty=qty)
    assert _stock(services, listing) == stock


def test_a_seller_cannot_buy_their_own_goods(services):
    listing, seller = _listing(services, stock=3)
    with pytest.raises(errors.OwnListing):
        _order(services, seller, listing)
    assert _stock(services, listing) == 3
