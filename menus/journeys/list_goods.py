"""List goods: category, name, unit, price, stock, delivery; a summary, then the PIN to publish."""

from __future__ import annotations

from config.countries import COUNTRIES
from gateway.commerce.catalog.listings import Publish
from gateway.commerce.catalog.listings import publish
from gateway.commerce.catalog.terms import CATEGORIES
from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.terms import UNITS
from gateway.commerce.money import InvalidAmount
from gateway.commerce.money import Money
from gateway.commerce.money import parse_amount
from menus.context import Context
from menus.i18n import t
from menus.journeys.pin import enter_pin
from menus.journeys.sell import NAME_ERRORS
from menus.journeys.sell import name
from menus.present import category
from menus.present import money
from menus.present import unit
from menus.screens import Ask
from menus.screens import Confirm
from menus.screens import End
from menus.screens import Invalid
from menus.screens import Item
from menus.screens import Pick
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Pick(
            "sell.category",
            source=categories,
            store="draft_category",
            then=keep_currency,
            goto="sell.item",
        ),
        Ask(
            "sell.item",
            parse=name,
            store="draft_name",
            goto="sell.unit",
            errors=NAME_ERRORS,
        ),
        Pick("sell.unit", source=units, store="unit", goto="sell.price"),
        Ask(
            "sell.price",
            shows=unit_values,
            parse=price,
            store="price",
            goto="sell.stock",
            errors=PRICE_ERRORS,
        ),
        Ask(
            "sell.stock",
            shows=unit_values,
            parse=quantity,
            store="stock",
            goto="sell.delivery",
            errors=("sell.stock_invalid",),
        ),
        Pick("sell.delivery", source=delivery_options, store="home", goto="sell.confirm"),
        Confirm("sell.confirm", shows=draft_values, goto="sell.publish"),
        enter_pin("sell.publish", "sell.published", then=publish_listing, title="sell.publish"),
        End("sell.published", shows=published_values),
    )


def categories(ctx: Context) -> list[Item]:
    return [Item(slug, category(ctx.language, slug)) for slug in CATEGORIES]


def keep_currency(ctx: Context) -> None:
    ctx.data["currency"] = COUNTRIES[ctx.caller.country].currency


def units(ctx: Context) -> list[Item]:
    return [Item(slug, unit(ctx.language, slug, 1)) for slug in UNITS]


def unit_values(ctx: Context) -> dict[str, object]:
    return {
        "unit": unit(ctx.language, ctx.data["unit"], 1),
        "units": unit(ctx.language, ctx.data["unit"]),
        "currency": ctx.data["currency"],
    }


PRICE_ERRORS = ("sell.amount_invalid", "sell.amount_too_precise", "sell.amount_too_large")
"""The texts `price` may refuse an answer with."""


def price(ctx: Context, text: str) -> int:
    try:
        return parse_amount(text, ctx.data["currency"]).minor
    except InvalidAmount as err:
        raise Invalid(f"sell.{err.key.replace('.', '_')}") from None


def quantity(ctx: Context, text: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= MAX_QUANTITY:
        raise Invalid("sell.stock_invalid", most=MAX_QUANTITY)
    return int(text)


def delivery_options(ctx: Context) -> list[Item]:
    return [
        Item(False, t(ctx.language, "sell.pickup_only")),
        Item(True, t(ctx.language, "sell.delivers")),
    ]


def draft_values(ctx: Context) -> dict[str, object]:
    return {
        "name": ctx.data["draft_name"],
        "category": category(ctx.language, ctx.data["draft_category"]),
        "price": money(ctx.language, ctx.data["price"], ctx.data["currency"]),
        "unit": unit(ctx.language, ctx.data["unit"], 1),
        "stock": ctx.data["stock"],
        "delivery": t(ctx.language, "sell.delivers" if ctx.data["home"] else "sell.pickup_only"),
    }


def publish_listing(ctx: Context) -> None:
    view = publish(
        Publish(
            seller_id=ctx.caller.id,
            category=ctx.data["draft_category"],
            name=ctx.data["draft_name"],
            unit=ctx.data["unit"],
            price=Money(ctx.data["price"], ctx.data["currency"]),
            stock=ctx.data["stock"],
            home_delivery=ctx.data["home"],
        ),
        ctx.uow(),
    )
    ctx.data["code"] = view.code


def published_values(ctx: Context) -> dict[str, object]:
    return {**draft_values(ctx), "code": ctx.data["code"]}
