"""Buying again: a buyer's last distinct goods, each with the quantity and delivery they chose
last time, and the delivery a returning buyer is offered first."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.commerce.catalog.views import ListingView
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.uow import UnitOfWork

LOOKED_AT = 30
"""A buyer's latest orders that "Buy again" looks through."""
OFFERED = 12
"""Most goods "Buy again" lists."""


@dataclass(frozen=True)
class Delivery:
    """How an order was to reach its buyer: `point` (with its id and name), `home` (with the
    address) or `seller`."""

    kind: str
    point_id: int | None = None
    place: str = ""


@dataclass(frozen=True)
class Again:
    """Goods bought before, orderable now: the last quantity (at most what is in stock) and
    the last delivery, if it still applies to these goods."""

    listing: ListingView
    quantity: int
    delivery: Delivery | None


def _delivery(uow: UnitOfWork, order: Order) -> Delivery | None:
    if order.delivery == "home":
        return Delivery("home", place=order.delivery_place or "")
    if order.pickup_point_id is None:
        return Delivery("seller")
    point = uow.agents.point(order.pickup_point_id)
    return Delivery("point", point.id, point.name) if point is not None else None


def _applies(delivery: Delivery | None, listing: Listing) -> Delivery | None:
    """The delivery, if these goods can reach the buyer that way."""
    if delivery is None or (delivery.kind == "home" and not listing.home_delivery):
        return None
    return delivery


def last_delivery(uow: UnitOfWork, buyer_id: int, listing_id: int) -> Delivery | None:
    """How the buyer's latest order reached them, if the listing can go that way too."""
    with uow:
        listing = uow.listings.get(listing_id)
        latest = uow.orders.latest_of_buyer(buyer_id, 1)
        if not latest or listing is None:
            return None
        return _applies(_delivery(uow, latest[0]), listing)


def buy_again(uow: UnitOfWork, buyer_id: int) -> list[Again]:
    """The buyer's last distinct goods still for sale, latest first."""
    offered: list[Again] = []
    seen: set[int] = set()
    with uow:
        for order in uow.orders.latest_of_buyer(buyer_id, LOOKED_AT):
            line = order.lines[0]
            if line.listing_id in seen:
                continue
            seen.add(line.listing_id)
            listing = uow.listings.get(line.listing_id)
            if listing is None or listing.status != "active" or listing.stock == 0:
                continue
            quantity = min(line.quantity, listing.stock)
            delivery = _applies(_delivery(uow, order), listing)
            offered.append(Again(ListingView.of(listing), quantity, delivery))
            if len(offered) == OFFERED:
                break
    return offered
