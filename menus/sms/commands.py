"""What each SMS command does: one handler per command, answering through the outbox.

A handler's own changes, the reply and marking the message handled commit in one transaction
(`_reply`), so a handler run twice changes nothing the second time. Services that commit on
their own (placing an order, agent consent) are called first, outside that transaction, and
are idempotent themselves (an order's key is the inbound message's AT id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gateway.commerce import errors
from gateway.commerce.agents.consent import consent_from_sms
from gateway.commerce.agents.consent import withdraw_consent
from gateway.commerce.catalog.browse import listing_by_code
from gateway.commerce.catalog.listings import Change
from gateway.commerce.catalog.listings import ListGoods
from gateway.commerce.catalog.listings import change
from gateway.commerce.catalog.listings import list_goods
from gateway.commerce.catalog.search import cheapest
from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.deps import Deps
from gateway.commerce.messaging.inbound import settle
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.commerce.messaging.outgoing import set_opt_out
from gateway.commerce.money import InvalidAmount
from gateway.commerce.money import format_money
from gateway.commerce.money import parse_amount
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.commerce.orders.views import latest_orders
from gateway.commerce.orders.views import order_of
from gateway.commerce.origin.certificates import find as find_certificate
from gateway.commerce.parcels.tracking import track as track_parcel
from gateway.commerce.people.callers import Caller
from gateway.commerce.people.callers import currency_of
from gateway.store.uow import UnitOfWork
from menus.goods import also_known_as
from menus.goods import goods_named
from menus.i18n import t
from menus.origin import certificate_data
from menus.origin import certificate_values
from menus.present import unit
from menus.sms import grammar
from menus.sms.replies import fit
from menus.sms.replies import listing_line
from menus.sms.replies import order_line
from menus.sms.replies import order_values
from menus.tracking import track_data
from menus.tracking import track_values

PRICE_RESULTS = 3
MY_ORDERS = 3
PLACE_MAX = 20
ORDER_ERRORS = {
    errors.ListingNotFound: "sms.order_not_found",
    errors.ListingUnavailable: "sms.order_unavailable",
    errors.OutOfStock: "sms.order_out_of_stock",
    errors.OwnListing: "sms.order_own",
    errors.InvalidQuantity: "sms.bad_quantity",
    errors.CrossBorderByMenu: "abroad_sms.by_menu",
}
FIXED_VALUES: dict[str, dict[str, object]] = {
    "sms.bad_quantity": {"max": MAX_QUANTITY},
    "sms.name_too_long": {"max": NAME_MAX},
}
"""Values some texts always need, whoever sends them."""


class AlreadyHandled(Exception):
    """Another run handled this message first; its transaction must not commit."""


@dataclass(frozen=True)
class Inbox:
    """Handling one inbound message: who sent it, in which language to answer, and how."""

    inbound_id: int
    at_id: str
    command: str | None
    caller: Caller
    language: str
    deps: Deps

    def text(self, key: str, **values: object) -> str:
        return t(self.language, key, **{**FIXED_VALUES.get(key, {}), **values})


def _reply(inbox: Inbox, uow: UnitOfWork, text: str | None) -> None:
    """In the open transaction: mark the message handled and queue `text` as the answer."""
    if not settle(uow, inbox.inbound_id, "handled", inbox.command):
        raise AlreadyHandled(inbox.inbound_id)
    if text is not None:
        queue_sms(uow, inbox.caller.phone, text, kind="reply")


def answer(inbox: Inbox, key: str | None, **values: object) -> None:
    """Mark the message handled and queue the text `key` (none if None), in one commit."""
    with inbox.deps.uow() as uow:
        _reply(inbox, uow, inbox.text(key, **values) if key else None)
        uow.commit()


def _sell(inbox: Inbox, cmd: grammar.Sell) -> None:
    if "seller" not in inbox.caller.roles:
        return answer(inbox, "sms.not_seller", service_code=inbox.deps.notices.service_code)
    try:
        price = parse_amount(cmd.price, currency_of(inbox.caller))
    except InvalidAmount:
        return answer(inbox, "sms.bad_price", bad=cmd.price[: grammar.BAD_SHOWN])
    goods = ListGoods(inbox.caller.id, cmd.item, price, cmd.quantity, cmd.unit)
    with inbox.deps.uow() as uow:
        try:
            view = list_goods(uow, goods)
        except (errors.NotASeller, errors.InvalidListing, errors.InvalidQuantity) as err:
            uow.rollback()
            key = "sms.not_seller" if isinstance(err, errors.NotASeller) else "sms.usage_sell"
            text = inbox.text(key, service_code=inbox.deps.notices.service_code)
        else:
            text = inbox.text(
                "sms.listed",
                code=view.code,
                qty=view.stock,
                unit=unit(inbox.language, view.unit, view.stock),
                each=unit(inbox.language, view.unit, 1),
                name=view.name,
                price=format_money(view.price, inbox.language),
            )
        _reply(inbox, uow, text)
        uow.commit()


def _named(item: str) -> list[str]:
    """The item as typed, and its names in every language when the vocabulary knows it."""
    return [item, *also_known_as(item)]


def _price(inbox: Inbox, cmd: grammar.Price) -> None:
    with inbox.deps.uow() as uow:
        item, place = cmd.item, cmd.place
        found = cheapest(uow, inbox.caller.country, _named(item), place, PRICE_RESULTS)
        words = item.split()
        if not found and place is None and len(words) > 1 and not goods_named(item):
            item, place = " ".join(words[:-1]), words[-1]
            found = cheapest(uow, inbox.caller.country, _named(item), place, PRICE_RESULTS)
        if not found:
            text = inbox.text("sms.price_none", item=item[:NAME_MAX])
        else:
            header = inbox.text("sms.price_header", item=item[:NAME_MAX])
            lines = [listing_line(inbox.language, view) for view in found]
            text = fit(inbox.language, header, lines, "sms.price_footer")
        _reply(inbox, uow, text)
        uow.commit()


def _order(inbox: Inbox, cmd: grammar.Order) -> None:
    with inbox.deps.uow() as uow:
        listing = listing_by_code(uow, cmd.code)
    if listing is None:
        return answer(inbox, "sms.order_not_found", code=cmd.code[:8])
    order = PlaceOrder(inbox.caller.id, listing.id, cmd.quantity, "sms", f"sms:{inbox.at_id}")
    try:
        place_order(order, inbox.deps.uow())
    except tuple(ORDER_ERRORS) as err:
        service_code = inbox.deps.notices.service_code
        return answer(
            inbox,
            ORDER_ERRORS[type(err)],
            code=listing.code,
            bad=cmd.quantity,
            service_code=service_code,
        )
    answer(inbox, None)  # the receipt is the answer: it follows from `order.placed`


def _pause(inbox: Inbox, cmd: grammar.Pause) -> None:
    """Take the sender's own listing off sale; anyone else's code reads as unknown."""
    if "seller" not in inbox.caller.roles:
        return answer(inbox, "sms.not_seller", service_code=inbox.deps.notices.service_code)
    with inbox.deps.uow() as uow:
        listing = listing_by_code(uow, cmd.code)
    if listing is None:
        return answer(inbox, "sms.pause_not_found", code=cmd.code[:8])
    try:
        paused = change(Change(inbox.caller.id, listing.id, "paused", True), inbox.deps.uow())
    except errors.ListingNotFound:  # someone else's listing
        return answer(inbox, "sms.pause_not_found", code=cmd.code[:8])
    answer(
        inbox,
        "sms.paused",
        code=paused.code,
        name=paused.name,
        service_code=inbox.deps.notices.service_code,
    )


def _my_orders(inbox: Inbox, cmd: grammar.MyOrders) -> None:
    with inbox.deps.uow() as uow:
        orders = latest_orders(uow, inbox.caller, MY_ORDERS)
        if orders:
            lines = [order_line(inbox.language, view) for view in orders]
            text = fit(inbox.language, inbox.text("sms.my_orders_header"), lines)
        else:
            text = inbox.text("sms.my_orders_none")
        _reply(inbox, uow, text)
        uow.commit()


def _track(inbox: Inbox, cmd: grammar.Track) -> None:
    parcel = track_parcel(inbox.deps.uow(), inbox.caller.id, cmd.ref)
    with inbox.deps.uow() as uow:
        view = order_of(uow, inbox.caller, cmd.ref)
        if parcel is not None:
            data = track_data(parcel, inbox.caller.phone)
            text = inbox.text("parcel_sms.track", **track_values(inbox.language, data))
        elif view is None:
            text = inbox.text("sms.track_not_found", ref=cmd.ref[:8])
        else:
            text = inbox.text("sms.track", **order_values(inbox.language, view))
        _reply(inbox, uow, text)
        uow.commit()


def _verify(inbox: Inbox, cmd: grammar.Verify) -> None:
    """A certificate's essentials in one SMS, or "not found"; each try counts against the
    sender's rate limit (shared with USSD)."""
    if not inbox.deps.may_verify(f"phone:{inbox.caller.phone}"):
        return answer(inbox, "verify_sms.too_many")
    view = find_certificate(inbox.deps.uow(), cmd.code)
    if view is None:
        return answer(inbox, "verify_sms.not_found", certificate=cmd.code)
    values = certificate_values(inbox.language, certificate_data(view))
    answer(inbox, "verify_sms.answer", **values)


