"""My money, for sellers: what escrow holds for their orders, what was paid out or failed,
and the last movements."""

from __future__ import annotations

from gateway.commerce.payments.earnings import earnings
from menus.context import Context
from menus.i18n import t
from menus.present import money
from menus.screens import Choice
from menus.screens import End
from menus.screens import Item
from menus.screens import Menu
from menus.screens import Pick
from menus.screens import Screen
from menus.tracking import WHEN
from menus.tracking import zone_of


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Menu(
            "sell.money",
            shows=summary,
            choices=(Choice("sell.do_movements", "sell.movements"),),
        ),
        Pick(
            "sell.movements",
            source=movements,
            store="movement",
            goto="sell.movement",
            empty="sell.no_movements",
        ),
        End("sell.movement", shows=movement_values),
    )


def _money(ctx: Context, minor: int) -> str:
    return money(ctx.language, minor, ctx.data["money"]["currency"])


def read_money(ctx: Context) -> None:
    """The seller's money now, read once as they open My money."""
    now = earnings(ctx.uow(), ctx.caller.id)
    zone = zone_of(ctx.caller.phone)
    ctx.data["money"] = {
        "currency": now.in_escrow.currency,
        "escrow": now.in_escrow.minor,
        "paid": now.paid_out.minor,
        "failed": now.failed.minor,
        "count": now.failed_count,
        "movements": [
            {
                "when": m.at.astimezone(zone).strftime(WHEN),
                "ref": m.ref,
                "kind": m.kind,
                "amount": m.amount.minor,
            }
            for m in now.movements
        ],
    }


def summary(ctx: Context) -> dict[str, object]:
    held = ctx.data["money"]
    return {
        "escrow": _money(ctx, held["escrow"]),
        "paid": _money(ctx, held["paid"]),
        "failed": _money(ctx, held["failed"]),
        "count": held["count"],
    }


def _movement(ctx: Context, move: dict[str, object]) -> dict[str, object]:
    return {
        "when": move["when"],
        "ref": move["ref"],
        "kind": t(ctx.language, f"sell.kind_{move['kind']}"),
        "amount": _money(ctx, int(str(move["amount"]))),
    }


def movements(ctx: Context) -> list[Item]:
    return [
        Item(move, t(ctx.language, "sell.movement_line", **_movement(ctx, move)))
        for move in ctx.data["money"]["movements"]
    ]


def movement_values(ctx: Context) -> dict[str, object]:
    return _movement(ctx, ctx.data["movement"])
