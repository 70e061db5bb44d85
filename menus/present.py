"""Small formatters shared by journeys: money, units, categories, in the caller's language."""

from __future__ import annotations

from gateway.commerce.catalog import ListingView
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from menus.i18n import t


def money(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


def unit(language: str, slug: str) -> str:
    return t(language, f"unit.{slug}")


def category(language: str, slug: str) -> str:
    return t(language, f"category.{slug}")


def listing_data(view: ListingView) -> dict[str, object]:
    """What later screens of a journey need to show about a chosen listing, as JSON."""
    return {
        "id": view.id,
        "name": view.name,
        "unit": view.unit,
        "price_minor": view.price.minor,
        "currency": view.price.currency,
        "stock": view.stock,
        "seller": view.seller_name,
        "place": view.place,
    }