def _yes(inbox: Inbox, cmd: grammar.Yes) -> None:
    agent = consent_from_sms(inbox.deps.uow(), inbox.caller.phone)
    if agent is None:
        return answer(inbox, "sms.yes_nothing")
    answer(inbox, "sms.yes_done", agent=agent[:NAME_MAX])


def _stop_agent(inbox: Inbox, cmd: grammar.StopAgent) -> None:
    withdrawn = withdraw_consent(inbox.deps.uow(), inbox.caller.phone)
    answer(inbox, "sms.stop_agent_done" if withdrawn else "sms.stop_agent_none")


def _opt(opted_out: bool, key: str) -> Callable[[Inbox, grammar.Command], None]:
    def handle(inbox: Inbox, cmd: grammar.Command) -> None:
        with inbox.deps.uow() as uow:
            set_opt_out(uow, inbox.caller.phone, opted_out, "sms")
            _reply(inbox, uow, inbox.text(key))
            uow.commit()

    return handle


ANSWERS: dict[type[grammar.Command], str] = {grammar.Help: "sms.help"}
"""Commands whose whole work is one fixed text: answered many at a time (`menus.sms.inbox`)."""
HANDLERS: dict[type[grammar.Command], Callable[[Inbox, Any], None]] = {
    grammar.Sell: _sell,
    grammar.Price: _price,
    grammar.Order: _order,
    grammar.Pause: _pause,
    grammar.MyOrders: _my_orders,
    grammar.Track: _track,
    grammar.Verify: _verify,
    grammar.Yes: _yes,
    grammar.StopAgent: _stop_agent,
    grammar.Stop: _opt(True, "sms.stopped"),
    grammar.Start: _opt(False, "sms.started"),
}
