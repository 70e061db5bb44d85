"""Pay again: from My orders, a new payment prompt for an order whose payment failed."""

from __future__ import annotations

from gateway.commerce.payments.unpaid import retry_payment
from menus.context import Context
from menus.present import card_values
from menus.screens import Confirm
from menus.screens import End
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Confirm(
            "pay_again.confirm",
            shows=values,
            action=pay,
            goto="pay_again.requested",
        ),
        End("pay_again.requested", shows=values),
    )


def values(ctx: Context) -> dict[str, object]:
    return card_values(ctx.language, ctx.data["card"])


def pay(ctx: Context) -> None:
    retry_payment(ctx.data["card"]["id"], ctx.uow(), buyer_id=ctx.caller.id)
