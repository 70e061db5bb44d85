"""Small formatters shared by journeys: money, units, categories, countries, in the caller's
language."""

from __future__ import annotations

from typing import Any

from gateway.commerce.catalog.views import ListingView
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.commerce.orders.views import OrderCard
from menus.i18n import form
from menus.i18n import has_text
from menus.i18n import t


def money(language: str, minor: int, currency: str) -> str:
    """An amount in `language`'s convention: "KES 3,200", "25 000 CDF"."""
    return format_money(Money(minor, currency), language)


def unit(language: str, slug: str, count: int | None = None) -> str:
    """The unit's word for `count` of it ("bag", "bags"); for no count, the word for many."""
    if count is None:
        return form(language, f"unit.{slug}", "other")
    return t(language, f"unit.{slug}", count=count)


def category(language: str, slug: str) -> str:
    return t(language, f"category.{slug}")


def country_name(language: str, iso: str) -> str:
    """A COMESA member's name in `language` (`menus/locales/<lang>/countries.toml`)."""
    return t(language, f"country.{iso}")


def place_name(language: str, country: str, name: str | None) -> str:
    """A region as `language` calls it (`[region.<country>]`: "Northern" is "Nord" in
    French); districts, villages and regions without a translation as they are stored."""
    if not name:
        return ""
    key = f"region.{country}.{name}"
    return t(language, key) if has_text(language, key) else name


def listing_basics(view: ListingView) -> dict[str, object]:
    """A listing's id, code, name, unit, price and stock, as JSON."""
    return {
        "id": view.id,
        "code": view.code,
        "name": view.name,
        "unit": view.unit,
        "price_minor": view.price.minor,
        "currency": view.price.currency,
        "stock": view.stock,
    }


def listing_data(view: ListingView) -> dict[str, object]:
    """What later screens of a journey need to show about a chosen listing, as JSON."""
    return {
        **listing_basics(view),
        "seller": view.seller_name,
        "place": view.place,
        "country": view.country,
        "home_delivery": view.home_delivery,
    }


def status(language: str, code: str) -> str:
    """An order status in the caller's words (the SMS texts name them), else as stored."""
    key = f"sms_status.{code}"
    return t(language, key) if has_text(language, key) else code


def card_data(card: OrderCard) -> dict[str, object]:
    """What screens show of an order, as JSON."""
    return {
        "id": card.id,
        "ref": card.ref,
        "status": card.status,
        "ready": card.ready,
        "cancellable": card.cancellable,
        "total_minor": card.total.minor,
        "currency": card.total.currency,
        "qty": card.quantity,
        "unit": card.unit,
        "name": card.name,
        "buyer_place": card.buyer_place,
        "buyer_phone": card.buyer_phone,
        "delivery": card.delivery,
        "delivery_place": card.delivery_place,
        "parcel": card.parcel,
        "has_code": card.has_code,
    }


def card_values(language: str, card: dict[str, Any]) -> dict[str, object]:
    """An order's texts: status and delivery in the caller's words, money formatted."""
    state = status(language, card["status"])
    if card["ready"]:
        state = t(language, "orders.ready", status=state)
    return {
        "ref": card["ref"],
        "status": state,
        "total": money(language, card["total_minor"], card["currency"]),
        "qty": card["qty"],
        "unit": unit(language, card["unit"], card["qty"]),
        "name": card["name"],
        "buyer_place": card["buyer_place"],
        "phone": card["buyer_phone"],
        "delivery": t(language, f"orders.via_{card['delivery']}", place=card["delivery_place"]),
    }
