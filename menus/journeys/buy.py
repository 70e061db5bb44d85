"""Buy: category, listing (nearest first), quantity, confirm, order placed."""

from __future__ import annotations

from gateway.commerce import catalog
from gateway.commerce import errors
from gateway.commerce.orders import PlaceOrder
from gateway.commerce.orders import place_order
from menus.context import Context
from menus.i18n import t
from menus.present import category
from menus.present import listing_data
from menus.present import money
from menus.present import unit
from menus.screens import Ask
from menus.screens import Confirm
from menus.screens import End
from menus.screens import Invalid
from menus.screens import Item
from menus.screens import Pick


def categories(ctx: Context) -> list[Item]:
    return [
        Item(slug, category(ctx.language, slug))
        for slug in catalog.categories_for(ctx.uow(), ctx.caller)
    ]


def listings(ctx: Context) -> list[Item]:
    views = catalog.browse(ctx.uow(), ctx.caller, ctx.data["category"])
    return [
        Item(
            v.id,
            t(
                ctx.language,
                "buy.listing",
                name=v.name,
                price=money(v.price.minor, v.price.currency),
                unit=unit(ctx.language, v.unit),
            ),
        )
        for v in views
    ]


def keep_listing(ctx: Context) -> None:
    view = catalog.listing(ctx.uow(), ctx.data["listing"])
    if view is None:
        raise errors.ListingNotFound(ctx.data["listing"])
    ctx.data["item"] = listing_data(view)


def item_values(ctx: Context) -> dict[str, object]:
    item = ctx.data["item"]
    return {
        "name": item["name"],
        "price": money(item["price_minor"], item["currency"]),
        "unit": unit(ctx.language, item["unit"]),
        "seller": item["seller"],
        "place": item["place"],
        "stock": item["stock"],
    }


def quantity(ctx: Context, text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise Invalid("quantity.invalid")
    stock = ctx.data["item"]["stock"]
    if int(text) > stock:
        raise Invalid("quantity.too_many", stock=stock)
    return int(text)


def order_values(ctx: Context) -> dict[str, object]:
    item, qty = ctx.data["item"], ctx.data["qty"]
    return {
        "qty": qty,
        "unit": unit(ctx.language, item["unit"]),
        "name": item["name"],
        "total": money(item["price_minor"] * qty, item["currency"]),
    }


def order(ctx: Context) -> None:
    placed = place_order(
        PlaceOrder(
            buyer_id=ctx.caller.id,
            listing_id=ctx.data["item"]["id"],
            quantity=ctx.data["qty"],
            channel=ctx.channel,
            idempotency_key=ctx.hop_key,
        ),
        ctx.uow(),
    )
    ctx.data["order"] = {
        "ref": placed.ref,
        "total_minor": placed.total.minor,
        "currency": placed.total.currency,
    }


def placed_values(ctx: Context) -> dict[str, object]:
    placed = ctx.data["order"]
    return {
        **order_values(ctx),
        "ref": placed["ref"],
        "total": money(placed["total_minor"], placed["currency"]),
    }


SCREENS = (
    Pick(
        "buy.categories",
        "buy.categories",
        source=categories,
        store="category",
        goto="buy.listings",
        empty="buy.no_categories",
    ),
    Pick(
        "buy.listings",
        "buy.listings",
        source=listings,
        store="listing",
        then=keep_listing,
        goto="buy.quantity",
        empty="buy.no_listings",
    ),
    Ask(
        "buy.quantity",
        "buy.quantity",
        shows=item_values,
        parse=quantity,
        store="qty",
        goto="buy.confirm",
        errors=("quantity.invalid", "quantity.too_many"),
        retry="buy.quantity_retry",
    ),
    Confirm("buy.confirm", "buy.confirm", shows=order_values, action=order, goto="buy.placed"),
    End("buy.placed", "buy.placed", shows=placed_values),
)
