"""Parcels: track one; sellers send theirs off; agents and couriers receive parcels and hand
them over against the buyer's delivery code; buyers ask for a new code."""

from __future__ import annotations

from collections.abc import Callable

from gateway.commerce import errors
from gateway.commerce.parcels import actions as parcel_actions
from gateway.commerce.parcels import news as parcel_news
from gateway.commerce.parcels import polls as parcel_polls
from gateway.commerce.parcels import tracking as parcel_tracking
from gateway.commerce.parcels.carriers import TRACKING_MAX
from gateway.commerce.parcels.carriers import carrier_name
from gateway.commerce.parcels.carriers import tracking_number
from gateway.commerce.refs import normalise_ref
from menus.context import Context
from menus.i18n import t
from menus.present import unit
from menus.screens import Ask
from menus.screens import Choice
from menus.screens import Confirm
from menus.screens import End
from menus.screens import Invalid
from menus.screens import Item
from menus.screens import Menu
from menus.screens import Pick
from menus.screens import Screen
from menus.tracking import status_word
from menus.tracking import track_data
from menus.tracking import track_values


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Menu(
            "parcels.menu",
            choices=(
                Choice("parcels.item_track", "parcels.track"),
                Choice("parcels.item_send", "parcels.send", shown=_is("seller")),
                Choice("parcels.item_mine", "parcels.mine", shown=_is("seller")),
                Choice("parcels.item_receive", "parcels.receive", shown=_is("agent", "courier")),
                Choice(
                    "parcels.item_hand_over", "parcels.hand_over", shown=_is("agent", "courier")
                ),
                Choice("parcels.item_resend", "parcels.resend", shown=_code_waiting),
                Choice("origin.verify_item", "origin.verify"),
                Choice("origin.border_item", "origin.border", shown=_is("border")),
            ),
        ),
        Ask(
            "parcels.track",
            parse=track,
            store="track",
            goto="parcels.tracked",
            errors=("parcels.not_found",),
            retry="parcels.ref_retry",
        ),
        End("parcels.tracked", shows=tracked_values),
        Pick(
            "parcels.send",
            source=to_send,
            store="send_ref",
            then=keep_to_send,
            goto="parcels.send_how",
            empty="parcels.none_to_send",
        ),
        Menu(
            "parcels.send_how",
            choices=(
                Choice("parcels.to_courier", "parcels.confirm_courier"),
                Choice("parcels.to_point", "parcels.confirm_point"),
                Choice("parcels.to_carrier", "parcels.carrier"),
            ),
        ),
        Pick(
            "parcels.carrier",
            source=carriers,
            store="carrier",
            routes=((OTHER, "parcels.carrier_name"),),
            goto="parcels.tracking",
        ),
        Ask(
            "parcels.carrier_name",
            parse=typed_carrier,
            store="carrier",
            goto="parcels.tracking",
            errors=("parcels.carrier_invalid",),
        ),
        Ask(
            "parcels.tracking",
            shows=booking_values,
            parse=tracking,
            store="tracking",
            goto="parcels.confirm_carrier",
            errors=("parcels.tracking_invalid", "parcels.tracking_taken"),
            retry="parcels.tracking_retry",
        ),
        Confirm(
            "parcels.confirm_carrier",
            shows=booking_values,
            action=book,
            goto="parcels.recorded",
        ),
        Confirm(
            "parcels.confirm_courier",
            shows=parcel_values,
            action=_recorder("to_courier"),
            goto="parcels.recorded",
        ),
        Confirm(
            "parcels.confirm_point",
            shows=parcel_values,
            action=_recorder("to_point"),
            goto="parcels.recorded",
        ),
        Pick(
            "parcels.mine",
            source=mine,
            store="track_ref",
            then=keep_track,
            goto="parcels.tracked",
            empty="parcels.none_sent",
        ),
        Ask(
            "parcels.receive",
            parse=_previewer("receive"),
            store="parcel",
            goto="parcels.confirm_receive",
            errors=REF_ERRORS,
            retry="parcels.ref_retry",
        ),
        Confirm(
            "parcels.confirm_receive",
            shows=parcel_values,
            action=_recorder("receive"),
            goto="parcels.recorded",
        ),
        Ask(
            "parcels.hand_over",
            parse=_previewer("hand_over"),
            store="parcel",
            goto="parcels.code",
            errors=REF_ERRORS,
            retry="parcels.ref_retry",
        ),
        Ask(
            "parcels.code",
            act=hand_over,
            store="done",
            goto="parcels.recorded",
            shows=parcel_values,
            errors=("parcels.wrong_code",),
            retry="parcels.code_retry",
        ),
        End("parcels.recorded", shows=done_values),
        Ask(
            "parcels.resend",
            parse=reference,
            act=resend,
            store="resent",
            goto="parcels.resent",
            errors=REF_ERRORS,
            retry="parcels.ref_retry",
        ),
        Confirm(
            "parcels.resend_order",
            shows=order_values,
            action=resend_for_order,
            goto="parcels.resent",
        ),
        End("parcels.resent"),
    )


