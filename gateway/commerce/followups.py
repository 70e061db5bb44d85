"""What follows what: the domain's answer to each fact a worker takes from the outbox.

    order.placed    -> the buyer's receipt SMS
    order.paid      -> the order becomes a parcel (`created`); an STR-eligible cross-border
                       order gets its Simplified Certificate of Origin, the seller its code
    parcel.changed  -> at a point or out for delivery: a delivery code to the buyer;
                       at a point: the point's agent is told; other news: one coalesced SMS;
                       delivered: escrow released (seller payable, fee, agent commission),
                           then the seller is told, and the agent's commission is paid after
                           the return window (a payout waiting in the outbox); unless the
                           buyer reported a problem: a disputed order's escrow stays held
                           until an operator settles it (payments/disputes.py);
                       expired at a point: the parcel goes back (`returning`, see news);
                       returning: the stock goes back, then the buyer is refunded in full
                           and the order's certificate of origin is cancelled
    parcel.notify   -> the coalescing window closed: one SMS about the parcel's state

Each step is idempotent and commits on its own, so a worker may run a topic twice. Tasks
that call a provider (payments, payouts, sending SMS) are the workers' own (`workers/`).
"""

from __future__ import annotations

import logging

from gateway.commerce import errors
from gateway.commerce.deps import Deps
from gateway.commerce.orders.receipts import send_receipt
from gateway.commerce.origin import certificates
from gateway.commerce.parcels import news
from gateway.commerce.parcels.events import open_shipment
from gateway.commerce.payments import escrow

log = logging.getLogger(__name__)


def order_placed(deps: Deps, order_id: int) -> None:
    send_receipt(deps.uow(), order_id, deps.notices)


def order_paid(deps: Deps, order_id: int) -> None:
    open_shipment(order_id, deps.uow(), deps.clock())
    certificates.issue(deps.uow(), order_id, deps.notices, deps.clock())


def parcel_changed(deps: Deps, shipment_id: int, status: str) -> None:
    now = deps.clock()
    follow = news.after_change(
        deps.uow(), shipment_id, status, deps.notices, deps.parcel_rules, now
    )
    if follow is None:
        return
    try:
        if follow.release:
            escrow.release_escrow(follow.order_id, deps.uow(), deps.rates, now)
            news.tell_seller_delivered(deps.uow(), shipment_id, deps.notices)
        if follow.refund:
            escrow.refund_order(follow.order_id, deps.uow(), now)
            certificates.cancel(deps.uow(), follow.order_id, now)
    except errors.NothingInEscrow:
        log.warning("parcel %s: order %s has nothing in escrow", shipment_id, follow.order_id)
    except errors.DisputeOpen:
        log.info(
            "parcel %s delivered; order %s is disputed, escrow held", shipment_id, follow.order_id
        )


def parcel_notify(deps: Deps, shipment_id: int) -> None:
    news.send_update(deps.uow(), shipment_id, deps.notices, deps.parcel_rules)
