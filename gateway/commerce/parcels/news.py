"""What follows a parcel's change, run by workers: codes, SMS, stock back, expiry.

The buyer's updates are coalesced: the first change opens a window (`Rules.notify_window`),
and one SMS about the state at its end covers every change inside it. The delivery code goes
at once (it tells the news of the state that needs it). Texts: `parcel_sms.*` in
`menus/locales/<lang>/parcels.toml`, in each person's language (see messaging/notices.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from gateway.commerce import errors
from gateway.commerce import topics
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.messaging.notices import Words
from gateway.commerce.messaging.outgoing import Secret
from gateway.commerce.money import Money
from gateway.commerce.parcels import codes
from gateway.commerce.parcels.events import SOKONI
from gateway.commerce.parcels.events import Report
from gateway.commerce.parcels.events import record_event
from gateway.commerce.parcels.rules import Rules
from gateway.commerce.parcels.states import CODE_STATES
from gateway.store.models.orders import Order
from gateway.store.models.shipments import Shipment
from gateway.store.uow import UnitOfWork

NEWS = {
    "picked_up": "on_the_way",
    "in_transit": "on_the_way",
    "at_border": "at_border",
    "cleared_border": "cleared_border",
    "at_pickup_point": "at_point",
    "out_for_delivery": "out_for_delivery",
    "delivered": "delivered",
    "failed_delivery": "failed",
    "returning": "returning",
    "returned": "returned",
}
"""The buyer's news for each status (`parcel_sms.<news>`); equal news is not sent twice running."""


@dataclass(frozen=True)
class Followup:
    """Money to move after a change, by the payments domain, outside this transaction."""

    order_id: int
    release: bool
    refund: bool


def _values(uow: UnitOfWork, shipment: Shipment, order: Order, rules: Rules) -> dict[str, object]:
    point = uow.agents.point(shipment.point_id) if shipment.point_id else None
    events = uow.shipments.events(shipment.id)
    place = next((e.location for e in reversed(events) if e.location), None)
    shown: object = place or "-"
    if point is not None and point.hours:
        shown = Words("parcel_sms.point_hours", {"point": point.name, "hours": point.hours})
    elif point is not None:
        shown = Words("parcel_sms.point_no_hours", {"point": point.name})
    return {
        "ref": shipment.ref,
        "point": shown,
        "count": rules.pickup_days,
        "total": Money(order.total_minor, order.currency),
        "seller_phone": uow.people.one(order.seller_id).phone,
    }


def after_change(
    uow: UnitOfWork, shipment_id: int, status: str, notices: Notices, rules: Rules, now: datetime
) -> Followup | None:
    """Act on the parcel having entered `status`; safe to run twice."""
    with uow:
        shipment = uow.shipments.lock(shipment_id)
        if shipment is None:
            return None
        order = uow.orders.one(shipment.order_id)
        if status in CODE_STATES and shipment.status == status and shipment.code_hash is None:
            _send_code(uow, shipment, order, notices, f"parcel_sms.code_{status}", rules, now)
            shipment.notified_status = NEWS[status]
        elif status in NEWS and shipment.notify_at is None:
            shipment.notify_at = now + rules.notify_window
            uow.emit(topics.PARCEL_NOTIFY, at=shipment.notify_at, shipment_id=shipment.id)
        if status == "at_pickup_point":
            _tell_agent(uow, shipment, order, notices)
        if status == "returning" and shipment.restocked_at is None:
            for line in order.lines:
                uow.listings.restock(line.listing_id, line.quantity)
            shipment.restocked_at = now
        uow.commit()
        return Followup(order.id, status == "delivered", status == "returning")


def _send_code(
    uow: UnitOfWork,
    shipment: Shipment,
    order: Order,
    notices: Notices,
    key: str,
    rules: Rules,
    now: datetime,
) -> None:
    code = codes.replace_code(shipment, now)
    buyer = uow.people.one(order.buyer_id)
    values = _values(uow, shipment, order, rules)
    notices.tell(
        uow,
        buyer,
        key,
        f"parcel:{shipment.id}:code:{now.isoformat()}",
        delivery_code=Secret(code),
        **values,
    )