REFUSED: dict[type[errors.DomainError], str] = {
    errors.ParcelNotFound: "parcels.not_found",
    errors.NotYourParcel: "parcels.not_yours",
    errors.IllegalTransition: "parcels.not_now",
    errors.CodeNotNeeded: "parcels.no_code_needed",
    errors.CodeRecentlySent: "parcels.code_recent",
}
"""Domain refusals shown as an error line, so the caller can type another reference."""
REF_ERRORS = tuple(REFUSED.values())
SEND_LIMIT = 30
OTHER = "-"
"""The carrier list's last line: a carrier not configured for the country, typed by name."""


def reference(ctx: Context, text: str) -> str:
    """A parcel reference as typed (an order reference or a carrier's tracking number)."""
    ref = normalise_ref(text)
    if not 4 <= len(ref) <= TRACKING_MAX:
        raise Invalid("parcels.not_found")
    return ref


def _code_waiting(ctx: Context) -> bool:
    """A new delivery code is offered only to a buyer whose parcel has one."""
    return parcel_news.code_waiting(ctx.uow(), ctx.caller.id)


def _is(*roles: str) -> Callable[[Context], bool]:
    return lambda ctx: bool(ctx.caller.roles & set(roles))


def _keep(view: parcel_actions.ParcelView) -> dict[str, object]:
    return {"ref": view.ref, "qty": view.quantity, "unit": view.unit, "name": view.name}


def _previewer(action: str) -> Callable[[Context, str], dict[str, object]]:
    def parse(ctx: Context, text: str) -> dict[str, object]:
        try:
            return _keep(
                parcel_actions.preview(
                    ctx.uow(), ctx.caller, reference(ctx, text), action, ctx.now()
                )
            )
        except tuple(REFUSED) as err:
            raise Invalid(REFUSED[type(err)]) from None

    return parse


def _recorder(action: str) -> Callable[[Context], None]:
    def act(ctx: Context) -> None:
        done = parcel_actions.record(
            ctx.uow(),
            ctx.caller,
            ctx.data["parcel"]["ref"],
            action,
            ctx.deps.parcel_rules,
            ctx.now(),
        )
        ctx.data["done"] = {"ref": done.ref, "status": done.status}

    return act


def parcel_values(ctx: Context) -> dict[str, object]:
    parcel = ctx.data["parcel"]
    return {**parcel, "unit": unit(ctx.language, parcel["unit"], parcel["qty"])}


def done_values(ctx: Context) -> dict[str, object]:
    done = ctx.data["done"]
    return {"ref": done["ref"], "status": status_word(ctx.language, done["status"])}


def to_send(ctx: Context) -> list[Item]:
    views = parcel_actions.waiting_to_send(ctx.uow(), ctx.caller.id, SEND_LIMIT)
    return [
        Item(
            v.ref,
            t(
                ctx.language,
                "parcels.send_item",
                **{**_keep(v), "unit": unit(ctx.language, v.unit, v.quantity)},
            ),
        )
        for v in views
    ]


