"""My orders: the latest, each with its status; cancel one not yet paid (its stock goes back)."""

from __future__ import annotations

from gateway.commerce.orders import views
from gateway.commerce.orders.placing import cancel_order
from menus.context import Context
from menus.i18n import t
from menus.present import card_data
from menus.present import card_values
from menus.screens import Choice
from menus.screens import Confirm
from menus.screens import End
from menus.screens import Item
from menus.screens import Menu
from menus.screens import Pick
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Pick(
            "orders.list",
            source=mine,
            store="card",
            goto="orders.one",
            empty="orders.none",
        ),
        Menu(
            "orders.one",
            shows=values,
            choices=(
                Choice(
                    "orders.cancel", "orders.cancel", shown=lambda c: c.data["card"]["cancellable"]
                ),
                Choice(
                    "pay_again.item",
                    "pay_again.confirm",
                    shown=lambda c: c.data["card"]["status"] == "payment_failed",
                ),
                Choice(
                    "parcels.item_resend",
                    "parcels.resend_order",
                    shown=lambda c: c.data["card"]["status"] == "paid",
                ),
            ),
        ),
        Confirm(
            "orders.cancel",
            "orders.cancel_confirm",
            shows=values,
            action=cancel,
            goto="orders.cancelled",
        ),
        End("orders.cancelled", shows=values),
    )


def mine(ctx: Context) -> list[Item]:
    cards = [card_data(c) for c in views.latest_of_buyer(ctx.uow(), ctx.caller.id)]
    return [Item(c, t(ctx.language, "orders.line", **card_values(ctx.language, c))) for c in cards]


def values(ctx: Context) -> dict[str, object]:
    return card_values(ctx.language, ctx.data["card"])


def cancel(ctx: Context) -> None:
    cancel_order(ctx.data["card"]["id"], ctx.caller.id, ctx.uow())
