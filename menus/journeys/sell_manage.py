"""A seller's listings (with the codes SMS commands use; price, stock, pause or resume, each
with the PIN) and orders to fulfil: ready, and a home delivery taken out and handed over."""

from __future__ import annotations

from typing import Any

from gateway.commerce import errors
from gateway.commerce.catalog import listings
from gateway.commerce.catalog.listings import Change
from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.views import ListingView
from gateway.commerce.money import Money
from gateway.commerce.orders import fulfilment
from gateway.commerce.orders import views
from gateway.commerce.parcels import actions as parcel_actions
from menus.context import Context
from menus.i18n import t
from menus.journeys.list_goods import PRICE_ERRORS
from menus.journeys.list_goods import price
from menus.journeys.pin import enter_pin
from menus.present import card_data
from menus.present import card_values
from menus.present import listing_basics
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
            "sell.listings",
            source=my_listings,
            store="mine",
            then=keep_currency,
            goto="sell.change",
            empty="sell.no_listings",
        ),
        Pick(
            "sell.change",
            shows=mine_values,
            source=changes,
            store="change",
            routes=(("price", "sell.new_price"), ("stock", "sell.new_stock")),
            goto="sell.change_pin",
        ),
        Ask(
            "sell.new_price",
            shows=mine_values,
            parse=price,
            store="new_price",
            goto="sell.change_pin",
            errors=PRICE_ERRORS,
        ),
        Ask(
            "sell.new_stock",
            shows=mine_values,
            parse=stock,
            store="new_stock",
            goto="sell.change_pin",
            errors=("sell.stock_invalid",),
        ),
        enter_pin("sell.change_pin", "sell.changed", then=apply_change),
        End("sell.changed", shows=mine_values),
        Pick(
            "sell.orders",
            "sell.to_fulfil",
            source=orders,
            store="card",
            goto="sell.order",
            empty="sell.no_orders",
        ),
        Pick(
            "sell.order",
            shows=order_values,
            source=steps,
            store="step",
            then=take_step,
            routes=((DELIVER, "sell.code"),),
            goto="sell.done",
            empty="sell.nothing_to_do",
        ),
        Ask(
            "sell.code",
            "parcels.code",
            shows=order_values,
            act=hand_over,
            store="done",
            goto="sell.done",
            errors=("parcels.wrong_code",),
            retry="parcels.code_retry",
        ),
        End("sell.done", shows=done_values),
    )


def _mine_data(view: ListingView) -> dict[str, object]:
    return {**listing_basics(view), "paused": view.status == "paused"}


def mine_values(ctx: Context) -> dict[str, object]:
    return _mine_values(ctx.language, ctx.data["mine"])


def _mine_values(language: str, mine: dict[str, Any]) -> dict[str, object]:
    return {
        "code": mine["code"],
        "name": mine["name"],
        "price": money(language, mine["price_minor"], mine["currency"]),
        "unit": unit(language, mine["unit"], 1),
        "units": unit(language, mine["unit"]),
        "stock": mine["stock"],
        "state": t(language, "sell.paused" if mine["paused"] else "sell.active"),
    }


def my_listings(ctx: Context) -> list[Item]:
    mine = [_mine_data(view) for view in listings.mine(ctx.uow(), ctx.caller.id)]
    return [
        Item(m, t(ctx.language, "sell.listing_line", **_mine_values(ctx.language, m))) for m in mine
    ]


def keep_currency(ctx: Context) -> None:
    ctx.data["currency"] = ctx.data["mine"]["currency"]
    ctx.data["unit"] = ctx.data["mine"]["unit"]


def changes(ctx: Context) -> list[Item]:
    shown = ("price", "stock", "resume" if ctx.data["mine"]["paused"] else "pause")
    return [Item(kind, t(ctx.language, f"sell.change_{kind}")) for kind in shown]


def stock(ctx: Context, text: str) -> int:
    if not text.isdigit() or int(text) > MAX_QUANTITY:
        raise Invalid("sell.stock_invalid", most=MAX_QUANTITY)
    return int(text)


def apply_change(ctx: Context) -> None:
    kind, mine = ctx.data["change"], ctx.data["mine"]
    value: Money | int | bool
    if kind == "price":
        field, value = "price", Money(ctx.data["new_price"], mine["currency"])
    elif kind == "stock":
        field, value = "stock", ctx.data["new_stock"]
    else:
        field, value = "paused", kind == "pause"
    view = listings.change(Change(ctx.caller.id, mine["id"], field, value), ctx.uow())
    ctx.data["mine"] = _mine_data(view)


def orders(ctx: Context) -> list[Item]:
    cards = [card_data(card) for card in views.to_fulfil(ctx.uow(), ctx.caller.id)]
    return [
        Item(c, t(ctx.language, "sell.order_line", **card_values(ctx.language, c))) for c in cards
    ]


READY, GO_OUT, DELIVER = "ready", "go_out", "deliver"
STEPS = {READY: "sell.mark_ready", GO_OUT: "sell.go_out", DELIVER: "sell.deliver"}
"""What a seller can do with a paid order, and the texts that offer it."""


def order_values(ctx: Context) -> dict[str, object]:
    card = ctx.data["card"]
    where = card["buyer_place"] if card["delivery"] == "seller" else card["delivery_place"]
    return {
        **card_values(ctx.language, card),
        "where": t(ctx.language, f"sell.where_{card['delivery']}", place=where),
    }


def steps(ctx: Context) -> list[Item]:
    """Ready (once); for a home delivery, out for delivery, then delivered with the code."""
    card = ctx.data["card"]
    home, parcel = card["delivery"] == "home", card["parcel"]
    shown = [READY] if not card["ready"] else []
    if home and parcel in ("created", "picked_up", "in_transit", "failed_delivery"):
        shown.append(GO_OUT)
    if home and parcel == "out_for_delivery":
        shown.append(DELIVER)
    return [Item(step, t(ctx.language, STEPS[step])) for step in shown]


def take_step(ctx: Context) -> None:
    """Marks the order ready, or takes a home delivery out (the buyer gets a delivery code)."""
    card, deps = ctx.data["card"], ctx.deps
    if ctx.data["step"] == READY:
        fulfilment.mark_ready(deps.uow(), ctx.caller.id, card["id"], deps.notices, ctx.now())
    elif ctx.data["step"] == GO_OUT:
        parcel_actions.record(
            deps.uow(), ctx.caller, card["ref"], GO_OUT, deps.parcel_rules, ctx.now()
        )


def hand_over(ctx: Context, code: str) -> bool:
    """The seller hands a home delivery over against the buyer's delivery code."""
    deps = ctx.deps
    try:
        parcel_actions.record(
            deps.uow(),
            ctx.caller,
            ctx.data["card"]["ref"],
            DELIVER,
            deps.parcel_rules,
            ctx.now(),
            code=code,
        )
    except errors.WrongDeliveryCode as err:
        raise Invalid("parcels.wrong_code", count=err.left) from None
    return True


def done_values(ctx: Context) -> dict[str, object]:
    return {
        "ref": ctx.data["card"]["ref"],
        "done": t(ctx.language, f"sell.done_{ctx.data['step']}"),
    }
