"""Disputes: a buyer reports a problem with a paid order; its escrow is held until an operator
settles it, by refunding the buyer or releasing the money to the seller.

Why a status and a record: the order machine gets `disputed` (from `paid`; then `delivered`
or `refunded`), so every view and every rule reads "held" from the order itself and nothing
can release it by mistake (escrow refuses a disputed order; fulfilment only serves `paid`
ones). The `disputes` row keeps what the status cannot: the reason, who reported it and when,
the outcome and the operator's note. Both change in one transaction, and the ledger posts
the same release or refund as a delivery or a return would, so it balances either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.messaging.notices import Words
from gateway.commerce.orders import states as order_states
from gateway.commerce.payments import escrow
from gateway.store.models.disputes import REASONS
from gateway.store.models.disputes import Dispute
from gateway.store.models.orders import Order
from gateway.store.uow import UnitOfWork

OUTCOMES = ("refund", "release")
LISTED = 50


@dataclass(frozen=True)
class DisputeView:
    """A dispute as operators list it."""

    ref: str
    reason: str
    status: str
    total_minor: int
    currency: str
    buyer_phone: str
    seller_phone: str
    opened_at: datetime
    note: str | None


def open_dispute(
    uow: UnitOfWork, order_id: int, buyer_id: int, reason: str, notices: Notices, now: datetime
) -> str:
    """The buyer reports `reason` about their paid order: it becomes `disputed`, its escrow is
    held, and the seller is told by SMS. Returns the order's reference.

    Raises:
        OrderNotFound (also someone else's order), NotDisputable, ValueError (unknown reason).
    """
    if reason not in REASONS:
        raise ValueError(f"unknown dispute reason {reason!r}")
    with uow:
        order = uow.orders.lock(order_id)
        if order is None or buyer_id not in (order.buyer_id, order.placed_by_id):
            raise errors.OrderNotFound(order_id)
        if order.status not in order_states.DISPUTABLE:
            raise errors.NotDisputable(order.ref)
        order_states.move(order, "disputed")
        uow.disputes.add(
            Dispute(order_id=order.id, reason=reason, opened_by_id=buyer_id, opened_at=now)
        )
        seller = uow.people.one(order.seller_id)
        notices.tell(
            uow,
            seller,
            "dispute_sms.opened",
            f"dispute:{order.id}:seller",
            reason=Words(f"dispute_reason.{reason}"),
            **notices.order_values(order, seller),
        )
        uow.commit()
        return order.ref


def resolve_dispute(
    uow: UnitOfWork,
    ref: str,
    outcome: str,
    rates: escrow.Rates,
    notices: Notices,
    now: datetime,
    note: str | None = None,
) -> str:
    """An operator settles the open dispute about order `ref`: `refund` the buyer, or
    `release` the money to the seller (as a delivery would). Buyer and seller are told.
    Returns the dispute's new status (`refunded` or `released`).

    Raises:
        DisputeNotFound (no open dispute for `ref`), ValueError (unknown outcome).
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    with uow:
        found = uow.orders.by_ref(ref.strip().upper())
        order = uow.orders.lock(found.id) if found is not None else None
        dispute = uow.disputes.of_order(order.id) if order is not None else None
        if order is None or dispute is None or dispute.status != "open":
            raise errors.DisputeNotFound(ref)
        if outcome == "refund":
            escrow.refund(uow, order, now)
        else:
            escrow.release(uow, order, rates, now)
        dispute.status = "refunded" if outcome == "refund" else "released"
        dispute.resolved_at, dispute.note = now, (note or None) and note[:200]
        _tell_settled(uow, order, dispute.status, notices)
        uow.commit()
        return dispute.status


def _tell_settled(uow: UnitOfWork, order: Order, status: str, notices: Notices) -> None:
    for role, person_id in (("buyer", order.buyer_id), ("seller", order.seller_id)):
        person = uow.people.one(person_id)
        notices.tell(
            uow,
            person,
            f"dispute_sms.{status}_{role}",
            f"dispute:{order.id}:{status}:{role}",
            **notices.order_values(order, person),
        )


def disputes(uow: UnitOfWork, statuses: tuple[str, ...] = ("open",)) -> list[DisputeView]:
    """Disputes in `statuses`, the longest waiting first."""
    with uow:
        views = []
        for dispute in uow.disputes.with_status(statuses, LISTED):
            order = uow.orders.one(dispute.order_id)
            views.append(
                DisputeView(
                    order.ref,
                    dispute.reason,
                    dispute.status,
                    order.total_minor,
                    order.currency,
                    uow.people.one(order.buyer_id).phone,
                    uow.people.one(order.seller_id).phone,
                    dispute.opened_at,
                    dispute.note,
                )
            )
        return views
