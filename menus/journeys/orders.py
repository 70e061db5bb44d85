"""My orders: the latest, each with its status; cancel one not yet paid (its stock goes back),
ask for a new delivery code where one works, or report a problem with a paid one."""

from __future__ import annotations

from gateway.commerce.orders import views
from gateway.commerce.orders.placing import cancel_order
from gateway.commerce.orders.states import DISPUTABLE
from gateway.commerce.payments.disputes import open_dispute
from gateway.store.models.disputes import REASONS
from menus.context import Context
from menus.i18n import t
from menus.journeys.answers import yes_or_no
from menus.present import card_data
from menus.present import card_values
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
                    shown=lambda c: c.data["card"]["has_code"],
                ),
                Choice(
                    "orders.report",
                    "orders.report",
                    shown=lambda c: c.data["card"]["status"] in DISPUTABLE,
                ),
            ),
        ),
        yes_or_no(
            "orders.cancel",
            "orders.cancel_confirm",
            shows=values,
            action=cancel,
            goto="orders.cancelled",
            yes="orders.yes_cancel",
            no="orders.keep",
            no_goto="orders.kept",
        ),
        End("orders.cancelled", shows=values),
        End("orders.kept", shows=values),
        Pick(
            "orders.report",
            "orders.report_what",
            shows=values,
            source=reasons,
            store="reason",
            goto="orders.report_confirm",
        ),
        yes_or_no(
            "orders.report_confirm",
            "orders.report_confirm",
            shows=report_values,
            action=report,
            goto="orders.reported",
            yes="orders.yes_report",
        ),
        End("orders.reported", shows=values),
    )


def mine(ctx: Context) -> list[Item]:
    cards = [card_data(c) for c in views.latest_of_buyer(ctx.uow(), ctx.caller.id)]
    return [Item(c, t(ctx.language, "orders.line", **card_values(ctx.language, c))) for c in cards]


def values(ctx: Context) -> dict[str, object]:
    return card_values(ctx.language, ctx.data["card"])


def cancel(ctx: Context) -> None:
    cancel_order(ctx.data["card"]["id"], ctx.caller.id, ctx.uow())


def reasons(ctx: Context) -> list[Item]:
    return [Item(reason, t(ctx.language, f"dispute_reason.{reason}")) for reason in REASONS]


def report_values(ctx: Context) -> dict[str, object]:
    return {**values(ctx), "reason": t(ctx.language, f"dispute_reason.{ctx.data['reason']}")}


def report(ctx: Context) -> None:
    """The order becomes disputed: its money stays held, and the seller is told."""
    card = ctx.data["card"]
    deps = ctx.deps
    open_dispute(deps.uow(), card["id"], ctx.caller.id, ctx.data["reason"], deps.notices, ctx.now())
