"""Buy: by category, by a typed name (in any language), or again; a listing (nearest first),
how many; then buy_order. A returning buyer's last delivery is offered at once.

An agent ordering for a customer walks the same screens from `agent.categories`, with the
customer in `data["customer"]`: listings and pickup points are then near the customer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from gateway.commerce import errors
from gateway.commerce.catalog import browse
from gateway.commerce.catalog.search import QUERY_MIN
from gateway.commerce.catalog.search import search
from gateway.commerce.catalog.views import ListingView
from gateway.commerce.orders.again import Delivery
from gateway.commerce.orders.again import buy_again
from gateway.commerce.orders.again import last_delivery
from gateway.commerce.places import Where
from gateway.text.folding import fold
from menus.context import Context
from menus.goods import also_known_as
from menus.goods import shown_name
from menus.i18n import t
from menus.present import category
from menus.present import listing_data
from menus.present import money
from menus.present import place_name
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
            branches=((remembered, "buy.confirm"),),
            goto="buy.delivery",
            errors=("buy.quantity_invalid", "buy.quantity_too_many"),
            retry="buy.quantity_retry",
        ),
        Pick(
            "buy.again",
            source=again,
            store="again",
            then=keep_again,
            branches=((remembered, "buy.confirm"),),
            goto="buy.delivery",
            empty="buy.nothing_again",
        ),
    )


SEARCH = "search"
ABROAD = "abroad"
LINES_KEPT = 2048
"""Listing pages whose lines a process keeps, per language."""
QUERY_MAX = 20


def shopper(ctx: Context) -> Where:
    """Whose place counts: the agent's customer's, else the caller's."""
    who = ctx.data.get("customer") or {
        "country": ctx.caller.country,
        "region": ctx.caller.region,
        "district": ctx.caller.district,
    }
    return Where(who["country"], who["region"], who["district"])


def buyer_id(ctx: Context) -> int:
    """Who the order is for: the agent's customer, else the caller."""
    customer = ctx.data.get("customer")
    return int(customer["id"]) if customer else ctx.caller.id


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


def _label(language: str, view: ListingView, key: str) -> str:
    return t(
        language,
        key,
        name=shown_name(language, view.name),
        price=money(language, view.price.minor, view.price.currency),
        unit=unit(language, view.unit, 1),
        place=place_name(language, view.country, view.place),
        seller=view.seller_name,
    )


def _items(ctx: Context, views: list[ListingView]) -> list[Item]:
    return list(_lines(ctx.language, tuple(views)))


@lru_cache(maxsize=LINES_KEPT)
def _lines(language: str, views: tuple[ListingView, ...]) -> tuple[Item, ...]:
    """One line per listing; lines that would read the same name the seller's place, and
    if still alike, the seller. Kept per process: the same page is shown again and again."""
    lines = [_label(language, v, "buy.listing") for v in views]
    alike = Counter(lines)
    lines = [
        _label(language, v, "buy.listing_at") if alike[line] > 1 else line
        for v, line in zip(views, lines, strict=True)
    ]
    alike = Counter(lines)
    return tuple(
        Item(v.id, _label(language, v, "buy.listing_by") if alike[line] > 1 else line)
        for v, line in zip(views, lines, strict=True)
    )


def listings(ctx: Context) -> list[Item]:
    return _items(ctx, browse.browse(ctx.uow(), shopper(ctx), ctx.data["category"]))


def query(ctx: Context, text: str) -> str:
    if len(fold(text)) < QUERY_MIN or len(text) > QUERY_MAX:
        raise Invalid("buy.search_invalid")
    return text


def found(ctx: Context) -> list[Item]:
    typed = ctx.data["query"]
    return _items(ctx, search(ctx.uow(), shopper(ctx), typed, also_known_as(typed)))


def _delivery_data(ctx: Context, delivery: Delivery | None) -> None:
    """Offer `delivery` (the buyer's last) on the confirmation, or none."""
    ctx.data["remembered"] = delivery is not None
    if delivery is None:
        ctx.data.pop("delivery", None)
        return
    ctx.data["delivery"] = {
        "delivery": delivery.kind,
        "point_id": delivery.point_id,
        "point": delivery.place if delivery.kind == "point" else None,
    }
    if delivery.kind == "home":
        ctx.data["address"] = delivery.place


def keep_listing(ctx: Context) -> None:
    view = browse.listing(ctx.uow(), ctx.data["listing"])
    if view is None:
        raise errors.ListingNotFound(ctx.data["listing"])
    ctx.data["item"] = listing_data(view)
    _delivery_data(ctx, last_delivery(ctx.uow(), buyer_id(ctx), view.id))


def remembered(ctx: Context) -> bool:
    """The buyer's last delivery applies here: the confirmation offers it (and others)."""
    return bool(ctx.data.get("remembered"))


def again(ctx: Context) -> list[Item]:
    """The buyer's last goods, each with the last quantity and delivery."""
    items = []
    for offer in buy_again(ctx.uow(), ctx.caller.id):
        view, via = offer.listing, offer.delivery
        key = f"buy.again_{via.kind}" if via else "buy.again_line"
        label = t(
            ctx.language,
            key,
            qty=offer.quantity,
            unit=unit(ctx.language, view.unit, offer.quantity),
            name=shown_name(ctx.language, view.name),
            place=via.place if via else "",
        )
        value = {
            "listing": view.id,
            "qty": offer.quantity,
            "via": [via.kind, via.point_id, via.place] if via else None,
        }
        items.append(Item(value, label))
    return items


def keep_again(ctx: Context) -> None:
    """The chosen goods, quantity and delivery, as if the buyer had walked there."""
    chosen = ctx.data.pop("again")
    for_oneself(ctx)
    view = browse.listing(ctx.uow(), chosen["listing"])
    if view is None:
        raise errors.ListingNotFound(chosen["listing"])
    ctx.data["item"], ctx.data["qty"] = listing_data(view), chosen["qty"]
    via = chosen["via"]
    _delivery_data(ctx, Delivery(via[0], via[1], via[2]) if via else None)


def item_values(ctx: Context) -> dict[str, object]:
    item = ctx.data["item"]
    return {
        "name": shown_name(ctx.language, item["name"]),
        "price": money(ctx.language, item["price_minor"], item["currency"]),
        "unit": unit(ctx.language, item["unit"], 1),
        "units": unit(ctx.language, item["unit"]),
        "seller": item["seller"],
        "place": place_name(ctx.language, item["country"], item["place"]),
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
