"""Buy, continued: delivery (an agent point near the buyer, or home to an address of up to 60
characters, typed on two screens), confirm (with the last delivery offered at once, and a way
to choose another), order placed."""

from __future__ import annotations

from gateway.commerce.agents.points import points_near
from gateway.commerce.orders.placing import ADDRESS_MAX
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.commerce.payments.cash import collect_cash
from gateway.text.names import name_problem
from gateway.text.names import tidy
from menus.context import Context
from menus.goods import shown_name
from menus.i18n import t
from menus.journeys.buy import shopper
from menus.present import money
from menus.present import unit
from menus.screens import Ask
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
            then=chosen_now,
            routes=((HOME, "buy.address"),),
            goto="buy.confirm",
        ),
        Ask(
            "buy.address",
            parse=address,
            store="address",
            branches=((address_full, "buy.confirm"),),
            goto="buy.address_more",
            errors=ADDRESS_ERRORS,
        ),
        Ask(
            "buy.address_more",
            shows=lambda c: {"address": c.data["address"]},
            parse=more_address,
            store="directions",
            skip="buy.no_directions",
            goto="buy.confirm",
            errors=ADDRESS_ERRORS,
            retry="buy.address_more_retry",
        ),
        Pick(
            "buy.confirm",
            shows=order_values,
            source=answers,
            store="answer",
            then=order_if_yes,
            routes=((OTHER, "buy.delivery"), (NO, "confirm.cancelled")),
            goto="buy.placed",
        ),
        End("buy.placed", shows=placed_values),
    )


HOME = {"delivery": "home"}
SELLER = {"delivery": "seller"}
CASH = "cash"
YES, OTHER, NO = "yes", "other", "no"
MORE_ROOM = 12
"""An address shorter than the most by this much gets a second screen for directions."""
SHOWN_PLACE = 16
"""Characters of the point or address the confirmation repeats (the whole goes with the order)."""
ADDRESS_ERRORS = ("name.too_short", "name.too_long", "name.bad_characters", "name.no_letter")


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


def chosen_now(ctx: Context) -> None:
    """The buyer chose on this screen: no other delivery to offer on the confirmation."""
    ctx.data["remembered"] = False


def _checked(text: str) -> str:
    problem = name_problem(text, ADDRESS_MAX)
    if problem is not None:
        raise Invalid(f"name.{problem}", most=ADDRESS_MAX)
    return tidy(text)


def address(ctx: Context, text: str) -> str:
    return _checked(text)


def address_full(ctx: Context) -> bool:
    """Too little room left for directions on a second screen."""
    return len(ctx.data["address"]) > ADDRESS_MAX - MORE_ROOM


def more_address(ctx: Context, text: str) -> str:
    """Directions added to the address ("near the church")."""
    ctx.data["address"] = _checked(f"{ctx.data['address']}, {text}")
    return text


def answers(ctx: Context) -> list[Item]:
    other = (
        [Item(OTHER, t(ctx.language, "buy.other_delivery"))] if ctx.data.get("remembered") else []
    )
    return [
        Item(YES, t(ctx.language, "confirm.yes")),
        *other,
        Item(NO, t(ctx.language, "confirm.no")),
    ]


def _short(place: str) -> str:
    """The point or address cut to what the confirmation shows."""
    if len(place) <= SHOWN_PLACE:
        return place
    return place[: SHOWN_PLACE - 2].rstrip(" ,") + ".."


def order_values(ctx: Context) -> dict[str, object]:
    item, qty = ctx.data["item"], ctx.data["qty"]
    return {
        "qty": qty,
        "unit": unit(ctx.language, item["unit"], qty),
        "name": shown_name(ctx.language, item["name"]),
        "total": money(ctx.language, item["price_minor"] * qty, item["currency"]),
        "via": delivery_line(ctx),
    }


def delivery_line(ctx: Context) -> str:
    """How the goods come, as the confirmation shows it (the place cut short)."""
    via = ctx.data["delivery"]
    place = _short(via.get("point") or ctx.data.get("address", ""))
    return t(ctx.language, f"orders.via_{via['delivery']}", place=place)


def order_if_yes(ctx: Context) -> None:
    if ctx.data.pop("answer") == YES:
        order(ctx)


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
        "total": money(ctx.language, placed["total_minor"], placed["currency"]),
        "next": t(ctx.language, after, phone=customer["phone"] if customer else ""),
    }
