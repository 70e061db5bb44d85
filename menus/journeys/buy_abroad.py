"""Buy -> Other countries: a member state with goods (nearest first), then the same category,
search and listing screens with prices in the buyer's currency beside the seller's; what the
border needs (a Simplified Certificate of Origin, or a full one) before confirming; delivery
by a carrier to the buyer's place or to a pickup point on the buyer's side.

Prices are quoted at today's rate; with no rate, or one older than FX_MAX_AGE_DAYS, the
buyer is told that cross-border prices are paused, and nothing is priced wrongly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from config.countries import COUNTRIES
from gateway.commerce import errors
from gateway.commerce.agents.points import points_near
from gateway.commerce.catalog import browse
from gateway.commerce.catalog.search import search
from gateway.commerce.catalog.views import ListingView
from gateway.commerce.fx.rates import convert
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.commerce.orders.placing import Abroad
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.commerce.origin import crossing
from gateway.commerce.origin.markets import markets_for
from gateway.commerce.places import Where
from menus.context import Context
from menus.goods import shown_name
from menus.i18n import t
from menus.journeys.answers import yes_or_no
from menus.journeys.buy import SEARCH
from menus.journeys.buy import item_values
from menus.journeys.buy import quantity
from menus.journeys.buy import query
from menus.journeys.buy import shopper
from menus.journeys.buy_order import ADDRESS_ERRORS
from menus.journeys.buy_order import HOME
from menus.journeys.buy_order import address
from menus.journeys.buy_order import delivery_line
from menus.present import category
from menus.present import country_name
from menus.present import listing_data
from menus.present import money
from menus.present import unit
from menus.screens import Ask
from menus.screens import Choice
from menus.screens import End
from menus.screens import Item
from menus.screens import Menu
from menus.screens import Pick
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Pick(
            "abroad.countries",
            source=countries,
            store="market",
            then=keep_rate,
            goto="abroad.categories",
            empty="abroad.none",
        ),
        Pick(
            "abroad.categories",
            source=categories,
            store="category",
            routes=((SEARCH, "abroad.search"),),
            goto="abroad.listings",
            empty="buy.no_categories",
            shows=market_values,
        ),
        Pick(
            "abroad.listings",
            "buy.listings",
            source=listings,
            store="listing",
            then=keep_listing,
            goto="abroad.quantity",
            empty="buy.no_listings",
        ),
        Ask(
            "abroad.search",
            "buy.search",
            parse=query,
            store="query",
            goto="abroad.found",
            errors=("buy.search_invalid",),
        ),
        Pick(
            "abroad.found",
            "buy.listings",
            source=found,
            store="listing",
            then=keep_listing,
            goto="abroad.quantity",
            empty="buy.none_found",
        ),
        Ask(
            "abroad.quantity",
            shows=quantity_values,
            parse=quantity,
            act=assess,
            store="qty",
            goto="abroad.origin",
            errors=("buy.quantity_invalid", "buy.quantity_too_many"),
            retry="buy.quantity_retry",
        ),
        Menu(
            "abroad.origin",
            choices=(Choice("abroad.continue", "abroad.delivery"),),
            shows=origin_values,
        ),
        Pick(
            "abroad.delivery",
            "buy.delivery",
            source=deliveries,
            store="delivery",
            routes=((HOME, "abroad.address"),),
            goto="abroad.confirm",
        ),
        Ask(
            "abroad.address",
            "buy.address",
            parse=address,
            store="address",
            goto="abroad.confirm",
            errors=ADDRESS_ERRORS,
        ),
        yes_or_no("abroad.confirm", "buy.confirm", confirm_values, order, "abroad.placed"),
        End("abroad.placed", "buy.placed", shows=placed_values),
    )


def market(ctx: Context) -> Where:
    """The country chosen to buy from, anywhere in it."""
    return Where(ctx.data["market"], None, None)


def home_currency(ctx: Context) -> str:
    return COUNTRIES[shopper(ctx).country].currency


def countries(ctx: Context) -> list[Item]:
    """Members with goods, neighbours first, then the same part of the region, then the rest;
    by name within each."""
    found = markets_for(ctx.uow(), shopper(ctx).country)
    named = [(near, country_name(ctx.language, iso), iso) for iso, near in found]
    return [Item(iso, name) for _, name, iso in sorted(named)]


def keep_rate(ctx: Context) -> None:
    """Today's rate from the chosen country's currency to the buyer's, for pricing the lists.

    Raises:
        RateUnavailable: the buyer is told cross-border prices are paused.
    """
    quote = crossing.rate_for(
        ctx.uow(),
        COUNTRIES[ctx.data["market"]].currency,
        shopper(ctx).country,
        ctx.now(),
        ctx.deps.fx_max_age,
    )
    ctx.data["rate"] = quote.text


def _in_home_currency(ctx: Context, price: Money) -> Money:
    return convert(price, home_currency(ctx), Decimal(ctx.data["rate"]))


def market_values(ctx: Context) -> dict[str, object]:
    return {"country": country_name(ctx.language, ctx.data["market"])}


def categories(ctx: Context) -> list[Item]:
    present = browse.categories_for(ctx.uow(), market(ctx))
    return [Item(SEARCH, t(ctx.language, "buy.search_item"))] + [
        Item(slug, category(ctx.language, slug)) for slug in present
    ]


def _priced(ctx: Context, views: list[ListingView]) -> list[Item]:
    """Each listing with its price in the buyer's currency, then the seller's."""
    return [
        Item(
            v.id,
            t(
                ctx.language,
                "abroad.listing",
                name=v.name,
                price=format_money(_in_home_currency(ctx, v.price)),
                seller_price=money(ctx.language, v.price.minor, v.price.currency),
                unit=unit(ctx.language, v.unit),
            ),
        )
        for v in views
    ]


def listings(ctx: Context) -> list[Item]:
    return _priced(ctx, browse.browse(ctx.uow(), market(ctx), ctx.data["category"]))


def found(ctx: Context) -> list[Item]:
    return _priced(ctx, search(ctx.uow(), market(ctx), ctx.data["query"]))


def keep_listing(ctx: Context) -> None:
    """The chosen listing, and its unit price in the buyer's currency at the rate kept."""
    view = browse.listing(ctx.uow(), ctx.data["listing"])
    if view is None:
        raise errors.ListingNotFound(ctx.data["listing"])
    ctx.data["item"] = listing_data(view)
    price = _in_home_currency(ctx, view.price)
    ctx.data["abroad"] = {
        "price_minor": price.minor,
        "currency": price.currency,
        "seller_price_minor": view.price.minor,
        "seller_currency": view.price.currency,
        "country": ctx.data["market"],
    }


