"""What people record by USSD: sellers send parcels off, agents and couriers receive them
and hand them over against the buyer's delivery code.

Each action is a report with a guard that checks, on the locked parcel, that this caller may
record it; `preview` runs the same checks without recording, for a confirmation screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.parcels.events import Guard
from gateway.commerce.parcels.events import Recorded
from gateway.commerce.parcels.events import Report
from gateway.commerce.parcels.events import place_step
from gateway.commerce.parcels.events import record_event
from gateway.commerce.parcels.rules import Rules
from gateway.commerce.parcels.states import STATES
from gateway.commerce.people.callers import Caller
from gateway.store.models.orders import Order
from gateway.store.models.shipments import Shipment
from gateway.store.uow import UnitOfWork

SELLER_NOTES = {
    "to_courier": "handed to courier",
    "to_point": "dropped at agent point",
    "to_carrier": "handed to carrier",
}
"""How a seller's parcel left, as its `picked_up` event's note."""


@dataclass(frozen=True)
class ParcelView:
    """What a confirmation screen shows about a parcel."""

    ref: str
    status: str
    name: str
    quantity: int
    unit: str


@dataclass(frozen=True)
class Step:
    """The report an action makes for this caller, and the guard that allows it."""

    status: str
    actor: str
    guard: Guard
    note: str | None = None


def _seller(caller: Caller) -> Guard:
    def guard(uow: UnitOfWork, shipment: Shipment, order: Order) -> None:
        if order.seller_id != caller.id:
            raise errors.NotYourParcel(shipment.ref)

    return guard


def _seller_delivers(caller: Caller) -> Guard:
    """A seller takes their own home-delivery order to the buyer."""

    def guard(uow: UnitOfWork, shipment: Shipment, order: Order) -> None:
        if order.seller_id != caller.id or order.delivery != "home":
            raise errors.NotYourParcel(shipment.ref)

    return guard


def _agent_receives(point_id: int) -> Guard:
    def guard(uow: UnitOfWork, shipment: Shipment, order: Order) -> None:
        if order.pickup_point_id not in (None, point_id):
            raise errors.NotYourParcel(shipment.ref)
        shipment.point_id = point_id

    return guard


def _courier_receives(caller: Caller) -> Guard:
    def guard(uow: UnitOfWork, shipment: Shipment, order: Order) -> None:
        if shipment.courier_id not in (None, caller.id):
            raise errors.NotYourParcel(shipment.ref)
        shipment.courier_id = caller.id

    return guard


def _holder(caller: Caller, point_id: int | None) -> Guard:
    def guard(uow: UnitOfWork, shipment: Shipment, order: Order) -> None:
        at_point = point_id is not None and shipment.point_id == point_id
        if not at_point and shipment.courier_id != caller.id:
            raise errors.NotYourParcel(shipment.ref)

    return guard


def step_for(uow: UnitOfWork, caller: Caller, action: str) -> Step:
    """The step `action` means for `caller` (an agent with a point acts as its agent); a
    seller delivering a home order takes it out (`go_out`) and hands it over (`deliver`).

    Raises:
        NotYourParcel: the caller's roles do not allow the action.
    """
    with uow:
        point = uow.agents.point_of(caller.id) if "agent" in caller.roles else None
        point_id = point.id if point else None
    if action in ("go_out", "deliver") and "seller" in caller.roles:
        status = "out_for_delivery" if action == "go_out" else "delivered"
        return Step(status, "seller", _seller_delivers(caller), "the seller delivers")
    if action in SELLER_NOTES and "seller" in caller.roles:
        return Step("picked_up", "seller", _seller(caller), SELLER_NOTES[action])
    if action == "receive" and point_id is not None:
        return Step("at_pickup_point", "agent", _agent_receives(point_id))
    if action == "receive" and "courier" in caller.roles:
        return Step("out_for_delivery", "courier", _courier_receives(caller))
    if action == "hand_over" and (point_id is not None or "courier" in caller.roles):
        return Step("delivered", "agent" if point_id else "courier", _holder(caller, point_id))
    raise errors.NotYourParcel(action)


def _view(shipment: Shipment, order: Order) -> ParcelView:
    line = order.lines[0]
    return ParcelView(shipment.ref, shipment.status, line.name, line.quantity, line.unit)


@dataclass(frozen=True)
class SentView:
    """One of a seller's parcels as their list shows it."""

    ref: str
    status: str
    carrier: str | None
    tracking_number: str | None


def sellers_parcels(uow: UnitOfWork, seller_id: int, limit: int) -> list[SentView]:
    """The seller's parcels, newest first, with the carrier and tracking number of each."""
    with uow:
        rows = uow.shipments.of_seller(seller_id, STATES, limit)
        return [SentView(s.ref, s.status, s.carrier, s.tracking_number) for s in rows]


def waiting_to_send(uow: UnitOfWork, seller_id: int, limit: int) -> list[ParcelView]:
    """The seller's paid parcels that have not left yet, newest first."""
    with uow:
        rows = uow.shipments.of_seller(seller_id, ("created",), limit)
        return [_view(s, uow.orders.one(s.order_id)) for s in rows]


def preview(uow: UnitOfWork, caller: Caller, ref: str, action: str, now: datetime) -> ParcelView:
    """The parcel `action` would apply to, after the checks `record` makes (nothing stored).

    Raises:
        ParcelNotFound, NotYourParcel, IllegalTransition.
    """
    step = step_for(uow, caller, action)
    with uow:
        shipment = uow.shipments.find(ref)
        if shipment is None:
            raise errors.ParcelNotFound(ref)
        order = uow.orders.one(shipment.order_id)
        step.guard(uow, shipment, order)
        place_step(uow, shipment, step.status, now)
        return _view(shipment, order)


def record(
    uow: UnitOfWork,
    caller: Caller,
    ref: str,
    action: str,
    rules: Rules,
    now: datetime,
    code: str | None = None,
) -> Recorded:
    """Record `action` on parcel `ref` for `caller` (with the delivery `code` to hand over).

    Raises:
        ParcelNotFound, NotYourParcel, IllegalTransition, WrongDeliveryCode, ParcelLocked.
    """
    step = step_for(uow, caller, action)
    with uow:
        point = uow.agents.point_of(caller.id) if step.actor == "agent" else None
        place = point.name if point else caller.district
    report = Report(
        ref,
        step.status,
        now,
        "ussd",
        step.actor,
        location=place,
        note=step.note,
        delivery_code=code,
        actor_id=caller.id,
    )
    return record_event(report, uow, rules, guard=step.guard, now=now)
