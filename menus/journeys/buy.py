"""Buy: by category or by a typed name, a listing (nearest first), how many; then buy_order.

An agent ordering for a customer walks the same screens from `agent.categories`, with the
customer in `data["customer"]`: listings and pickup points are then near the customer.
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.commerce import errors
from gateway.commerce.catalog import browse
from gateway.commerce.catalog.search import QUERY_MIN
from gateway.commerce.catalog.search import search
from gateway.commerce.catalog.views import ListingView
from gateway.commerce.places import Where
from gateway.text.folding import fold
from menus.context import Context
from menus.i18n import t
from menus.present import category
from menus.present import listing_data
from menus.present import money
from menus.present import unit
from menus.screens import Ask
from menus.screens import Invalid
from menus.screens import Item
from menus.screens import Pick
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        _categories("buy.categories", for_oneself, own_categories, ((ABROAD, "abroad.countries"),)),
        _categories("agent.categories", None, categories),
        Pick(
            "buy.listings",
            source=listings,
            store="listing",
            then=keep_listing,
            goto="buy.quantity",
            empty="buy.no_listings",
        ),
        Ask(
            "buy.search",
            parse=query,
            store="query",
            goto="buy.found",
            errors=("buy.search_invalid",),
        ),
        Pick(
            "buy.found",
            "buy.listings",
            source=found,
            store="listing",
            then=keep_listing,
            goto="buy.quantity",
            empty="buy.none_found",
        ),
        Ask(
            "buy.quantity",
            shows=item_values,
            parse=quantity,
            store="qty",
            goto="buy.delivery",
            errors=("buy.quantity_invalid", "buy.quantity_too_many"),
            retry="buy.quantity_retry",
        ),
    )


SEARCH = "search"
ABROAD = "abroad"
QUERY_MAX = 20


def shopper(ctx: Context) -> Where:
    """Whose place counts: the agent's customer's, else the caller's."""
    who = ctx.data.get("customer") or {
        "country": ctx.caller.country,
        "region": ctx.caller.region,
        "district": ctx.caller.district,
    }
    return Where(who["country"], who["region"], who["district"])


def categories(ctx: Context) -> list[Item]:
    present = browse.categories_for(ctx.uow(), shopper(ctx))
    return [Item(SEARCH, t(ctx.language, "buy.search_item"))] + [
        Item(slug, category(ctx.language, slug)) for slug in present
    ]


def own_categories(ctx: Context) -> list[Item]:
    """The categories, then "Other countries" (buying from abroad is for oneself only)."""
    return categories(ctx) + [Item(ABROAD, t(ctx.language, "abroad.item"))]


def for_oneself(ctx: Context) -> None:
    """The caller buys for themselves: forget any customer an agent chose earlier."""
    ctx.data.pop("customer", None)
    ctx.data.pop("payment", None)


def _items(ctx: Context, views: list[ListingView]) -> list[Item]:
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


def listings(ctx: Context) -> list[Item]:
    return _items(ctx, browse.browse(ctx.uow(), shopper(ctx), ctx.data["category"]))


def query(ctx: Context, text: str) -> str:
    if len(fold(text)) < QUERY_MIN or len(text) > QUERY_MAX:
        raise Invalid("buy.search_invalid")
    return text


def found(ctx: Context) -> list[Item]:
    return _items(ctx, search(ctx.uow(), shopper(ctx), ctx.data["query"]))


def keep_listing(ctx: Context) -> None:
    view = browse.listing(ctx.uow(), ctx.data["listing"])
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
        raise Invalid("buy.quantity_invalid")
    stock = ctx.data["item"]["stock"]
    if int(text) > stock:
        raise Invalid("buy.quantity_too_many", stock=stock)
    return int(text)


def _categories(
    screen: str,
    then: Callable[[Context], None] | None,
    source: Callable[[Context], list[Item]],
    routes: tuple[tuple[str, str], ...] = (),
) -> Pick:
    return Pick(
        screen,
        "buy.categories",
        source=source,
        store="category",
        then=then,
        routes=((SEARCH, "buy.search"), *routes),
        goto="buy.listings",
        empty="buy.no_categories",
    )
