"""Placing an order: stock reserved atomically, prices copied, outbox rows in the same commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from gateway.commerce import errors
from gateway.commerce import topics
from gateway.commerce.agents.consent import check_may_order
from gateway.commerce.agents.trail import audit
from gateway.commerce.money import Money
from gateway.commerce.orders import states as order_states
from gateway.commerce.origin.crossing import Crossing
from gateway.commerce.origin.crossing import assess
from gateway.commerce.origin.crossing import is_abroad
from gateway.commerce.refs import new_ref
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.models.orders import OrderLine
from gateway.store.uow import UnitOfWork

MAX_QUANTITY = 9999
DELIVERIES = ("pickup", "home")
ADDRESS_MAX = 60
"""Longest address a home delivery goes to (village or town, and directions)."""


@dataclass(frozen=True)
class Abroad:
    """What ordering from another country needs: the day to quote rates for, and how old a
    rate may be (FX_MAX_AGE_DAYS)."""

    today: date
    max_age: timedelta


@dataclass(frozen=True)
class PlaceOrder:
    """Buy `quantity` of one listing; `idempotency_key` makes a retried request a no-op."""

    buyer_id: int
    listing_id: int
    quantity: int
    channel: str
    idempotency_key: str
    delivery: str = "pickup"
    placed_by_id: int | None = None
    """The agent ordering for the buyer, who must have consented from their own phone."""
    pickup_point_id: int | None = None
    """The agent point to collect from; none means collecting from the seller."""
    delivery_place: str | None = None
    """Where a `home` delivery goes."""
    cash: bool = False
    """The ordering agent takes cash from the customer, so no mobile-money prompt is sent."""
    abroad: Abroad | None = None
    """Set by the menus that show a cross-border price and its border needs before confirming;
    without it, goods from another country are refused."""


@dataclass(frozen=True)
class OrderPlaced:
    order_id: int
    ref: str
    total: Money
    quantity: int
    name: str
    unit: str


def _placed(order: Order) -> OrderPlaced:
    line = order.lines[0]
    return OrderPlaced(
        order_id=order.id,
        ref=order.ref,
        total=Money(order.total_minor, order.currency),
        quantity=line.quantity,
        name=line.name,
        unit=line.unit,
    )


def place_order(cmd: PlaceOrder, uow: UnitOfWork) -> OrderPlaced:
    """Reserve stock and write the order in one transaction.

    Across a border the buyer pays in their currency at the rate quoted now, escrow and the
    seller are paid in the seller's, and the order records both, the rate, the goods' USD
    value and the trade regime (`gateway.commerce.origin.crossing`).

    Raises:
        InvalidQuantity, ListingNotFound, ListingUnavailable, OwnListing, OutOfStock,
        DeliveryUnavailable; for an agent's order SelfCustomer, NotAnAgent, NoConsent;
        across a border CrossBorderByMenu, RateUnavailable.
    """
    if not 0 < cmd.quantity <= MAX_QUANTITY:
        raise errors.InvalidQuantity(cmd.quantity)
    with uow:
        existing = uow.orders.by_idempotency_key(cmd.idempotency_key)
        if existing is not None:
            return _placed(existing)
        listing = uow.listings.get(cmd.listing_id)
        if listing is None:
            raise errors.ListingNotFound(cmd.listing_id)
        if listing.seller_id == cmd.buyer_id:
            raise errors.OwnListing(cmd.listing_id)
        if listing.status != "active" or listing.stock == 0:
            raise errors.ListingUnavailable(cmd.listing_id)
        if cmd.placed_by_id is not None:
            check_may_order(uow, cmd.placed_by_id, cmd.buyer_id)
            if listing.seller_id == cmd.placed_by_id:
                raise errors.OwnListing(cmd.listing_id)
        crossing = _crossing(uow, listing, cmd)
        _check_delivery(uow, listing, cmd, crossing)
        if not uow.listings.reserve(listing.id, cmd.quantity):
            raise errors.OutOfStock(cmd.listing_id)
        seller_total = Money(listing.price_minor, listing.currency) * cmd.quantity
        total = crossing.total if crossing else seller_total
        order = uow.orders.add(
            Order(
                ref=new_ref(uow.orders.ref_taken),
                buyer_id=cmd.buyer_id,
                seller_id=listing.seller_id,
                placed_by_id=cmd.placed_by_id,
                total_minor=total.minor,
                currency=total.currency,
                seller_total_minor=seller_total.minor,
                seller_currency=seller_total.currency,
                **_recorded(crossing),
                delivery=cmd.delivery,
                pickup_point_id=cmd.pickup_point_id,
                delivery_place=cmd.delivery_place,
                channel=cmd.channel,
                idempotency_key=cmd.idempotency_key,
                lines=[
                    OrderLine(
                        listing_id=listing.id,
                        name=listing.name,
                        unit=listing.unit,
                        quantity=cmd.quantity,
                        unit_price_minor=listing.price_minor,
                        currency=listing.currency,
                    )
                ],
            )
        )
        if not cmd.cash:  # a cash order's receipt is the SMS that records the cash
            uow.emit(topics.ORDER_PLACED, order_id=order.id)
            uow.emit(topics.PAYMENT_REQUEST, order_id=order.id)
        if cmd.placed_by_id is not None:
            audit(uow, cmd.placed_by_id, "agent", "order_placed", cmd.buyer_id, order.id)
        placed = _placed(order)
        uow.commit()
        return placed


def _crossing(uow: UnitOfWork, listing: Listing, cmd: PlaceOrder) -> Crossing | None:
    """Price and regime when the listing is in another country than the buyer."""
    buyer = uow.people.one(cmd.buyer_id)
    if not is_abroad(listing, buyer.country):
        return None
    if cmd.abroad is None or cmd.placed_by_id is not None:
        raise errors.CrossBorderByMenu(listing.id)
    return assess(uow, listing, buyer.country, cmd.quantity, cmd.abroad.today, cmd.abroad.max_age)


def _recorded(crossing: Crossing | None) -> dict[str, object]:
    """The order's columns that say how a cross-border order was priced and will cross."""
    if crossing is None:
        return {}
    quote = crossing.price.quote
    return {
        "fx_rate": quote.text,
        "fx_as_of": quote.as_of,
        "fx_source": quote.source,
        "usd_value_minor": crossing.usd_value.minor,
        "trade_regime": crossing.regime,
    }


