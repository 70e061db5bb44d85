"""Buying across a border: the price in the buyer's currency, and whether the goods cross
under the COMESA Simplified Trade Regime (STR) or need a full certificate of origin.

A cross-border order is STR-eligible when both countries run the STR, the goods' HS heading
is on the pair's Common List, and the consignment (goods plus the pair's transport
allowance, in USD at the quoted rate) is within the pair's threshold (`config/trade.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal

from config.countries import COUNTRIES
from config.trade import common_list
from config.trade import str_members
from gateway.commerce import errors
from gateway.commerce.fx import rates
from gateway.commerce.fx.rates import Quote
from gateway.commerce.money import Money
from gateway.commerce.origin.headings import listing_heading
from gateway.store.models.catalog import Listing
from gateway.store.uow import UnitOfWork

STR = "str"
FULL = "full"
REASONS = ("member", "list", "value")
"""Why goods need a full certificate: a country outside the STR, goods not on the pair's
Common List, or a consignment over the pair's threshold."""


@dataclass(frozen=True)
class Price:
    """A listing's unit price in the buyer's currency, beside the seller's own."""

    unit: Money
    seller_unit: Money
    quote: Quote
    """Seller's currency -> buyer's currency."""


@dataclass(frozen=True)
class Crossing:
    """What ordering `quantity` of a listing across a border costs and what the border needs."""

    origin: str
    destination: str
    price: Price
    quantity: int
    hs_heading: str | None
    usd_value: Money
    """The goods' value in USD at the quoted rate (the consignment without transport)."""
    regime: str
    reason: str | None
    """Why the goods need a full certificate (REASONS); None under the STR."""
    threshold_usd: int | None

    @property
    def total(self) -> Money:
        return self.price.unit * self.quantity

    @property
    def seller_total(self) -> Money:
        return self.price.seller_unit * self.quantity


def is_abroad(listing: Listing, buyer_country: str) -> bool:
    return listing.country != buyer_country


def price(
    uow: UnitOfWork, listing: Listing, buyer_country: str, today: date, max_age: timedelta
) -> Price:
    """In the caller's open unit of work: the listing's unit price for a buyer in
    `buyer_country`, converted at today's rate.

    Raises:
        RateUnavailable.
    """
    seller_unit = Money(listing.price_minor, listing.currency)
    currency = COUNTRIES[buyer_country].currency
    quote = rates.quote(uow, listing.currency, currency, today, max_age)
    return Price(rates.convert(seller_unit, currency, quote.rate), seller_unit, quote)


def assess(
    uow: UnitOfWork,
    listing: Listing,
    buyer_country: str,
    quantity: int,
    today: date,
    max_age: timedelta,
) -> Crossing:
    """In the caller's open unit of work: price and regime of `quantity` of the listing.

    Raises:
        RateUnavailable: no fresh rate to the buyer's currency or to USD.
    """
    priced = price(uow, listing, buyer_country, today, max_age)
    to_usd = rates.quote(uow, listing.currency, rates.PIVOT, today, max_age)
    usd_value = rates.convert(priced.seller_unit * quantity, rates.PIVOT, to_usd.rate)
    heading = listing_heading(uow, listing)
    pair = common_list(listing.country, buyer_country)
    reason = None
    if not {listing.country, buyer_country} <= str_members():
        reason = "member"
    elif pair is None or heading not in pair.goods:
        reason = "list"
    else:
        allowance = 1 + pair.transport_allowance_pct / Decimal(100)
        consignment = rates.convert(usd_value, rates.PIVOT, allowance)
        if consignment.minor > pair.threshold_usd * 100:
            reason = "value"
    return Crossing(
        origin=listing.country,
        destination=buyer_country,
        price=priced,
        quantity=quantity,
        hs_heading=heading,
        usd_value=usd_value,
        regime=STR if reason is None else FULL,
        reason=reason,
        threshold_usd=pair.threshold_usd if pair else None,
    )


def rate_for(
    uow: UnitOfWork, seller_currency: str, buyer_country: str, now: datetime, max_age: timedelta
) -> Quote:
    """Today's rate from the seller's currency to the buyer's.

    Raises:
        RateUnavailable.
    """
    with uow:
        currency = COUNTRIES[buyer_country].currency
        return rates.quote(uow, seller_currency, currency, now.date(), max_age)


def assess_listing(
    uow: UnitOfWork,
    listing_id: int,
    buyer_country: str,
    quantity: int,
    now: datetime,
    max_age: timedelta,
) -> Crossing:
    """`assess` for a listing by id, in a transaction of its own (nothing is written).

    Raises:
        ListingNotFound, RateUnavailable.
    """
    with uow:
        listing = uow.listings.get(listing_id)
        if listing is None:
            raise errors.ListingNotFound(listing_id)
        return assess(uow, listing, buyer_country, quantity, now.date(), max_age)