def _tell_agent(uow: UnitOfWork, shipment: Shipment, order: Order, notices: Notices) -> None:
    """The point's agent hears of a parcel someone else brought to their point."""
    point = uow.agents.point(shipment.point_id) if shipment.point_id else None
    arrived = [e for e in uow.shipments.events(shipment.id) if e.status == "at_pickup_point"]
    if point is None or not arrived or arrived[-1].actor_id == point.agent_id:
        return
    agent, buyer = uow.people.one(point.agent_id), uow.people.one(order.buyer_id)
    notices.tell(
        uow,
        agent,
        "parcel_sms.agent_arrived",
        f"parcel:{shipment.id}:agent:{arrived[-1].id}",
        ref=shipment.ref,
        phone=buyer.phone,
    )


def send_update(uow: UnitOfWork, shipment_id: int, notices: Notices, rules: Rules) -> bool:
    """The coalescing window closed: one SMS to the buyer about where the parcel is now."""
    with uow:
        shipment = uow.shipments.lock(shipment_id)
        if shipment is None:
            return False
        shipment.notify_at = None
        news = NEWS.get(shipment.status)
        sent = news is not None and news != shipment.notified_status
        if sent:
            order = uow.orders.one(shipment.order_id)
            buyer = uow.people.one(order.buyer_id)
            latest = uow.shipments.events(shipment.id)[-1]
            notices.tell(
                uow,
                buyer,
                f"parcel_sms.{news}",
                f"parcel:{shipment.id}:news:{latest.id}",
                **_values(uow, shipment, order, rules),
            )
            shipment.notified_status = news
        uow.commit()
        return sent


def tell_seller_delivered(uow: UnitOfWork, shipment_id: int, notices: Notices) -> None:
    with uow:
        shipment = uow.shipments.one(shipment_id)
        order = uow.orders.one(shipment.order_id)
        seller = uow.people.one(order.seller_id)
        notices.tell(
            uow,
            seller,
            "parcel_sms.seller_delivered",
            f"parcel:{shipment.id}:seller",
            ref=shipment.ref,
        )
        uow.commit()


def code_waiting(uow: UnitOfWork, buyer_id: int) -> bool:
    """Whether one of the buyer's parcels waits for them with a delivery code."""
    with uow.autocommit() as reading:
        return reading.shipments.code_waiting(buyer_id, tuple(CODE_STATES))


def resend_code(
    uow: UnitOfWork, buyer_id: int, ref: str, notices: Notices, rules: Rules, now: datetime
) -> None:
    """The buyer asks for a new delivery code (the old one stops working).

    Raises:
        ParcelNotFound (also for someone else's parcel), CodeNotNeeded, CodeRecentlySent.
    """
    with uow:
        found = uow.shipments.find(ref)
        order = uow.orders.one(found.order_id) if found is not None else None
        if found is None or order is None or order.buyer_id != buyer_id:
            raise errors.ParcelNotFound(ref)
        shipment = uow.shipments.lock_one(found.id)
        if shipment.status not in CODE_STATES:
            raise errors.CodeNotNeeded(ref)
        if shipment.code_sent_at and now - shipment.code_sent_at < rules.resend_gap:
            raise errors.CodeRecentlySent(ref)
        _send_code(uow, shipment, order, notices, "parcel_sms.code_new", rules, now)
        uow.commit()


def expire_left(uow: UnitOfWork, rules: Rules, now: datetime, limit: int = 200) -> list[str]:
    """Parcels left at a pickup point past `rules.pickup_days` expire and go back."""
    with uow:
        ids = uow.shipments.left_at_points(now - timedelta(days=rules.pickup_days), limit)
        refs = [uow.shipments.one(i).ref for i in ids]
    expired = []
    for ref in refs:
        note = f"not collected in {rules.pickup_days} days"
        try:
            for status in ("expired", "returning"):
                record_event(Report(ref, status, now, "system", SOKONI, note=note), uow, rules)
        except errors.IllegalTransition:  # collected or moved meanwhile
            continue
        expired.append(ref)
    return expired
