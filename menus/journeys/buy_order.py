"""Buy, continued: delivery (an agent point near the buyer, or home), confirm, order placed."""

from __future__ import annotations

from gateway.commerce.agents.points import points_near
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.commerce.payments.cash import collect_cash
from gateway.commerce.places import clean_place
from menus.context import Context
from menus.i18n import t
from menus.journeys.buy import shopper
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
            "buy.delivery",
            source=deliveries,
            store="delivery",
            routes=((HOME, "buy.address"),),
            goto="buy.confirm",
        ),
        Ask(
            "buy.address",
            parse=address,
            store="address",
            goto="buy.confirm",
            errors=("place.invalid",),
        ),
        Confirm("buy.confirm", shows=order_values, action=order, goto="buy.placed"),
        End("buy.placed", shows=placed_values),
    )


HOME = {"delivery": "home"}
SELLER = {"delivery": "seller"}
CASH = "cash"


def deliveries(ctx: Context) -> list[Item]:
    """Agent points near the buyer; the seller's own place if there is none; home if offered."""
    where = shopper(ctx)
    points = points_near(ctx.uow(), where.country, where.region, where.district)
    items = [
        Item(
            {"delivery": "point", "point_id": p.id, "point": p.name},
            t(ctx.language, "buy.via_point", point=p.name, place=p.place),
        )
        for p in points
    ] or [Item(SELLER, t(ctx.language, "buy.via_seller"))]
    if ctx.data["item"]["home_delivery"]:
        items.append(Item(HOME, t(ctx.language, "buy.via_home")))
    return items


def address(ctx: Context, text: str) -> str:
    place = clean_place(text)
    if place is None:
        raise Invalid("place.invalid")
    return place


def order_values(ctx: Context) -> dict[str, object]:
    item, qty, via = ctx.data["item"], ctx.data["qty"], ctx.data["delivery"]
    place = via.get("point") or ctx.data.get("address", "")
    return {
        "qty": qty,
        "unit": unit(ctx.language, item["unit"]),
        "name": item["name"],
        "total": money(item["price_minor"] * qty, item["currency"]),
        "via": t(ctx.language, f"orders.via_{via['delivery']}", place=place),
    }


def order(ctx: Context) -> None:
    via, customer = ctx.data["delivery"], ctx.data.get("customer")
    home = via["delivery"] == "home"
    cash = bool(customer) and ctx.data.get("payment") == CASH
    placed = place_order(
        PlaceOrder(
            buyer_id=customer["id"] if customer else ctx.caller.id,
            listing_id=ctx.data["item"]["id"],
            quantity=ctx.data["qty"],
            channel=ctx.channel,
            idempotency_key=ctx.hop_key,
            delivery="home" if home else "pickup",
            placed_by_id=ctx.caller.id if customer else None,
            pickup_point_id=via.get("point_id"),
            delivery_place=ctx.data.get("address") if home else None,
            cash=cash,
        ),
        ctx.uow(),
    )
    if cash:
        collect_cash(placed.order_id, ctx.caller.id, ctx.uow(), ctx.deps.notices, ctx.now())
    ctx.data["order"] = {
        "ref": placed.ref,
        "total_minor": placed.total.minor,
        "currency": placed.total.currency,
    }


def placed_values(ctx: Context) -> dict[str, object]:
    placed, customer = ctx.data["order"], ctx.data.get("customer")
    if customer is None:
        after = "buy.next_self"
    else:
        after = "buy.next_cash" if ctx.data.get("payment") == CASH else "buy.next_customer"
    return {
        **order_values(ctx),
        "ref": placed["ref"],
        "total": money(placed["total_minor"], placed["currency"]),
        "next": t(ctx.language, after, phone=customer["phone"] if customer else ""),
    }