def _check_delivery(
    uow: UnitOfWork, listing: Listing, cmd: PlaceOrder, crossing: Crossing | None
) -> None:
    """Home delivery where the seller offers it, or a pickup point; across a border, a carrier
    to the buyer's place or to a pickup point on the buyer's side (never from the seller)."""
    if cmd.delivery not in DELIVERIES:
        raise errors.DeliveryUnavailable(cmd.delivery)
    delivers = listing.home_delivery or crossing is not None
    if cmd.delivery == "home" and not (delivers and cmd.delivery_place):
        raise errors.DeliveryUnavailable(cmd.delivery)
    if len(cmd.delivery_place or "") > ADDRESS_MAX:
        raise errors.DeliveryUnavailable(cmd.delivery_place)
    point = uow.agents.point(cmd.pickup_point_id) if cmd.pickup_point_id is not None else None
    if cmd.pickup_point_id is not None and point is None:
        raise errors.DeliveryUnavailable(cmd.pickup_point_id)
    if crossing is not None and cmd.delivery == "pickup":
        if point is None or point.country != crossing.destination:
            raise errors.DeliveryUnavailable(cmd.pickup_point_id)


def cancel_order(order_id: int, person_id: int, uow: UnitOfWork) -> None:
    """Cancel an order that is not paid yet; its stock goes back in the same transaction.

    The buyer, or the agent who placed it, may cancel. Money arriving later is refunded.

    Raises:
        OrderNotFound (also for anyone else's order), OrderNotCancellable.
    """
    with uow:
        order = uow.orders.lock(order_id)
        if order is None or person_id not in (order.buyer_id, order.placed_by_id):
            raise errors.OrderNotFound(order_id)
        if order.status not in order_states.PAYABLE:
            raise errors.OrderNotCancellable(order.ref)
        order_states.move(order, "cancelled")
        for line in order.lines:
            uow.listings.restock(line.listing_id, line.quantity)
        if person_id == order.placed_by_id and person_id != order.buyer_id:
            audit(uow, person_id, "agent", "order_cancelled", order.buyer_id, order.id)
        uow.commit()