def quantity_values(ctx: Context) -> dict[str, object]:
    abroad = ctx.data["abroad"]
    return {
        **item_values(ctx),
        "price": money(ctx.language, abroad["price_minor"], abroad["currency"]),
        "seller_price": money(
            ctx.language, abroad["seller_price_minor"], abroad["seller_currency"]
        ),
        "country": country_name(ctx.language, abroad["country"]),
    }


def assess(ctx: Context, qty: int) -> int:
    """What `qty` costs in both currencies and what the border needs, kept for the next
    screens (nothing is written).

    Raises:
        RateUnavailable, ListingNotFound.
    """
    found = crossing.assess_listing(
        ctx.uow(),
        ctx.data["item"]["id"],
        shopper(ctx).country,
        qty,
        ctx.now(),
        ctx.deps.fx_max_age,
    )
    ctx.data["crossing"] = {
        "regime": found.regime,
        "reason": found.reason,
        "total_minor": found.total.minor,
        "currency": found.total.currency,
        "seller_total_minor": found.seller_total.minor,
        "seller_currency": found.seller_total.currency,
        "usd_minor": found.usd_value.minor,
        "threshold": found.threshold_usd,
    }
    return qty


def origin_values(ctx: Context) -> dict[str, object]:
    """The border's needs: under the STR, or why a full certificate is needed."""
    seen: dict[str, Any] = ctx.data["crossing"]
    values = {
        "origin": country_name(ctx.language, ctx.data["market"]),
        "destination": country_name(ctx.language, shopper(ctx).country),
        "usd": money(ctx.language, seen["usd_minor"], "USD"),
        "limit": money(ctx.language, (seen["threshold"] or 0) * 100, "USD"),
    }
    key = "abroad.note_str" if seen["regime"] == crossing.STR else f"abroad.note_{seen['reason']}"
    return {"note": t(ctx.language, key, **values)}


def deliveries(ctx: Context) -> list[Item]:
    """Agent points on the buyer's side of the border, and a carrier to the buyer's place;
    never collecting from the seller across a border."""
    where = shopper(ctx)
    points = points_near(ctx.uow(), where.country, where.region, where.district)
    return [
        Item(
            {"delivery": "point", "point_id": p.id, "point": p.name},
            t(ctx.language, "buy.via_point", point=p.name, place=p.place),
        )
        for p in points
    ] + [Item(HOME, t(ctx.language, "abroad.via_carrier"))]


def confirm_values(ctx: Context) -> dict[str, object]:
    item, seen, qty = ctx.data["item"], ctx.data["crossing"], ctx.data["qty"]
    return {
        "qty": qty,
        "unit": unit(ctx.language, item["unit"], qty),
        "name": shown_name(ctx.language, item["name"]),
        "total": money(ctx.language, seen["total_minor"], seen["currency"]),
        "via": delivery_line(ctx),
    }


def order(ctx: Context) -> None:
    via = ctx.data["delivery"]
    home = via["delivery"] == "home"
    placed = place_order(
        PlaceOrder(
            buyer_id=ctx.caller.id,
            listing_id=ctx.data["item"]["id"],
            quantity=ctx.data["qty"],
            channel=ctx.channel,
            idempotency_key=ctx.hop_key,
            delivery="home" if home else "pickup",
            pickup_point_id=via.get("point_id"),
            delivery_place=ctx.data.get("address") if home else None,
            abroad=Abroad(ctx.now().date(), ctx.deps.fx_max_age),
        ),
        ctx.uow(),
    )
    ctx.data["order"] = {
        "ref": placed.ref,
        "total_minor": placed.total.minor,
        "currency": placed.total.currency,
    }


def placed_values(ctx: Context) -> dict[str, object]:
    placed, item = ctx.data["order"], ctx.data["item"]
    return {
        "qty": ctx.data["qty"],
        "unit": unit(ctx.language, item["unit"]),
        "name": item["name"],
        "ref": placed["ref"],
        "total": money(ctx.language, placed["total_minor"], placed["currency"]),
        "next": t(ctx.language, "buy.next_self"),
    }