def carriers(ctx: Context) -> list[Item]:
    """The carriers configured for the seller's country, then "Other"."""
    listed = ctx.deps.carriers.get(ctx.caller.country, ())
    return [Item(name, name) for name in listed] + [
        Item(OTHER, t(ctx.language, "parcels.carrier_other"))
    ]


def typed_carrier(ctx: Context, text: str) -> str:
    name = carrier_name(text)
    if name is None:
        raise Invalid("parcels.carrier_invalid")
    return name


def tracking(ctx: Context, text: str) -> str:
    """The carrier's tracking number, refused if it cannot be one or the carrier has another
    parcel under it (nothing is booked yet)."""
    number = tracking_number(text)
    if number is None:
        raise Invalid("parcels.tracking_invalid")
    if not parcel_polls.tracking_free(ctx.uow(), ctx.data["carrier"], number):
        raise Invalid("parcels.tracking_taken")
    return number


def booking_values(ctx: Context) -> dict[str, object]:
    return {
        **parcel_values(ctx),
        "carrier": ctx.data["carrier"],
        "tracking": ctx.data.get("tracking", ""),
    }


def book(ctx: Context) -> None:
    """Book the carrier under its tracking number, then record the parcel as picked up."""
    parcel_polls.book_carrier(
        ctx.uow(),
        ctx.data["parcel"]["ref"],
        ctx.data["carrier"],
        ctx.data["tracking"],
        ctx.now(),
        seller_id=ctx.caller.id,
    )
    _recorder("to_carrier")(ctx)


def mine(ctx: Context) -> list[Item]:
    """The seller's parcels: reference, status, and the carrier and number it went with."""
    return [
        Item(
            v.ref,
            t(
                ctx.language,
                "parcels.mine_booked" if v.carrier else "parcels.mine_item",
                ref=v.ref,
                status=status_word(ctx.language, v.status),
                carrier=v.carrier or "",
                tracking=v.tracking_number or "",
            ),
        )
        for v in parcel_actions.sellers_parcels(ctx.uow(), ctx.caller.id, SEND_LIMIT)
    ]


def keep_track(ctx: Context) -> None:
    ref = ctx.data.pop("track_ref")
    view = parcel_tracking.track(ctx.uow(), ctx.caller.id, ref)
    if view is None:
        raise errors.ParcelNotFound(ref)
    ctx.data["track"] = track_data(view, ctx.caller.phone)


def keep_to_send(ctx: Context) -> None:
    view = parcel_actions.preview(
        ctx.uow(), ctx.caller, ctx.data.pop("send_ref"), "to_courier", ctx.now()
    )
    ctx.data["parcel"] = _keep(view)


def hand_over(ctx: Context, code: str) -> dict[str, object]:
    try:
        done = parcel_actions.record(
            ctx.uow(),
            ctx.caller,
            ctx.data["parcel"]["ref"],
            "hand_over",
            ctx.deps.parcel_rules,
            ctx.now(),
            code=code,
        )
    except errors.WrongDeliveryCode as err:
        raise Invalid("parcels.wrong_code", count=err.left) from None
    return {"ref": done.ref, "status": done.status}


def _resend(ctx: Context, ref: str) -> None:
    deps = ctx.deps
    parcel_news.resend_code(
        deps.uow(), ctx.caller.id, ref, deps.notices, deps.parcel_rules, ctx.now()
    )


def resend(ctx: Context, ref: str) -> str:
    try:
        _resend(ctx, ref)
    except tuple(REFUSED) as err:
        raise Invalid(REFUSED[type(err)]) from None
    return ref


def resend_for_order(ctx: Context) -> None:
    """From My orders: a new code for the order chosen there."""
    _resend(ctx, ctx.data["card"]["ref"])


def order_values(ctx: Context) -> dict[str, object]:
    return {"ref": ctx.data["card"]["ref"]}


def track(ctx: Context, text: str) -> dict[str, object]:
    view = parcel_tracking.track(ctx.uow(), ctx.caller.id, reference(ctx, text))
    if view is None:
        raise Invalid("parcels.not_found")
    return track_data(view, ctx.caller.phone)


def tracked_values(ctx: Context) -> dict[str, object]:
    return track_values(ctx.language, ctx.data["track"])
